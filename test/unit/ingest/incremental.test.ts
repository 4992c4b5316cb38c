import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, statSync, truncateSync, writeFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { Indexer, startParseWorkers } from '../../../src/core/ingest/indexer';
import { loadFacts } from '../../../src/core/query/facts';
import * as h from './helpers';
import { FILES_AS_PATHS } from '../../../src/core/store/fileDirs';

const T = (input: number, cached: number, output: number, reasoning: number) => ({ input, cached, output, reasoning });
const NOW = Date.parse('2026-04-10T00:00:00Z');

function claudeText(n: number, from = 0, prefix = 'm'): string {
  let s = '';
  for (let i = from; i < from + n; i++) s += h.claudeAssistant({ id: `${prefix}${i}`, ts: `2026-04-01T10:${String(i).padStart(2, '0')}:00Z`, usage: { input: 1, output: 10, cacheRead: 100 } });
  return s;
}
function codexText(steps: number): string {
  let s = h.codexSessionMeta('2026-04-01T08:00:00Z', '/w') + h.codexTurnContext('2026-04-01T08:00:00Z', 'gpt-5.3-codex');
  for (let i = 1; i <= steps; i++) s += h.codexTokenCount(`2026-04-01T08:${String(i).padStart(2, '0')}:00Z`, T(1000 * i, 100 * i, 10 * i, 0));
  return s;
}

test('truncation (file shrank below the offset) and rewrite: re-read from 0 without double counting', async () => {
  const dir = h.tmpDir();
  const cf = h.write(join(dir, 'c/projects/p/s.jsonl'), claudeText(5));
  const xf = h.write(join(dir, 'x/sessions/rollout-a.jsonl'), codexText(5));
  const roots = h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') });
  const { db, indexer } = await h.indexOnce(roots, undefined, NOW);
  assert.equal(h.totals(db, { source: 'claude' }).output, 50);
  assert.equal(h.totals(db, { source: 'codex' }).output, 50);
  truncateSync(cf, 0);
  truncateSync(xf, 0);
  writeFileSync(cf, claudeText(2)); // shorter than before, same first calls
  writeFileSync(xf, codexText(2));
  await indexer.refresh();
  writeFileSync(cf, claudeText(7)); // the two it had, the three it had before, two new ones
  writeFileSync(xf, codexText(7));
  await indexer.refresh();
  assert.equal(h.totals(db, { source: 'claude' }).output, 70); // 7 calls × 10
  assert.equal(h.totals(db, { source: 'codex' }).output, 70); // cumulative 70 at step 7
  assert.equal(h.totals(db, { source: 'codex' }).input, 7000 - 700);
  h.cleanup(dir);
});

