import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Indexer, PARSE_LOOKAHEAD_WINDOWS, windowStarts } from '../../../src/core/ingest/indexer';
import { parseFile } from '../../../src/core/ingest/parseFile';
import { ParsePool } from '../../../src/core/ingest/pool';
import type { ParseJob } from '../../../src/core/ingest/records';
import * as h from './helpers';

const NOW = Date.parse('2026-04-10T00:00:00Z');

/** A pool of one real worker that counts the most batches open at once (shared and not fully delivered). */
function countedPool(script: string): { pool: ParsePool; most: () => number } {
  const pool = new ParsePool(script, 1);
  let most = 0;
  const share = pool.share.bind(pool);
  pool.share = (jobs) => {
    const shared = share(jobs);
    most = Math.max(most, pool.openBatches);
    return shared;
  };
  return { pool, most: () => most };
}

test('windows of jobs: consecutive jobs up to the window size, a larger job alone, every job in one window', () => {
  assert.deepEqual(windowStarts([10, 10, 10, 10, 10], 25), [0, 2, 4]);
  assert.deepEqual(windowStarts([100, 1, 1, 100, 0, 0], 25), [0, 1, 3]);
  assert.deepEqual(windowStarts([0, 0, 0], 25), [0]);
  assert.deepEqual(windowStarts([5], 1), [0]);
  assert.deepEqual(windowStarts([], 1), []);
});

test('batches shared one ahead with a real worker: every result is right and at most two batches are open', async () => {
  const dir = h.tmpDir();
  h.writeCallsAcrossFiles(dir, 30);
  const jobs: ParseJob[] = Array.from({ length: 30 }, (_, k) => ({ path: join(dir, `c/projects/p${k}/s.jsonl`), source: 'claude', format: 'jsonl', project: 'p', session: 's', offset: 0, state: {} }));
  const pool = new ParsePool(await h.bundledWorker(), 1);
  const windows = [jobs.slice(0, 10), jobs.slice(10, 20), jobs.slice(20)];
  const shared = [pool.share(windows[0]), pool.share(windows[1])];
  for (let w = 0; w < windows.length; w++) {
    if (w + 1 < windows.length) shared[w + 1] ??= pool.share(windows[w + 1]);
    assert.ok(pool.openBatches <= 2, `${pool.openBatches} open`);
    for (let i = 0; i < windows[w].length; i++) assert.deepEqual(await shared[w].result(i), await parseFile(windows[w][i]), `window ${w} job ${i}`);
  }
  assert.equal(pool.openBatches, 0); // every result delivered: nothing left waiting in memory
  await pool.close();
  h.cleanup(dir);
});

test('the indexer sharing tiny windows with its workers: the same totals as parsing in this thread', async () => {
  const script = await h.bundledWorker();
  const dir = h.tmpDir();
  // call k is streamed in file k and final in file k+1: de-dup across files, and across windows
  h.writeCallsAcrossFiles(dir, 40);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const expected = await h.indexOnce(roots, undefined, NOW);
  for (const [workers, parseWindowBytes] of [[1, 1], [2, 1], [1, 700], [2, 2000]]) {
    const db = await h.freshDb();
    const indexer = new Indexer({ db, roots, workerScript: script, workers, parseWindowBytes, now: () => NOW });
    const r = await indexer.refresh();
    await indexer.dispose();
    assert.equal(r.filesChanged, 40);
    assert.deepEqual(h.totals(db), h.totals(expected.db), `workers ${workers}, windows of ${parseWindowBytes} bytes`);
  }
  h.cleanup(dir);
});

test('the indexer shares windows with its workers that many ahead of the one it is in, never more, with the same totals', async () => {
  const script = await h.bundledWorker();
  const dir = h.tmpDir();
  h.writeCallsAcrossFiles(dir, 40);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const expected = await h.indexOnce(roots, undefined, NOW);
  for (const parseLookahead of [undefined, 0, 1, 5]) {
    const { pool, most } = countedPool(script);
    const db = await h.freshDb();
    // one file per window (every file is larger than a byte): 40 windows
    const indexer = new Indexer({ db, roots, startedWorkers: pool, parseWindowBytes: 1, parseLookahead, now: () => NOW });
    const r = await indexer.refresh();
    await indexer.dispose();
    assert.equal(r.filesChanged, 40);
    assert.equal(most(), (parseLookahead ?? PARSE_LOOKAHEAD_WINDOWS) + 1, `lookahead ${parseLookahead}`);
    assert.deepEqual(h.totals(db), h.totals(expected.db), `lookahead ${parseLookahead}`);
  }
  h.cleanup(dir);
});

test("windows of other sources' records are shared one ahead only (their results are objects, not packed columns)", async () => {
  const script = await h.bundledWorker();
  const dir = h.tmpDir();
  const gemini = join(dir, '.gemini');
  // Gemini CLI sessions (Gemini's own format, the source's fixture), each with ids of its own
  const session = readFileSync(join(__dirname, '../../../src/core/sources/gemini/fixtures/session-2026-03-02T09-14-4f1c2a9e.jsonl'), 'utf8');
  for (let k = 0; k < 12; k++) {
    const own = session.replace(/"(id|sessionId)":"([0-9a-f-]{34})[0-9a-f]{2}"/g, (_, f, id) => `"${f}":"${id}${String(k).padStart(2, '0')}"`);
    h.write(join(gemini, 'tmp', 'webapp', 'chats', `session-2026-03-02T09-${String(k).padStart(2, '0')}-4f1c2a${String(k).padStart(2, '0')}.jsonl`), own);
  }
  const roots = { roots: [{ source: 'gemini', dir: join(gemini, 'tmp') }] };
  const expected = await h.freshDb();
  await new Indexer({ db: expected, roots, now: () => NOW }).refresh();
  const { pool, most } = countedPool(script);
  const db = await h.freshDb();
  const indexer = new Indexer({ db, roots, startedWorkers: pool, parseWindowBytes: 1, now: () => NOW });
  const r = await indexer.refresh();
  await indexer.dispose();
  assert.equal(r.filesChanged, 12);
  assert.ok(r.records > 12, `${r.records} records`);
  assert.equal(most(), 2, 'the current window and the next');
  assert.deepEqual(h.totals(db), h.totals(expected));
  h.cleanup(dir);
});
