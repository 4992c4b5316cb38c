import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAIMED_BY_CALLER, claimFromBack, workerMark, type ClaimMessage, type WorkerReply } from '../../../src/core/ingest/claims';
import { Indexer } from '../../../src/core/ingest/indexer';
import { parseFile } from '../../../src/core/ingest/parseFile';
import { ParsePool } from '../../../src/core/ingest/pool';
import type { ParseJob, ParseResult } from '../../../src/core/ingest/records';
import * as h from './helpers';

const NOW = Date.parse('2026-04-10T00:00:00Z');

function batch(n: number, mark: number, claims: Int32Array = new Int32Array(new SharedArrayBuffer(4 * n))): ClaimMessage {
  const jobs: ParseJob[] = Array.from({ length: n }, (_, i) => ({ path: `f${i}`, source: 'claude', format: 'jsonl', project: 'p', session: 's', offset: 0, state: {} }));
  return { batch: 7, jobs, claims, mark };
}

/** A stand-in parse that takes a turn of the event loop (as parseFile does), so claimers interleave. */
const parseSoon = (job: ParseJob) => new Promise<ParseResult>((resolve) => setImmediate(() => resolve({ path: job.path } as ParseResult)));

test('a worker claims from the back and stops at the first job the indexing thread claimed', async () => {
  const msg = batch(10, workerMark(0));
  for (let i = 0; i < 4; i++) Atomics.store(msg.claims, i, CLAIMED_BY_CALLER);
  const replies: WorkerReply[] = [];
  await claimFromBack(msg, parseSoon, (r) => replies.push(r));
  assert.deepEqual(
    replies.map((r) => (r.type === 'result' ? r.index : 'done')),
    [9, 8, 7, 6, 5, 4, 'done'],
  );
  assert.deepEqual([...msg.claims], [1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
  assert.ok(replies.every((r) => r.batch === 7));
});

test('two workers and the indexing thread claiming at once: every job is parsed exactly once', async () => {
  const n = 200;
  const a = batch(n, workerMark(0));
  const b = batch(n, workerMark(1), a.claims);
  const parsed: string[] = [];
  const parse = (job: ParseJob) => {
    parsed.push(job.path);
    return parseSoon(job);
  };
  const replies: WorkerReply[] = [];
  // the indexing thread: claims job i when it reaches it, in order, one per turn of the event loop
  const caller = (async () => {
    const mine: number[] = [];
    for (let i = 0; i < n; i++) {
      if (Atomics.compareExchange(a.claims, i, 0, CLAIMED_BY_CALLER) === 0) {
        mine.push(i);
        await parse(a.jobs[i]);
      } else await new Promise((r) => setImmediate(r));
    }
    return mine;
  })();
  await Promise.all([claimFromBack(a, parse, (r) => replies.push(r)), claimFromBack(b, parse, (r) => replies.push(r))]);
  const mine = await caller;
  assert.equal(parsed.length, n);
  assert.equal(new Set(parsed).size, n);
  const byWorkers = replies.filter((r) => r.type === 'result').map((r) => (r as { index: number }).index);
  assert.deepEqual([...mine, ...byWorkers].sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i));
  assert.ok(mine.length > 0 && byWorkers.length > 0, `split ${mine.length} / ${byWorkers.length}`);
  // each job's claim says who parsed it
  for (const i of mine) assert.equal(a.claims[i], CLAIMED_BY_CALLER);
  for (const r of replies) if (r.type === 'result') assert.ok(a.claims[r.index] === workerMark(0) || a.claims[r.index] === workerMark(1));
});

/**
 * A worker script that claims jobs, tells the test so (a file), and dies without delivering any of them once the
 * test says go (another file): `claimAll` claims every job, else only the last one.
 */
function dyingWorker(dir: string, claimAll: boolean): string {
  const script = join(dir, `dying-${claimAll}.js`);
  writeFileSync(
    script,
    `const { parentPort } = require('node:worker_threads');
const { existsSync, writeFileSync } = require('node:fs');
parentPort.on('message', (m) => {
  for (let i = m.jobs.length - 1; i >= (${claimAll} ? 0 : m.jobs.length - 1); i--) Atomics.compareExchange(m.claims, i, 0, m.mark);
  writeFileSync(${JSON.stringify(join(dir, 'claimed'))}, '');
  const t = setInterval(() => { if (existsSync(${JSON.stringify(join(dir, 'go'))})) process.exit(3); }, 5);
});`,
  );
  return script;
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let waited = 0; !ok(); waited += 5) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function jobsFor(dir: string, n: number): ParseJob[] {
  h.writeCallsAcrossFiles(dir, n);
  return Array.from({ length: n }, (_, k) => ({ path: join(dir, `c/projects/p${k}/s.jsonl`), source: 'claude', format: 'jsonl', project: 'p', session: 's', offset: 0, state: {} }));
}

test('a worker dies after claiming the last job: that job is parsed in this thread when it is asked for', async () => {
  const dir = h.tmpDir();
  const jobs = jobsFor(dir, 6);
  const pool = new ParsePool(dyingWorker(dir, false), 1);
  const shared = pool.share(jobs);
  await until('the claim', () => existsSync(join(dir, 'claimed')));
  writeFileSync(join(dir, 'go'), '');
  await until('the worker to die', () => pool.running === 0);
  for (let i = 0; i < jobs.length; i++) assert.deepEqual(await shared.result(i), await parseFile(jobs[i]), `job ${i}`);
  await pool.close();
  h.cleanup(dir);
});

test('a worker dies holding every job while this thread waits for one: all are parsed in this thread', async () => {
  const dir = h.tmpDir();
  const jobs = jobsFor(dir, 6);
  const pool = new ParsePool(dyingWorker(dir, true), 1);
  const shared = pool.share(jobs);
  await until('the claims', () => existsSync(join(dir, 'claimed')));
  const first = shared.result(0); // claimed by the worker, which is alive: this thread waits for it
  assert.equal(pool.running, 1);
  writeFileSync(join(dir, 'go'), '');
  assert.deepEqual(await first, await parseFile(jobs[0]));
  for (let i = 1; i < jobs.length; i++) assert.deepEqual(await shared.result(i), await parseFile(jobs[i]), `job ${i}`);
  await pool.close();
  h.cleanup(dir);
});

test('the indexer with a worker that dies mid-refresh: totals equal an in-process index', async () => {
  const dir = h.tmpDir();
  h.writeCallsAcrossFiles(dir, 12);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const expected = await h.indexOnce(roots, undefined, NOW);
  writeFileSync(join(dir, 'go'), ''); // the worker dies as soon as it has claimed
  const db = await h.freshDb();
  const indexer = new Indexer({ db, roots, workerScript: dyingWorker(dir, true), workers: 1, now: () => NOW });
  const r = await indexer.refresh();
  await indexer.dispose();
  assert.equal(r.filesChanged, 12);
  assert.deepEqual(h.totals(db), h.totals(expected.db));
  assert.equal(h.totals(db).requests, 12);
  h.cleanup(dir);
});