test('a file rewritten in place that did not shrink (same inode, new content before the offset) is re-read from 0', async () => {
  const dir = h.tmpDir();
  const streaming = (output: number) => h.claudeAssistant({ id: 'a', ts: '2026-04-01T10:00:00Z', usage: { input: 10, output, cacheRead: 100 } });
  const other = (id: string, minute: string) => h.claudeAssistant({ id, ts: `2026-04-01T10:${minute}:00Z`, usage: { input: 20, output: 60, cacheRead: 100 } });
  const cf = h.write(join(dir, 'c/projects/p/s.jsonl'), streaming(1) + other('e', '05'));
  const xf = h.write(join(dir, 'x/sessions/rollout-a.jsonl'), codexText(3));
  const roots = h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') });
  const { db } = await h.indexOnce(roots, undefined, NOW);
  assert.equal(h.totals(db, { source: 'claude' }).output, 61);
  // a backup restored over the file in place: a call before the old ones, the final copy of 'a', then 'e'
  const ino = (p: string) => statSync(p).ino;
  const [cIno, xIno] = [ino(cf), ino(xf)];
  writeFileSync(cf, other('f', '01') + streaming(300) + other('e', '05'));
  // a Codex rollout rewritten with a longer history under the same name: one more step before the old ones end
  let codex = h.codexSessionMeta('2026-04-01T08:00:00Z', '/w') + h.codexTurnContext('2026-04-01T08:00:00Z', 'gpt-5.3-codex');
  for (const [i, m] of [[1, '00'], [2, '30'], [3, '31'], [4, '32']] as const) codex += h.codexTokenCount(`2026-04-01T08:${m}:00Z`, T(1000 * i, 100 * i, 10 * i, 0));
  writeFileSync(xf, codex);
  assert.deepEqual([ino(cf), ino(xf)], [cIno, xIno]); // really in place
  const log: string[] = [];
  const again = new Indexer({ db, roots, logger: { info: (m: string) => log.push(m), warn: () => {}, debug: () => {} } as never, now: () => NOW });
  await again.refresh();
  // f (60) + the final copy of a (300) + e (60); no line counted twice
  assert.equal(h.totals(db, { source: 'claude' }).output, 420);
  assert.equal(h.totals(db, { source: 'claude' }).requests, 3);
  // Codex: the old steps (08:01–08:03, 30 output) stay as history; the new content's four steps (08:00, 08:30–08:32;
  // lines of the same length as the old ones) are all new events, 10 output each. Read on from the old offset, only
  // the last one would have been counted (30 + 10).
  const facts = loadFacts(db, { source: 'codex' });
  assert.equal(facts.reduce((n, f) => n + f.output, 0), 30 + 40);
  assert.equal(log.filter((m) => m.includes('rewritten in place')).length, 2);
  // appends after that are read from the new offset as usual
  h.append(cf, other('g', '09'));
  await again.refresh();
  assert.equal(h.totals(db, { source: 'claude' }).output, 480);
  assert.equal(log.filter((m) => m.includes('rewritten in place')).length, 2);
  h.cleanup(dir);
});

test('replacement with a new inode (write new file, rename over) is re-read without double counting', async () => {
  const dir = h.tmpDir();
  const cf = h.write(join(dir, 'c/projects/p/s.jsonl'), claudeText(3));
  const xf = h.write(join(dir, 'x/sessions/rollout-a.jsonl'), codexText(3));
  const roots = h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') });
  const { db, indexer } = await h.indexOnce(roots, undefined, NOW);
  h.write(`${cf}.new`, claudeText(4));
  renameSync(`${cf}.new`, cf);
  h.write(`${xf}.new`, codexText(4));
  renameSync(`${xf}.new`, xf);
  const r = await indexer.refresh();
  assert.equal(r.filesChanged, 2);
  assert.equal(h.totals(db, { source: 'claude' }).output, 40);
  assert.equal(h.totals(db, { source: 'codex' }).output, 40);
  assert.equal(h.totals(db, { source: 'codex' }).requests, 4);
  h.cleanup(dir);
});

test('a vanished file keeps its history (marked missing), and comes back without double counting', async () => {
  const dir = h.tmpDir();
  const cf = h.write(join(dir, 'c/projects/p/s.jsonl'), claudeText(3));
  const { db, indexer } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }), undefined, NOW);
  const text = claudeText(3);
  rmSync(cf);
  const r = await indexer.refresh();
  assert.equal(r.changed, true);
  assert.equal(h.totals(db).output, 30);
  assert.equal(db.exec(`SELECT missing FROM ${FILES_AS_PATHS}`)[0].values[0][0], 1);
  h.write(cf, text);
  await indexer.refresh();
  assert.equal(h.totals(db).output, 30);
  assert.equal(db.exec(`SELECT missing FROM ${FILES_AS_PATHS}`)[0].values[0][0], 0);
  h.cleanup(dir);
});

test('warm refresh: unchanged files are stat-only; an append reads only the new bytes', async () => {
  const dir = h.tmpDir();
  const files = [];
  for (let i = 0; i < 20; i++) files.push(h.write(join(dir, `c/projects/p${i}/s.jsonl`), claudeText(20, 0, `f${i}-`)));
  const { db, indexer } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }), undefined, NOW);
  let r = await indexer.refresh();
  assert.deepEqual([r.filesScanned, r.filesChanged, r.bytesRead, r.changed], [20, 0, 0, false]);
  const extra = claudeText(1, 30, 'f3-');
  h.append(files[3], extra);
  r = await indexer.refresh();
  assert.deepEqual([r.filesChanged, r.bytesRead, r.records], [1, Buffer.byteLength(extra), 1]);
  assert.equal(h.totals(db).requests, 20 * 20 + 1);
  h.cleanup(dir);
});

