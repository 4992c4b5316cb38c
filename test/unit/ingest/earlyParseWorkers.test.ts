import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { ParsePool } from '../../../src/core/ingest/pool';
import { startEarlyParseWorkers, takeEarlyParseWorker } from '../../../src/core/ingest/parseWorkers';
import type { ParseJob } from '../../../src/core/ingest/records';
import * as h from './helpers';

/**
 * A worker script that leaves a file per start (`started-<threadId>`) and claims nothing: for each batch it posts
 * its 'done' at once, so the indexing thread parses every job itself.
 */
function countingWorker(dir: string): string {
  const script = join(dir, 'counting.js');
  writeFileSync(
    script,
    `const { parentPort, threadId } = require('node:worker_threads');
require('node:fs').writeFileSync(${JSON.stringify(dir)} + '/started-' + threadId, '');
parentPort.on('message', (m) => parentPort.postMessage({ type: 'done', batch: m.batch }));`,
  );
  return script;
}

const startsIn = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('started-')).length;

/** Waits until `n` workers have left their start file. */
async function startedWorkers(dir: string, n: number): Promise<void> {
  for (let i = 0; startsIn(dir) < n; i++) {
    if (i > 2000) throw new Error(`timed out waiting for ${n} worker starts`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function claudeLog(dir: string, name: string): ParseJob {
  const path = join(dir, `${name}.jsonl`);
  const line = (id: string, out: number) =>
    JSON.stringify({ type: 'assistant', sessionId: name, timestamp: '2026-03-10T09:00:00.000Z', requestId: `req_${id}`, message: { id: `msg_${id}`, model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 3, output_tokens: out } } });
  writeFileSync(path, `${line(`${name}1`, 10)}\n${line(`${name}2`, 20)}\n`);
  return { path, source: 'claude', format: 'jsonl', project: 'p', session: name, offset: 0, state: {} };
}

test("a pool takes the worker the CLI's loader started early instead of starting its own, and its jobs are all parsed", async () => {
  const dir = h.tmpDir();
  const script = countingWorker(dir);
  startEarlyParseWorkers(script, 1);
  await startedWorkers(dir, 1);
  const pool = new ParsePool(script, 1);
  try {
    const jobs = ['a', 'b', 'c'].map((n) => claudeLog(dir, n));
    const shared = pool.share(jobs);
    assert.equal(pool.running, 1);
    const results = await Promise.all(jobs.map((_, i) => shared.result(i)));
    assert.deepEqual(results.map((r) => [r.path, r.error, r.bytesRead > 0]), jobs.map((j) => [j.path, undefined, true]));
    await new Promise((r) => setTimeout(r, 50)); // a second worker, had one been started, would have left its file
    assert.equal(startsIn(dir), 1, 'one worker started in all');
    assert.equal(takeEarlyParseWorker(script), undefined, 'each early worker is taken once');
  } finally {
    await pool.close();
  }
  h.cleanup(dir);
});

test('an early worker is taken only by a pool of its script, and not once it has exited', async () => {
  const dir = h.tmpDir();
  const script = countingWorker(dir);
  startEarlyParseWorkers(script, 1);
  assert.equal(takeEarlyParseWorker(join(dir, 'other.js')), undefined);
  const early = takeEarlyParseWorker(script);
  assert.ok(early);
  await early.terminate();
  // a worker that stops on its own before a pool asks (here: at once) is not handed out; the pool starts its own
  const quitting = join(dir, 'quitting.js');
  writeFileSync(quitting, `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'quit'))}, ''); process.exit(0);`);
  // Node emits 'worker' for each worker started (on the next tick): its 'exit' is awaited here (kept referenced
  // meanwhile: an early worker is not), the worker not taken
  const exited = new Promise<void>((resolve) =>
    process.once('worker', (w: Worker) => {
      w.ref();
      w.once('exit', () => setImmediate(resolve));
    }),
  );
  startEarlyParseWorkers(quitting, 1);
  await exited;
  assert.equal(takeEarlyParseWorker(quitting), undefined);
  startEarlyParseWorkers(script, 0);
  assert.equal(takeEarlyParseWorker(script), undefined, 'none asked, none held');
  h.cleanup(dir);
});
