import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, rmSync, statSync, truncateSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scanLogs } from '../../../src/core/ingest/indexer';
import { loadFileStamps, sameStamp } from '../../../src/core/store/fileStamps';
import * as h from './helpers';
import { FILES_AS_PATHS } from '../../../src/core/store/fileDirs';

/**
 * The full check of a refresh (indexer.ts checkAll): every log file is stat'ed against its stored stamp
 * (store/fileStamps.ts) and only the files whose stamp differs are looked at further. Each kind of change must still
 * be seen when the other files are unchanged.
 */
const NOW = Date.parse('2026-04-10T00:00:00Z');
/** The Claude root (`<dir>/c`) of a file of tenFiles (`<dir>/c/projects/pN/sN.jsonl`). */
const dirOf = (file: string) => dirname(dirname(dirname(file)));

function claudeText(n: number, from: number, prefix: string): string {
  let s = '';
  for (let i = from; i < from + n; i++) s += h.claudeAssistant({ id: `${prefix}${i}`, ts: `2026-04-01T10:${String(i).padStart(2, '0')}:00Z`, usage: { input: 1, output: 10, cacheRead: 100 } });
  return s;
}

async function tenFiles() {
  const dir = h.tmpDir();
  const files: string[] = [];
  for (let i = 0; i < 10; i++) files.push(h.write(join(dir, `c/projects/p${i}/s${i}.jsonl`), claudeText(3, 0, `f${i}-`)));
  const { db, indexer } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'c') }), undefined, NOW);
  assert.equal(h.totals(db).requests, 30);
  return { dir, files, db, indexer };
}

test('stored stamps: one per file, equal to the stamp of its stat; a missing file never matches', async () => {
  const { dir, files, db, indexer } = await tenFiles();
  const stamps = loadFileStamps(db);
  assert.equal(stamps.byPath.size, 10);
  assert.equal(stamps.present, 10);
  const statOf = (f: string) => {
    const st = statSync(f);
    return [st.dev, st.ino, st.size, Math.floor(st.mtimeMs)] as const;
  };
  for (const f of files) {
    const row = stamps.byPath.get(f)!;
    const [dev, ino, size, mtimeMs] = statOf(f);
    assert.equal(sameStamp(stamps, row, dev, ino, size, mtimeMs), true);
    // any one of the four numbers different: not the same stamp
    assert.equal(sameStamp(stamps, row, dev + 1, ino, size, mtimeMs), false);
    assert.equal(sameStamp(stamps, row, dev, ino + 1, size, mtimeMs), false);
    assert.equal(sameStamp(stamps, row, dev, ino, size + 1, mtimeMs), false);
    assert.equal(sameStamp(stamps, row, dev, ino, size, mtimeMs - 1), false);
  }
  const [dev, ino, size, mtimeMs] = statOf(files[4]);
  rmSync(files[4]);
  await indexer.refresh();
  const after = loadFileStamps(db);
  const row = after.byPath.get(files[4])!;
  assert.equal(after.missing[row], 1);
  assert.equal(sameStamp(after, row, dev, ino, size, mtimeMs), false);
  assert.equal(after.present, 9);
  h.cleanup(dir);
});

