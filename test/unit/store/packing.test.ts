import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { openIndexDatabase, readIndexCopy, saveIndexDatabase } from '../../../src/core/store/persist';
import { journalPathOf } from '../../../src/core/store/indexJournal';
import { startCapture } from '../../../src/core/store/changeCapture';
import { isIncrementallyPacked, packForWholeSave, REPACKED_TABLES } from '../../../src/core/store/packing';
import { putRateLimits } from '../../../src/core/store/rateLimits';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import type { RateLimitSnapshot } from '../../../src/core/types';
import * as h from '../ingest/helpers';
import { dump } from './dbDump';

const BUCKET = 900_000;
const pragma = (db: Database, p: string) => Number(db.exec(`PRAGMA ${p}`)[0]!.values[0]![0]);
/** Every row (dbDump.ts) but the journal generation a whole save writes. */
function rowsOf(db: Database): ReturnType<typeof dump> {
  const rows = dump(db);
  rows.meta = rows.meta!.filter((r) => r[0] !== 'journalGen');
  return rows;
}

/** A Codex rate-limit sample as a token_count event carries it (the 5-hour and the weekly window). */
function sample(bucket: number): RateLimitSnapshot {
  const at = bucket * BUCKET + 420_000;
  return {
    observedMs: at,
    primary: { usedPercent: (bucket % 97) + 0.5, windowMinutes: 300, resetsAtMs: at + 4 * 3_600_000 },
    secondary: { usedPercent: (bucket % 61) + 0.25, windowMinutes: 10_080, resetsAtMs: at + 5 * 86_400_000 },
    planType: 'pro', limitId: 'codex',
  };
}

/**
 * Samples of 120 batches of 30 buckets written newest batch first, as the extension's first index reads the newest
 * rollouts first: each batch's rows go in before the rows already kept (the B-tree pages split there stay half full).
 */
function writeNewestFirst(db: Database, firstBucket: number): void {
  for (let batch = 119; batch >= 0; batch--) {
    const buckets = Array.from({ length: 30 }, (_, i) => firstBucket + batch * 30 + i);
    putRateLimits(db, buckets.map((b) => [b, sample(b)]));
  }
}

/** An index of real logs (the basic fixtures) plus a month of Codex quota samples, written newest first or in order. */
async function bulkIndex(newestFirst = true): Promise<{ db: Database; samplePages: number }> {
  const { db } = await h.indexOnce(h.basicLogsCopy(h.tmpDir()).roots);
  const before = pragma(db, 'page_count');
  if (newestFirst) writeNewestFirst(db, 20_000 * 96);
  else putRateLimits(db, Array.from({ length: 3600 }, (_, i) => [20_000 * 96 + i, sample(20_000 * 96 + i)]));
  return { db, samplePages: pragma(db, 'page_count') - before };
}

test('a new index is kept for incremental vacuum, and the tables it rewrites exist in the schema', async () => {
  const SQL = await loadSqlJs();
  const { db } = openIndexDatabase(SQL, undefined);
  assert.equal(isIncrementallyPacked(db), true);
  const tables = new Set(db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]!.values.map((r) => String(r[0])));
  for (const t of REPACKED_TABLES) assert.ok(tables.has(t), t);
});

test('the whole save after a first index rewrites the tables filled out of key order: the file is smaller, every row the same, and later changes still go to the journal', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const { db, samplePages: loosePages } = await bulkIndex();
    const { samplePages: orderedPages } = await bulkIndex(false);
    assert.ok(loosePages - orderedPages >= 15, `written newest first: ${loosePages} pages, in key order ${orderedPages}`);
    const rows = rowsOf(db);
    const pagesBefore = pragma(db, 'page_count');
    const file = join(dir, 'index.sqlite');
    const r = saveIndexDatabase(db, file);
    assert.equal(r.whole, true);
    const pageSize = pragma(db, 'page_size');
    const pagesAfter = statSync(file).size / pageSize;
    // the samples as dense as when written in key order (the year's: 293 -> 149 pages), the other tables no larger
    assert.ok(pagesAfter <= pagesBefore - loosePages + orderedPages, `${pagesBefore} -> ${pagesAfter} pages; the samples took ${loosePages}, in key order ${orderedPages}`);
    assert.equal(pragma(db, 'freelist_count'), 0);
    const reopened = openIndexDatabase(SQL, file).db;
    assert.deepEqual(rowsOf(reopened), rows, 'the same rows');
    assert.equal(isIncrementallyPacked(reopened), true);
    assert.equal(reopened.exec('PRAGMA integrity_check')[0]!.values[0]![0], 'ok');

    // the rewritten tables' changes are captured again: the next save appends them to the journal
    putRateLimits(db, [[30_000 * 96, sample(30_000 * 96)]]);
    db.run("UPDATE files SET size = size + 1 WHERE (dir, name) = (SELECT dir, name FROM files ORDER BY dir, name LIMIT 1)");
    const fileBytes = readFileSync(file);
    const next = saveIndexDatabase(db, file);
    assert.equal(next.whole, false, 'appended to the journal');
    assert.ok(next.bytes > 0 && statSync(journalPathOf(file)).size === next.bytes);
    assert.deepEqual(readFileSync(file), fileBytes);
    const rowsNow = rowsOf(db);
    assert.notDeepEqual(rowsNow, rows);
    assert.deepEqual(rowsOf(openIndexDatabase(SQL, file).db), rowsNow, 'the owner reopening: file + journal');
    assert.deepEqual(rowsOf(readIndexCopy(SQL, readFileSync(file), readFileSync(journalPathOf(file)))), rowsNow, 'a reader copy');
  } finally {
    h.cleanup(dir);
  }
});

