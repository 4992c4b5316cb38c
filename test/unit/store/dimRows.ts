/**
 * Dims rows written and read by tests as texts (schema 13 keeps their texts in `strs`, store/strs.ts): in SQL only, so
 * that they roll back with the transaction that wrote them, as the store's own writes do.
 */
import type { Database } from 'sql.js';
import type { Dim } from '../../../src/core/query/dimTotals';
import { FileStateTexts } from '../../../src/core/store/fileRows';
import { forgetTexts } from '../../../src/core/store/strs';
import { FileKeys } from '../../../src/core/store/fileDirs';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';
import { claudeCallRows } from './claudeCallRows';
import { allSeenCalls } from '../../../src/core/store/seenCalls';

/** The `strs` id of a text, inserted when new. */
export function strId(db: Database, s: string): number {
  const found = db.exec('SELECT id FROM strs WHERE s = ?', [s])[0]?.values[0]?.[0];
  if (found !== undefined) return Number(found);
  return Number(db.exec('INSERT INTO strs (s) VALUES (?) RETURNING id', [s])[0].values[0][0]);
}

/** Inserts a dims row (with its id when given) and returns its id. */
export function putDim(db: Database, d: Dim, id?: number): number {
  const ids = [strId(db, d.source), strId(db, d.model), strId(db, d.project), strId(db, d.branch), strId(db, d.tier)];
  const [s, m, p, b, t] = ids;
  const res = db.exec(
    'INSERT INTO dims (id, source_id, model_id, project_id, session, branch_id, tier_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    [id ?? null, s, m, p, d.session, b, t],
  );
  return Number(res[0].values[0][0]);
}

/**
 * Turns a current index's dims and files back into their schema-12 form (texts in the rows, `files` keyed by path)
 * and sets user_version 12: for tests that make an index of an older schema from a current one.
 */
export function asSchema12(db: Database): void {
  asSchema13(db);
  db.exec(`CREATE TEMP TABLE d13 AS SELECT * FROM ${DIMS_AS_TEXT};
  CREATE TEMP TABLE f13 AS SELECT d.path || f.name path, f.source, f.dev, f.ino, f.size, f.mtime_ms, f.offset, f.state, f.missing
    FROM files f JOIN dirs d ON d.id = f.dir;
  DROP TABLE dims; DROP TABLE files; DROP TABLE strs; DROP TABLE dirs;
  CREATE TABLE dims (id INTEGER PRIMARY KEY, source, model, project, session, branch, tier);
  CREATE INDEX ds ON dims (substr(session, -8));
  INSERT INTO dims SELECT * FROM temp.d13 ORDER BY id;
  CREATE TABLE files (
    path TEXT PRIMARY KEY, source TEXT NOT NULL,
    dev INTEGER NOT NULL, ino INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL,
    offset INTEGER NOT NULL, state TEXT NOT NULL DEFAULT '{}', missing INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  INSERT INTO files SELECT * FROM temp.f13;
  DROP TABLE temp.d13; DROP TABLE temp.f13;
  PRAGMA user_version = 12`);
}

/**
 * Turns a current index's packed recent Claude calls back into their schema-13 table (claude_calls, one row per kept
 * copy, as schema 6 made it; requestIds as their keys, which ridKey keeps) and sets user_version 13.
 */
