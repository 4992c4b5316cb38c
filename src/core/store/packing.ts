import type { Database } from 'sql.js';

/**
 * How an index file is kept packed when it is written whole (journaledSaves.ts `saveWhole`).
 *
 * A new index is created with `auto_vacuum = INCREMENTAL` (`startPacked`, before its first page is written): SQLite then keeps a pointer map (one page per ~800) and `PRAGMA incremental_vacuum` moves the pages at the
 * end of the file into the free ones and cuts the file there — what a VACUUM does for free pages, without a packed
 * copy of the whole database beside it (in sql.js the year's VACUUM cost +140–170 MiB of RSS at once).
 *
 * After a bulk write — a first index, a long catch-up, a migration: more rows than a journal record captures — the
 * tables a first index fills against their key order are rewritten in key order first (`repackTable`). The
 * extension's first index reads the newest logs first, so each batch's rows go in before the rows already kept and
 * SQLite's B-tree pages split there stay about half full: measured on the year bench's file with every source
 * written through the index worker (2026-12-07), `rate_limits` 1.20 → 0.61 MB, `files` 4.64 → 3.91, `usage_acts`
 * 3.64 → 3.26, `keyed_packs` 3.74 → 3.47, `codex_event_packs` 1.07 → 0.98 MB. A copy with `INSERT INTO
 * new SELECT * FROM old` is SQLite's transfer optimisation (as VACUUM copies: raw records in key order, index pages
 * filled whole), then each index is built again from sorted keys. Tables with generated columns (`usage`,
 * `usage_hours`, `session_totals`) cannot be copied that way and a copy row by row packs them no better (`usage` grew
 * by 54 pages), so they stay; so do the tables written in key order (`claude_packs`, `claude_seen_packs`, `dirs`,
 * `dims`: no page to gain).
 *
 * An older file (auto_vacuum off) is only packed by the VACUUM of a file more than a tenth free pages, which also
 * turns incremental vacuum on for it.
 */

/** Tables a first index fills out of their key order (measured, above); any other is left as it is. */
export const REPACKED_TABLES: readonly string[] = ['rate_limits', 'files', 'usage_acts', 'keyed_packs', 'codex_event_packs', 'claude_block_parts'];

const INCREMENTAL = 2;

const num = (db: Database, sql: string): number => Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0);

/** Sets a new, empty database to keep a pointer map for incremental vacuum (no effect once it holds a table). */
export function startPacked(db: Database): void {
  db.exec('PRAGMA auto_vacuum = INCREMENTAL');
}

/** Whether `db` was created for incremental vacuum. */
export function isIncrementallyPacked(db: Database): boolean {
  return num(db, 'PRAGMA auto_vacuum') === INCREMENTAL;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Rewrites `table` in key order under the same definition, indexes built again (one transaction). Its change
 * capture triggers go with the old table: the caller starts capture again. False when the table is missing or
 * cannot be copied whole (generated columns).
 */
export function repackTable(db: Database, table: string): boolean {
  const def = db.exec('SELECT sql FROM main.sqlite_master WHERE type = ? AND name = ?', ['table', table])[0]?.values[0]?.[0];
  if (typeof def !== 'string') return false;
  const columns = db.exec(`PRAGMA main.table_xinfo(${q(table)})`)[0]?.values ?? [];
  if (columns.some((c) => Number(c[6]) !== 0)) return false;
  const named = /^CREATE TABLE\s+(?:"(?:[^"]|"")+"|\w+)/i;
  if (!named.test(def)) return false;
  const indexes = (db.exec('SELECT sql FROM main.sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL', ['index', table])[0]?.values ?? []).map((r) => String(r[0]));
  db.exec('BEGIN');
  try {
    db.exec(`${def.replace(named, 'CREATE TABLE main.am_repack')};
      INSERT INTO main.am_repack SELECT * FROM main.${q(table)};
      DROP TABLE main.${q(table)};
      ALTER TABLE main.am_repack RENAME TO ${q(table)};
      ${indexes.join(';\n')};
      COMMIT`);
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
  return true;
}

/**
 * Packs `db` before it is written whole: after a bulk write (`bulk`) the tables filled out of key order are rewritten;
 * then free pages are cut off the file (incremental vacuum), or, in an older file more than a tenth free pages,
 * VACUUM (which also turns incremental vacuum on for it). Returns whether tables were rewritten (their change
 * capture must start again).
 */
export function packForWholeSave(db: Database, bulk: boolean): boolean {
  if (!isIncrementallyPacked(db)) {
    if (num(db, 'PRAGMA freelist_count') * 10 <= num(db, 'PRAGMA page_count')) return false;
    db.exec('PRAGMA auto_vacuum = INCREMENTAL');
    db.run('VACUUM');
    return false;
  }
  let repacked = false;
  if (bulk) for (const t of REPACKED_TABLES) repacked = repackTable(db, t) || repacked;
  if (num(db, 'PRAGMA freelist_count') > 0) db.run('PRAGMA incremental_vacuum');
  return repacked;
}