test('a long catch-up on a saved index (more changes than a journal record captures) is packed the same way, and its capture goes on', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const file = join(dir, 'index.sqlite');
    const { db: first } = await h.indexOnce(h.basicLogsCopy(dir).roots);
    saveIndexDatabase(first, file);
    const db = openIndexDatabase(SQL, file).db;
    startCapture(db, 500); // the capture overflows at 500 rows instead of 50,000
    const before = pragma(db, 'page_count');
    writeNewestFirst(db, 20_000 * 96);
    const loosePages = pragma(db, 'page_count') - before;
    const { samplePages: orderedPages } = await bulkIndex(false);
    const rows = rowsOf(db);
    const r = saveIndexDatabase(db, file);
    assert.equal(r.whole, true, 'more changed than the capture keeps');
    assert.ok(statSync(file).size / pragma(db, 'page_size') <= before + orderedPages, `${before} + ${loosePages} pages -> ${statSync(file).size / pragma(db, 'page_size')}`);
    assert.deepEqual(rowsOf(openIndexDatabase(SQL, file).db), rows);

    putRateLimits(db, [[30_000 * 96, sample(30_000 * 96)]]);
    db.run("UPDATE files SET size = size + 1 WHERE (dir, name) = (SELECT dir, name FROM files ORDER BY dir, name LIMIT 1)");
    const next = saveIndexDatabase(db, file);
    assert.equal(next.whole, false, 'appended to the journal');
    const rowsNow = rowsOf(db);
    assert.deepEqual(rowsOf(openIndexDatabase(SQL, file).db), rowsNow, 'the rewritten tables\' changes were captured');
  } finally {
    h.cleanup(dir);
  }
});

test('a whole save after few changes rewrites no table; free pages are cut off the file', async () => {
  const { db } = await bulkIndex();
  const loose = pragma(db, 'page_count');
  assert.equal(packForWholeSave(db, false), false, 'no table rewritten');
  assert.equal(pragma(db, 'page_count'), loose, 'no free pages, no packing');
  db.run('DELETE FROM rate_limits WHERE bucket % 2 = 0');
  const rows = rowsOf(db);
  const freed = pragma(db, 'freelist_count');
  assert.ok(freed > 0);
  assert.equal(packForWholeSave(db, false), false);
  assert.equal(pragma(db, 'freelist_count'), 0);
  assert.equal(pragma(db, 'page_count'), loose - freed, 'the free pages cut off');
  assert.deepEqual(rowsOf(db), rows);
});

test('an older index (no incremental vacuum) more than a tenth free pages is VACUUMed when written whole, and kept for incremental vacuum from then on', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const { db } = await h.indexOnce(h.basicLogsCopy(dir).roots);
    db.run('PRAGMA auto_vacuum = NONE');
    db.run('VACUUM'); // as an index made before incremental vacuum
    assert.equal(isIncrementallyPacked(db), false);
    db.run('CREATE TABLE bulk (k INTEGER PRIMARY KEY, v TEXT)');
    db.run("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) INSERT INTO bulk SELECT i, printf('%0500d', i) FROM n");
    db.run('DROP TABLE bulk');
    assert.ok(pragma(db, 'freelist_count') * 10 > pragma(db, 'page_count'), 'sparse');
    const rows = rowsOf(db);
    const modeBefore = db.exec('PRAGMA journal_mode')[0]!.values[0]![0];
    const file = join(dir, 'index.sqlite');
    assert.equal(saveIndexDatabase(db, file).whole, true);
    assert.equal(pragma(db, 'freelist_count'), 0, 'compacted');
    assert.equal(db.exec('PRAGMA journal_mode')[0]!.values[0]![0], modeBefore);
    const reopened = openIndexDatabase(SQL, file).db;
    assert.equal(isIncrementallyPacked(reopened), true);
    assert.deepEqual(rowsOf(reopened), rows);
  } finally {
    h.cleanup(dir);
  }
});