export function asSchema13(db: Database): void {
  asSchema14(db);
  const rows = claudeCallRows(db);
  db.exec(`DROP TABLE claude_packs;
  CREATE TABLE claude_calls (mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search, act DEFAULT 0,
    PRIMARY KEY (mid, rid)) WITHOUT ROWID;
  PRAGMA user_version = 13`);
  const ins = db.prepare('INSERT INTO claude_calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of rows) ins.run(r);
  ins.free();
}

/**
 * Turns a current index's compacted hashes back into their schema-14 layout (5 bytes each per 16-bit prefix, as
 * migration 3 packed them) and sets user_version 14.
 */
export function asSchema14(db: Database): void {
  asSchema15(db);
  const all = allSeenCalls(db);
  db.run('DELETE FROM claude_seen_packs');
  const ins = db.prepare('INSERT INTO claude_seen_packs (k, h) VALUES (?, ?)');
  for (let i = 0; i < all.length; ) {
    const k = Math.floor(all[i] / 2 ** 37);
    let j = i;
    while (j < all.length && Math.floor(all[j] / 2 ** 37) === k) j++;
    ins.run([k, Uint8Array.from(all.slice(i, j).flatMap((h) => { const lo = h % 2 ** 37; return [Math.floor(lo / 2 ** 32), ...[24, 16, 8, 0].map((s) => Math.floor(lo / 2 ** s) % 256)]; }))]);
    i = j;
  }
  ins.free();
  db.run('PRAGMA user_version = 14');
}

const SUMS = 'input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests';

/**
 * Turns a current index's usage, usage_hours and session_totals back into their schema-15 tables (first and last
 * entry times stored as epoch ms, the DDL of migrations 1 and 4) and sets user_version 15.
 */
export function asSchema15(db: Database): void {
  asSchema16(db);
  db.exec(`CREATE TEMP TABLE u16 AS SELECT bucket, dim, ${SUMS}, first_ms, last_ms FROM usage;
  CREATE TEMP TABLE h16 AS SELECT hour, key, ${SUMS}, first_ms, last_ms, ord FROM usage_hours;
  CREATE TEMP TABLE s16 AS SELECT dim, ${SUMS}, first_ms, last_ms, first_bucket, last_bucket, first_billed FROM session_totals;
  DROP TABLE usage; DROP TABLE usage_hours; DROP TABLE session_totals;
  CREATE TABLE usage (
    bucket INTEGER NOT NULL, dim INTEGER NOT NULL REFERENCES dims(id),
    input INTEGER NOT NULL DEFAULT 0, output INTEGER NOT NULL DEFAULT 0,
    cw5m INTEGER NOT NULL DEFAULT 0, cw1h INTEGER NOT NULL DEFAULT 0,
    cache_read INTEGER NOT NULL DEFAULT 0, reasoning INTEGER NOT NULL DEFAULT 0,
    web_search INTEGER NOT NULL DEFAULT 0, requests INTEGER NOT NULL DEFAULT 0,
    first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,
    PRIMARY KEY (bucket, dim)
  ) WITHOUT ROWID;
  CREATE TABLE usage_hours (hour, key, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms,
    last_ms, ord, PRIMARY KEY (hour, key)) WITHOUT ROWID;
  CREATE TABLE session_totals (dim INTEGER PRIMARY KEY, input, output, cw5m, cw1h, cache_read, reasoning, web_search,
    requests, first_ms, last_ms, first_bucket, last_bucket, first_billed);
  INSERT INTO usage SELECT * FROM temp.u16 ORDER BY bucket, dim;
  INSERT INTO usage_hours SELECT * FROM temp.h16 ORDER BY hour, key;
  INSERT INTO session_totals SELECT * FROM temp.s16 ORDER BY dim;
  DROP TABLE temp.u16; DROP TABLE temp.h16; DROP TABLE temp.s16;
  PRAGMA user_version = 15`);
}

/**
 * Turns a current index's files back into their schema-16 table (the source and the state as JSON text, the DDL of
 * migration 13) and sets user_version 16. The key lists the packed states interned stay in strs.
 */
export function asSchema16(db: Database): void {
  asSchema19(db);
  const states = new FileStateTexts(db);
  const rows = (db.exec('SELECT dir, name, (SELECT s FROM strs WHERE id = source_id), dev, ino, size, mtime_ms, offset, fp, state, missing FROM files')[0]?.values ?? [])
    .map(([dir, name, source, dev, ino, size, mtime, offset, fp, state, missing]) => [dir, name, source, dev, ino, size, mtime, offset, states.text(fp, state), missing]);
  asSchema18(db);
  db.exec(`DROP TABLE files;
  CREATE TABLE files (dir, name, source, dev INT, ino INT, size INT, mtime_ms INT, offset INT, state, missing INT,
    PRIMARY KEY (dir, name)) WITHOUT ROWID;
  PRAGMA user_version = 16`);
  const ins = db.prepare('INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of rows) ins.run(r);
  ins.free();
}

/**
 * Turns a current index's dirs back into their schema-18 table (each directory of a file, with its whole text; the
 * directories above them that only schema 19 keeps are dropped) and sets user_version 18.
 */
export function asSchema18(db: Database): void {
  const keys = new FileKeys(db);
  const dirs = (db.exec('SELECT DISTINCT dir FROM files ORDER BY dir')[0]?.values ?? []).map(([id]) => [Number(id), keys.pathOf(Number(id), '')] as const);
  keys.free();
  db.exec('DROP TABLE dirs; CREATE TABLE dirs (id INTEGER PRIMARY KEY, path); PRAGMA user_version = 18');
  forgetTexts(db);
  const ins = db.prepare('INSERT INTO dirs VALUES (?, ?)');
  for (const d of dirs) ins.run([...d]);
  ins.free();
}

/**
 * Turns a current index's session_totals back into its schema-19 table (buckets stored as epoch ms, the DDL of
 * migration 16) and sets user_version 19.
 */
export function asSchema19(db: Database): void {
  db.exec(`CREATE TEMP TABLE s20 AS SELECT dim, ${SUMS}, f, l, first_bucket, last_bucket, first_billed FROM session_totals;
  DROP TABLE session_totals;
  CREATE TABLE session_totals (dim INTEGER PRIMARY KEY, input, output, cw5m, cw1h, cache_read, reasoning, web_search,
    requests, f, l, first_bucket, last_bucket, first_billed, first_ms AS (first_bucket + f), last_ms AS (last_bucket + l));
  INSERT INTO session_totals SELECT * FROM temp.s20 ORDER BY dim;
  DROP TABLE temp.s20;
  PRAGMA user_version = 19`);
}
