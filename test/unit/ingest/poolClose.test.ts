import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { WorkerReply } from '../../../src/core/ingest/claims';
import { ParsePool } from '../../../src/core/ingest/pool';
import type { ParseJob } from '../../../src/core/ingest/records';
import { PARSE_WORKER_LIMITS } from '../../../src/core/ingest/threadLimits';
import * as h from './helpers';

/**
 * A worker script that claims nothing (the indexing thread parses every job): for a batch it posts its 'done' at
 * once, tells the test so (file `posted`), then cannot stop until the test has read that 'done' (file `go`): it
 * waits for it in a child process, which worker.terminate() cannot cut short.
 */
function lateDoneWorker(dir: string): string {
  const script = join(dir, 'late-done.js');
  const waitForGo = `const { existsSync } = require('node:fs'); const t0 = Date.now();
const t = setInterval(() => { if (existsSync(${JSON.stringify(join(dir, 'go'))}) || Date.now() - t0 > 20000) clearInterval(t); }, 2);`;
  writeFileSync(
    script,
    `const { parentPort } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
parentPort.on('message', (m) => {
  parentPort.postMessage({ type: 'done', batch: m.batch });
  writeFileSync(${JSON.stringify(join(dir, 'posted'))}, '');
  execFileSync(process.execPath, ['-e', ${JSON.stringify(waitForGo)}]);
});`,
  );
  return script;
}

/** Blocks this thread (its event loop reads no message meanwhile) until `file` exists. */
function blockUntilExists(file: string): void {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; !existsSync(file); waited++) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${file}`);
    Atomics.wait(nap, 0, 0, 1);
  }
}

// The CLI's lost result (with a parse worker about 2 runs in 100 exited 0 without output): the refresh ends, the
// indexer closes the pool, and only then is the worker's 'done' for the batch read. worker.terminate() refs the
// worker until it has stopped; the pool counted that late 'done' and unref'd the worker again, so the event loop
// emptied before the worker's exit and the awaited close() never settled (node exited). Here the 'done' is always
// posted before close() and read after it, before the worker can stop. With that bug the worker is unref'd once the
// 'done' is read (counted below), and the test runner finds this test's promise pending when the loop empties.
test('a worker\'s "done" read after close(): the worker stays referenced and close() settles once it has stopped', async () => {
  const dir = h.tmpDir();
  const jobs: ParseJob[] = ['a', 'b', 'c'].map((f) => ({ path: join(dir, `${f}.jsonl`), source: 'claude', format: 'jsonl', project: 'p', session: 's', offset: 0, state: {} }));
  const unrefs = new Map<Worker, number>();
  let doneFrom: Worker | undefined;
  // Node emits 'worker' on the next tick after a worker is created (after close() below, before any message is
  // read): from then on the pool's worker's unref() calls are counted, and this 'message' listener runs after the
  // pool's. Only the pool's worker (its resource limits) is touched: a listener would keep another worker (tsx's
  // esbuild, on a cold cache) referenced.
  const onWorker = (w: Worker) => {
    if (w.resourceLimits?.maxOldGenerationSizeMb !== PARSE_WORKER_LIMITS.maxOldGenerationSizeMb) return;
    const unref = w.unref.bind(w);
    w.unref = () => {
      unrefs.set(w, (unrefs.get(w) ?? 0) + 1);
      unref();
    };
    w.on('message', (m: WorkerReply) => {
      if (m.type !== 'done') return;
      doneFrom = w;
      writeFileSync(join(dir, 'go'), ''); // the pool has handled the 'done': the worker may stop now
    });
  };
  process.on('worker', onWorker);
  const pool = new ParsePool(lateDoneWorker(dir), 1);
  try {
    pool.share(jobs);
    blockUntilExists(join(dir, 'posted')); // the worker has posted 'done'; this thread has not read it
    const closed = pool.close();
    assert.equal(pool.running, 0);
    await closed;
  } finally {
    process.off('worker', onWorker);
    await pool.close(); // when the worker never posted: stop it all the same
  }
  assert.ok(doneFrom, 'the late done was read before the worker stopped');
  assert.equal(unrefs.get(doneFrom) ?? 0, 0, 'the pool left the closing worker referenced');
  h.cleanup(dir);
});