test('stored stamps: numbers read exactly up to 2^53 - 1 (negative times too); a stamp past that or not four integers never matches, and the refresh still reads nothing twice', async () => {
  const { dir, files, db, indexer } = await tenFiles();
  const set = (i: number, sql: string) => db.run(`UPDATE files SET ${sql} WHERE name = ?`, [`s${i}.jsonl`]);
  const big = Number.MAX_SAFE_INTEGER;
  set(0, `ino = ${big}, mtime_ms = -1234567`);
  set(1, `ino = ${big} + 1`); // 2^53: no double stat value can be told apart from its neighbours
  set(2, 'size = 1.5'); // not an integer
  set(3, "mtime_ms = '12x'"); // text in the column
  const s = loadFileStamps(db);
  const stampOf = (i: number) => Array.from(s.stamps.subarray(4 * s.byPath.get(files[i])!, 4 * s.byPath.get(files[i])! + 4));
  const st0 = statSync(files[0]);
  assert.deepEqual(stampOf(0), [st0.dev, big, st0.size, -1234567]);
  assert.equal(sameStamp(s, s.byPath.get(files[0])!, st0.dev, big, st0.size, -1234567), true);
  for (const i of [1, 2, 3]) assert.deepEqual(stampOf(i), [Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
  assert.equal(s.present, 10);
  // those files go on as changed: compared with their whole stored rows (other identity or mtime: stored again), no call counted twice
  const r = await indexer.refresh();
  assert.equal(r.records, 0);
  assert.equal(h.totals(db).requests, 30);
  assert.equal((await indexer.refresh()).changed, false);
  h.cleanup(dir);
});

test('full check: an append to one of many files is read, the others are not looked at', async () => {
  const { dir, files, db, indexer } = await tenFiles();
  let r = await indexer.refresh();
  assert.deepEqual([r.filesScanned, r.filesChanged, r.changed], [10, 0, false]);
  h.append(files[7], claudeText(2, 10, 'f7-'));
  r = await indexer.refresh();
  assert.deepEqual([r.filesScanned, r.filesChanged, r.records, r.changed], [10, 1, 2, true]);
  assert.equal(h.totals(db).requests, 32);
  r = await indexer.refresh();
  assert.deepEqual([r.filesChanged, r.changed], [0, false]);
  h.cleanup(dir);
});

test('full check: a touched file (new mtime, same bytes) is stored with its new stamp and then found unchanged', async () => {
  const { dir, files, db, indexer } = await tenFiles();
  const later = new Date(Date.now() + 60_000);
  utimesSync(files[2], later, later);
  let r = await indexer.refresh();
  assert.deepEqual([r.filesChanged, r.bytesRead, r.changed], [0, 0, true]);
  r = await indexer.refresh();
  assert.equal(r.changed, false);
  assert.equal(h.totals(db).requests, 30);
  h.cleanup(dir);
});

test('full check: a removed file and a new one in the same refresh (as many files as before) — one marked missing, the other read', async () => {
  const { dir, files, db, indexer } = await tenFiles();
  rmSync(files[1]);
  h.write(join(dir, 'c/projects/p1/new.jsonl'), claudeText(4, 20, 'n-'));
  const r = await indexer.refresh();
  assert.equal(r.filesScanned, 10);
  assert.equal(h.totals(db).requests, 34); // the removed file's history is kept
  assert.deepEqual(db.exec(`SELECT missing FROM ${FILES_AS_PATHS} WHERE path = ?`, [files[1]])[0].values, [[1]]);
  h.cleanup(dir);
});

test('full check: a truncated file and a file replaced by a rename are read again from the start without counting twice', async () => {
  const { dir, files, db, indexer } = await tenFiles();
  truncateSync(files[0], 0);
  h.append(files[0], claudeText(5, 0, 'f0-')); // the 3 calls it had and 2 new ones
  const tmp = h.write(join(dir, 'tmp.jsonl'), claudeText(4, 0, 'f9-')); // 3 known, 1 new
  renameSync(tmp, files[9]);
  const r = await indexer.refresh();
  assert.equal(r.filesChanged, 2);
  assert.equal(h.totals(db).requests, 33);
  h.cleanup(dir);
});

test('full check: a log whose path holds a line feed is checked like the others (stamps read row by row)', async () => {
  const { dir, files, db, indexer } = await tenFiles();
  const odd = h.write(join(dir, 'c/projects/p0/odd\nname.jsonl'), claudeText(2, 30, 'odd-'));
  let r = await indexer.refresh();
  assert.equal(h.totals(db).requests, 32);
  const stamps = loadFileStamps(db);
  assert.deepEqual([...stamps.byPath.keys()].sort(), [...files, odd].sort());
  for (const f of [odd, ...files]) {
    const st = statSync(f);
    assert.equal(sameStamp(stamps, stamps.byPath.get(f)!, st.dev, st.ino, st.size, Math.floor(st.mtimeMs)), true);
  }
  r = await indexer.refresh();
  assert.deepEqual([r.filesScanned, r.changed], [11, false]);
  h.append(odd, claudeText(1, 40, 'odd-'));
  h.append(files[5], claudeText(1, 40, 'f5-'));
  r = await indexer.refresh();
  assert.deepEqual([r.filesChanged, r.records], [2, 2]);
  assert.equal(h.totals(db).requests, 34);
  h.cleanup(dir);
});

test('full check: a path with a tab before a line feed, in the last rows, whose first line reads like a row of its own, is still read row by row', async () => {
  const { dir, files, db, indexer } = await tenFiles();
  // a new folder: its rows come last; the line before the line feed is "…/odd TAB 1 2 3 4" (a path and a stamp)
  const odder = h.write(join(dir, 'c/projects/pz/odd\t1 2 3 4\nmore.jsonl'), claudeText(2, 50, 'odder-'));
  let r = await indexer.refresh();
  assert.equal(h.totals(db).requests, 32);
  const stamps = loadFileStamps(db);
  assert.deepEqual([...stamps.byPath.keys()].sort(), [...files, odder].sort());
  const st = statSync(odder);
  assert.equal(sameStamp(stamps, stamps.byPath.get(odder)!, st.dev, st.ino, st.size, Math.floor(st.mtimeMs)), true);
  r = await indexer.refresh();
  assert.deepEqual([r.filesScanned, r.changed], [11, false]);
  h.cleanup(dir);
});

test('a scan made before the refresh (scanLogs, as the CLI makes it while the index opens) finds every kind of change as a refresh that lists itself', async () => {
  // the same changes on two copies: one refreshed with a scan made first, one without
  const runs: { requests: number; filesChanged: number; missing: unknown[][] }[] = [];
  for (const withScan of [true, false]) {
    const { dir, files, db, indexer } = await tenFiles();
    h.append(files[7], claudeText(2, 10, 'f7-')); // an append
    truncateSync(files[0], 0);
    h.append(files[0], claudeText(5, 0, 'f0-')); // truncated and written again: 3 known calls, 2 new
    renameSync(h.write(join(dir, 'tmp.jsonl'), claudeText(4, 0, 'f9-')), files[9]); // replaced: 1 new call
    rmSync(files[1]); // removed: marked missing, its history kept
    const roots = h.rootsFor({ claude: join(dir, 'c') });
    const r = withScan ? await indexer.refresh({ scan: await scanLogs(roots) }) : await indexer.refresh();
    runs.push({ requests: h.totals(db).requests, filesChanged: r.filesChanged, missing: db.exec(`SELECT path FROM ${FILES_AS_PATHS} WHERE missing = 1`)[0].values.map(([p]) => [String(p).slice(dir.length)]) });
    h.cleanup(dir);
  }
  assert.deepEqual(runs[0], runs[1]);
  assert.deepEqual(runs[0], { requests: 35, filesChanged: 3, missing: [['/c/projects/p1/s1.jsonl']] });
});

test('a refresh given a scan sees the files as the scan found them; what changed after it is read by the next refresh', async () => {
  const { files, db, indexer } = await tenFiles();
  const roots = h.rootsFor({ claude: dirOf(files[0]) });
  const scan = await scanLogs(roots);
  h.append(files[3], claudeText(2, 10, 'f3-')); // after the scan
  let r = await indexer.refresh({ scan });
  assert.deepEqual([r.filesScanned, r.filesChanged, r.changed], [10, 0, false]);
  assert.equal(h.totals(db).requests, 30);
  r = await indexer.refresh();
  assert.deepEqual([r.filesChanged, r.records], [1, 2]);
  assert.equal(h.totals(db).requests, 32);
});