test('the bundled worker (dist/ingest-worker.js built by esbuild) gives the same totals as in-process parsing', async () => {
  const script = await h.bundledWorker();
  const base = join(__dirname, '../../fixtures/basic');
  const roots = h.rootsFor({ claude: join(base, 'claude'), codex: join(base, 'codex') });
  const inProcess = await h.indexOnce(roots);
  const db = await h.freshDb();
  const indexer = new Indexer({ db, roots, workerScript: script, workers: 2 });
  const progress: number[] = [];
  const r = await indexer.refresh({ newestFirst: true, onProgress: (p) => progress.push(p.filesDone) });
  await indexer.dispose();
  assert.equal(r.filesChanged, 6);
  assert.deepEqual(progress, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(h.totals(db, { source: 'claude' }), h.totals(inProcess.db, { source: 'claude' }));
  assert.deepEqual(h.totals(db, { source: 'codex' }), h.totals(inProcess.db, { source: 'codex' }));
});

test('workers started before the indexer (the CLI starts them as a new index begins) parse its first refresh and are stopped after it', async () => {
  const script = await h.bundledWorker();
  const dir = h.tmpDir();
  h.writeCallsAcrossFiles(dir, 12);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const inProcess = await h.indexOnce(roots, undefined, NOW);
  const pool = startParseWorkers(script, 1)!;
  assert.equal(pool.running, 1);
  let shared = 0;
  const share = pool.share.bind(pool);
  pool.share = (jobs) => {
    shared++;
    return share(jobs);
  };
  const db = await h.freshDb();
  // no workers of its own: only the ones handed over can parse
  const indexer = new Indexer({ db, roots, workerScript: script, workers: 0, startedWorkers: pool, now: () => NOW });
  const r = await indexer.refresh();
  assert.equal(r.filesChanged, 12);
  assert.ok(shared > 0);
  assert.equal(pool.running, 0); // stopped with the refresh, as the indexer's own workers are
  assert.deepEqual(h.totals(db), h.totals(inProcess.db));
  // a later refresh of two new files does not use the stopped workers: it parses in this thread
  for (const q of ['q0', 'q1']) h.write(join(dir, `c/projects/${q}/s.jsonl`), h.claudeAssistant({ id: `${q}-call`, ts: '2026-04-01T11:00:00Z', usage: { input: 3, output: 4 } }));
  const again = await indexer.refresh();
  assert.equal(again.filesChanged, 2);
  assert.equal(shared, 1);
  assert.equal(h.totals(db).requests, h.totals(inProcess.db).requests + 2);
  h.cleanup(dir);
});

test('this thread and the workers split the files (front and back): copies of a call across files are kept once, the largest', async () => {
  const script = await h.bundledWorker();
  const dir = h.tmpDir();
  // 40 files; call k is streamed in file k (placeholder output 1) and final in file k+1 (output 100 + k)
  h.writeCallsAcrossFiles(dir, 40);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  let expectedOutput = 1; // call39 exists only as its streaming copy
  for (let k = 0; k < 39; k++) expectedOutput += 100 + k;
  for (const workers of [0, 1, 2]) {
    const db = await h.freshDb();
    const indexer = new Indexer({ db, roots, workerScript: script, workers, now: () => NOW });
    const r = await indexer.refresh();
    await indexer.dispose();
    assert.equal(r.filesChanged, 40);
    assert.deepEqual([h.totals(db).requests, h.totals(db).input, h.totals(db).output], [40, 80, expectedOutput], `workers: ${workers}`);
  }
  h.cleanup(dir);
});

test('a refresh requested while one runs gets a follow-up run that reads what was appended meanwhile', async () => {
  const dir = h.tmpDir();
  const f = h.write(join(dir, 'c/projects/p/s.jsonl'), claudeText(3));
  const db = await h.freshDb();
  const indexer = new Indexer({ db, roots: h.rootsFor({ claude: join(dir, 'c') }), now: () => NOW });
  let second: Promise<unknown> | undefined;
  let third: Promise<unknown> | undefined;
  const first = indexer.refresh({
    onProgress: () => {
      // the first run has read the file already; this append is only seen by the follow-up
      h.append(f, claudeText(2, 10));
      second = indexer.refresh();
      third = indexer.refresh();
    },
  });
  await first;
  assert.equal(h.totals(db).requests, 3);
  assert.equal(second, third); // one shared follow-up
  await second;
  assert.equal(h.totals(db).requests, 5);
  h.cleanup(dir);
});

test('days come from line timestamps, never from file dates (mtime far in the past)', async () => {
  const dir = h.tmpDir();
  const f = h.write(join(dir, 'c/projects/p/s.jsonl'), claudeText(1));
  const x = h.write(join(dir, 'x/sessions/2020/01/01/rollout-2020-01-01T00-00-00-a.jsonl'), codexText(1));
  const old = new Date('2020-01-01T00:00:00Z');
  utimesSync(f, old, old);
  utimesSync(x, old, old);
  const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') }), undefined, NOW);
  const days = loadFacts(db).map((r) => new Date(r.bucketStartMs).toISOString());
  // claude m0 at 2026-04-01T10:00:00Z; codex first event at 2026-04-01T08:01:00Z → bucket 08:00
  assert.deepEqual(days.sort(), ['2026-04-01T08:00:00.000Z', '2026-04-01T10:00:00.000Z']);
  h.cleanup(dir);
});

test('a worker script that cannot start falls back to in-process parsing', async () => {
  const base = join(__dirname, '../../fixtures/basic');
  const roots = h.rootsFor({ claude: join(base, 'claude'), codex: join(base, 'codex') });
  const db = await h.freshDb();
  const indexer = new Indexer({ db, roots, workerScript: join(base, 'no-such-worker.js'), workers: 2 });
  await indexer.refresh();
  await indexer.dispose();
  assert.equal(h.totals(db, { source: 'claude' }).requests, 7);
  assert.equal(h.totals(db, { source: 'codex' }).requests, 5);
});

test('newestFirst with batched writes: the newest file is readable after the first progress call, totals exact at the end', async () => {
  const dir = h.tmpDir();
  const older = h.write(join(dir, 'c/projects/p/a-old.jsonl'), h.claudeAssistant({ id: 'shared', ts: '2026-04-01T10:00:00Z', usage: { input: 1, output: 300 } }) + claudeText(2, 0, 'o'));
  const newer = h.write(join(dir, 'c/projects/p/b-new.jsonl'), h.claudeAssistant({ id: 'n1', ts: '2026-04-09T10:00:00Z', usage: { input: 5, output: 50 } }));
  const mid = h.write(join(dir, 'c/projects/p/c-mid.jsonl'), h.claudeAssistant({ id: 'shared', ts: '2026-04-01T10:00:01Z', usage: { input: 1, output: 3 } }));
  utimesSync(older, new Date('2026-04-01T12:00:00Z'), new Date('2026-04-01T12:00:00Z'));
  utimesSync(mid, new Date('2026-04-05T12:00:00Z'), new Date('2026-04-05T12:00:00Z'));
  utimesSync(newer, new Date('2026-04-09T12:00:00Z'), new Date('2026-04-09T12:00:00Z'));
  const db = await h.freshDb();
  const seen: number[] = [];
  await new Indexer({ db, roots: h.rootsFor({ claude: join(dir, 'c') }), now: () => NOW }).refresh({
    newestFirst: true,
    flushEveryMs: 0,
    onProgress: () => seen.push(h.totals(db).output),
  });
  // b-new first, already in the usage table; then c-mid's placeholder copy (3), written; then a-old's final copy
  // corrects the written row (not 3 + 300) and adds o0, o1 (10 each)
  assert.deepEqual(seen.slice(0, 2), [50, 53]);
  assert.equal(h.totals(db).output, 50 + 300 + 20);
  assert.equal(h.totals(db).requests, 4);
  h.cleanup(dir);
});
