import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParsePool } from '../../../src/core/ingest/pool';
import type { ParseJob } from '../../../src/core/ingest/records';
import type { CodexPayload } from '../../../src/core/sources/codex/applier';
import * as h from './helpers';

/**
 * A worker that claims the last job of each batch from the back (as worker.ts does), says so (file `claimed-<batch>`),
 * and delivers its result only once the test allows it (file `go`): the indexing thread meanwhile finds that job
 * pending. Its result is a marker object, not a parse.
 */
function slowWorker(dir: string): string {
  const script = join(dir, 'slow.js');
  writeFileSync(
    script,
    `const { parentPort } = require('node:worker_threads');
const { existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const dir = ${JSON.stringify(dir)};
parentPort.on('message', (m) => {
  const i = m.jobs.length - 1;
  if (Atomics.compareExchange(m.claims, i, 0, m.mark) !== 0) return parentPort.postMessage({ type: 'done', batch: m.batch });
  writeFileSync(join(dir, 'claimed-' + m.batch), '');
  const t = setInterval(() => {
    if (!existsSync(join(dir, 'go'))) return;
    clearInterval(t);
    const job = m.jobs[i];
    parentPort.postMessage({ type: 'result', batch: m.batch, index: i, result: { path: job.path, offset: 0, bytesRead: 0, malformed: 0, duplicates: 0, payload: 'from the worker', state: {} } });
    parentPort.postMessage({ type: 'done', batch: m.batch });
  }, 2);
});`,
  );
  return script;
}

async function until(file: string): Promise<void> {
  for (let waited = 0; !existsSync(file); waited++) {
    if (waited > 5000) throw new Error(`timed out waiting for ${file}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const T = { input: 1200, cached: 200, output: 30, reasoning: 10 };

test('while a worker parses the job this thread needs, it parses the next batch from the front: each job once, results in their order', async () => {
  const dir = h.tmpDir();
  const job = (name: string): ParseJob => {
    const path = h.write(join(dir, `x/sessions/2026/04/01/rollout-2026-04-01T08-00-00-${name}.jsonl`), h.codexSessionMeta('2026-04-01T08:00:00.000Z', `/w/${name}`) + h.codexTurnContext('2026-04-01T08:00:00.100Z', 'gpt-5.3-codex') + h.codexTokenCount('2026-04-01T08:01:00.000Z', T));
    return { path, source: 'codex', format: 'jsonl', project: '', session: name, offset: 0, state: {} };
  };
  const pool = new ParsePool(slowWorker(dir), 1);
  try {
    const first = pool.share([job('a0'), job('a1')]);
    const second = pool.share([job('b0'), job('b1'), job('b2')]);
    await until(join(dir, 'claimed-1'));
    await until(join(dir, 'claimed-2'));
    // job a1 is the worker's, still parsing; a0 and the second batch's front are free
    assert.equal(first.pending(1), true);
    assert.equal(first.pending(0), false);
    const a0 = await first.result(0);
    assert.equal((a0.payload as CodexPayload).events.n, 1);
    // parsed ahead from the front of the second batch, until the worker's claim (b2)
    const b0 = second.parseNext();
    const b1 = second.parseNext();
    assert.ok(b0 && b1);
    assert.equal(second.parseNext(), undefined);
    const [p0, p1] = await Promise.all([b0, b1]);
    // asked for later, in order: the results parsed ahead, the same objects (not parsed again)
    writeFileSync(join(dir, 'go'), '');
    const a1 = await first.result(1);
    assert.equal(a1.payload, 'from the worker');
    assert.equal(await second.result(0), p0);
    assert.equal(await second.result(1), p1);
    assert.equal((p1.payload as CodexPayload).events.strings.includes('/w/b1'), true);
    assert.equal((await second.result(2)).payload, 'from the worker');
    assert.equal(pool.openBatches, 0); // every result delivered once
  } finally {
    await pool.close();
    h.cleanup(dir);
  }
});
