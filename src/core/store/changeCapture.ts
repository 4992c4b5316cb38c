import type { Database, Statement } from 'sql.js';
import { inSavepoint } from './savepoint';

/**
 * Row-level change capture of the index database, so that a save can write what changed instead of the whole file
 * (indexJournal.ts). TEMP triggers on every table of `main` copy each inserted, updated or deleted row, in order, to
 * `temp.am_changes` as a JSON array (SQLite's json_array: integers are written exactly, whatever their size, and read
 * back by json_extract in SQL, never through a JS number). Being a table of the same database, the captured rows
 * commit and roll back with the transaction that wrote them.
 *
 * A change is one of:
 * - `1` upsert: the whole new row, replayed as INSERT OR REPLACE (also for an UPDATE that kept its primary key);
 * - `0` delete: the primary key of a deleted row (and of an updated row whose primary key changed, before its upsert).
 * A REPLACE that deletes a conflicting row fires no delete trigger (recursive_triggers is off); the replayed
 * INSERT OR REPLACE meets the same conflict and deletes the same row.
 *
 * Capture is bounded: after MAX_CAPTURED rows the triggers stop recording (checked by a JS function, so the check
 * costs no query) and the database is marked overflowed: its next save must write the whole file. Every table needs a
 * primary key (checked when capture starts). A column declared BLOB is carried as hex text (json_array refuses a
 * BLOB) and turned back into bytes on replay; a BLOB value in a column declared otherwise would fail the write, and
 * the store puts none there.
 */

/** One captured change: table, op (1 upsert, 0 delete), the row or key as JSON text. */
export type Change = [table: string, op: 0 | 1, json: string];

/** Captured rows before the capture overflows (the save then writes the whole file). */
export const MAX_CAPTURED = 50_000;

interface CaptureState {
  tables: TableShape[];
  captured: number;
  overflowed: boolean;
}

export interface TableShape {
  name: string;
  columns: string[];
  key: string[];
  /** where each key column lies in `columns` (in the key's order) */
  keyAt: number[];
  /** how many of a row's first columns hold its whole key */
  keyReach: number;
  /** a UNIQUE constraint other than the primary key: an INSERT OR REPLACE may delete a row with another key */
  otherUnique: boolean;
  /** columns declared BLOB (carried as hex) */
  blobs: Set<string>;
}

const states = new WeakMap<Database, CaptureState>();

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The tables of `main` with their columns and primary key (rowid-aliasing INTEGER PRIMARY KEY included). */
function tableShapes(db: Database): TableShape[] {
  const names = (db.exec("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")[0]?.values ?? []).map((r) => String(r[0]));
  return names.map((name) => {
    const info = db.exec(`PRAGMA main.table_info(${q(name)})`)[0]?.values ?? [];
    const columns = info.map((r) => String(r[1]));
    const key = info.filter((r) => Number(r[5]) > 0).sort((a, b) => Number(a[5]) - Number(b[5])).map((r) => String(r[1]));
    if (!key.length) throw new Error(`change capture: table ${name} has no primary key`);
    const blobs = new Set(info.filter((r) => /BLOB/i.test(String(r[2]))).map((r) => String(r[1])));
    const keyAt = key.map((k) => columns.indexOf(k));
    const otherUnique = (db.exec(`PRAGMA main.index_list(${q(name)})`)[0]?.values ?? []).some((r) => Number(r[2]) === 1 && String(r[3]) !== 'pk');
    return { name, columns, key, keyAt, keyReach: Math.max(...keyAt) + 1, otherUnique, blobs };
  });
}

const shapes = new WeakMap<Database, { schemaVersion: number; byName: Map<string, TableShape> }>();

/**
 * The tables' shapes by name, read again only when the schema changed (SQLite's schema cookie): opening an index
 * applies each journal record on its own (up to thousands), and a reader applies every new one.
 */
export function shapesByName(db: Database): Map<string, TableShape> {
  const schemaVersion = Number(db.exec('PRAGMA main.schema_version')[0]?.values[0]?.[0] ?? 0);
  let c = shapes.get(db);
  if (!c || c.schemaVersion !== schemaVersion) {
    c = { schemaVersion, byName: new Map(tableShapes(db).map((t) => [t.name, t])) };
    shapes.set(db, c);
  }
  return c.byName;
}

/** Whether changes of `db` are being captured (`startCapture` ran and the schema has not changed since). */
export function isCapturing(db: Database): boolean {
  return states.has(db);
}

/** Whether the capture stopped recording (more than MAX_CAPTURED rows since the last take): save the whole file. */
export function captureOverflowed(db: Database): boolean {
  return states.get(db)?.overflowed ?? false;
}

/**
 * Starts capturing every change of `db` from now on (again after `stopCapture`). Call it with the database saved or
 * freshly loaded: what was written before is not captured.
 */
export function startCapture(db: Database, maxCaptured = MAX_CAPTURED): void {
  stopCapture(db);
  const tables = tableShapes(db);
  const state: CaptureState = { tables, captured: 0, overflowed: false };
  db.create_function('am_capture', () => {
    if (state.captured >= maxCaptured) {
      state.overflowed = true;
      return 0;
    }
    state.captured++;
    return 1;
  });
  const stmts = ['CREATE TEMP TABLE IF NOT EXISTS am_changes (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op INTEGER NOT NULL, r TEXT NOT NULL)'];
  for (const t of tables) {
    const col = (p: string, c: string) => (t.blobs.has(c) ? `CASE WHEN ${p}.${q(c)} IS NULL THEN NULL ELSE hex(${p}.${q(c)}) END` : `${p}.${q(c)}`);
    const row = (p: string) => `json_array(${t.columns.map((c) => col(p, c)).join(', ')})`;
    const key = (p: string) => `json_array(${t.key.map((c) => col(p, c)).join(', ')})`;
    const keyChanged = t.key.map((c) => `OLD.${q(c)} IS NOT NEW.${q(c)}`).join(' OR ');
    const lit = `'${t.name.replace(/'/g, "''")}'`;
    const trig = (what: string) => q(`am_${what}_${t.name}`);
    stmts.push(
      `CREATE TEMP TRIGGER ${trig('ins')} AFTER INSERT ON main.${q(t.name)} WHEN am_capture() BEGIN
         INSERT INTO temp.am_changes (tbl, op, r) VALUES (${lit}, 1, ${row('NEW')}); END`,
      `CREATE TEMP TRIGGER ${trig('upd')} AFTER UPDATE ON main.${q(t.name)} WHEN am_capture() BEGIN
         INSERT INTO temp.am_changes (tbl, op, r) SELECT ${lit}, 0, ${key('OLD')} WHERE ${keyChanged};
         INSERT INTO temp.am_changes (tbl, op, r) VALUES (${lit}, 1, ${row('NEW')}); END`,
      `CREATE TEMP TRIGGER ${trig('del')} AFTER DELETE ON main.${q(t.name)} WHEN am_capture() BEGIN
         INSERT INTO temp.am_changes (tbl, op, r) VALUES (${lit}, 0, ${key('OLD')}); END`,
    );
  }
  db.exec(stmts.join(';\n'));
  states.set(db, state);
}

/** Stops capturing and drops what was captured (the triggers and the temp table go). */
export function stopCapture(db: Database): void {
  const state = states.get(db);
  if (!state) return;
  states.delete(db);
  const drops = state.tables.flatMap((t) => ['ins', 'upd', 'del'].map((w) => `DROP TRIGGER IF EXISTS temp.${q(`am_${w}_${t.name}`)}`));
  db.exec([...drops, 'DROP TABLE IF EXISTS temp.am_changes'].join(';\n'));
}

/**
 * The changes captured (and committed) since the last take, oldest first, and forgets them; the overflow mark is
 * cleared too (call it when the whole file is written, or with the changes appended to the journal).
 * Must not run inside an open transaction (its rows could still roll back).
 */
export function takeChanges(db: Database): Change[] {
  const state = states.get(db);
  if (!state) return [];
  const out: Change[] = [];
  const stmt = db.prepare('SELECT tbl, op, r FROM temp.am_changes ORDER BY seq');
  try {
    while (stmt.step()) {
      const [tbl, op, r] = stmt.get();
      out.push([String(tbl), Number(op) === 0 ? 0 : 1, String(r)]);
    }
  } finally {
    stmt.free();
  }
  db.run('DELETE FROM temp.am_changes');
  state.captured = 0;
  state.overflowed = false;
  return out;
}

/**
 * Replays changes (from `takeChanges`, possibly of another process) on `db`, in order, in one SAVEPOINT: all of them
 * or, on an error (an unknown table or column), none, and the error is thrown. Captured by `db`'s own capture if on.
 */
export function applyChanges(db: Database, changes: readonly Change[]): void {
  const replay = changeReplayer(db);
  try {
    replay.apply(changes);
  } finally {
    replay.free();
  }
}

/**
 * `applyChanges` for many batches (a journal's records): the statements are prepared once per table and op, not per
 * batch (a prepare per record and table was most of replaying a day's journal). `free` when done.
 */
export function changeReplayer(db: Database): { apply(changes: readonly Change[]): void; free(): void } {
  const byName = shapesByName(db);
  const stmts = new Map<string, Statement>();
  const stmtFor = (tbl: string, op: 0 | 1): Statement => {
    const k = `${op}\0${tbl}`;
    let s = stmts.get(k);
    if (s) return s;
    const t = byName.get(tbl);
    if (!t) throw new Error(`journal: no table ${tbl} in the index`);
    const cols = op === 1 ? t.columns : t.key;
    const vals = cols.map((c, i) => (t.blobs.has(c) ? `unhex(json_extract(?1, '$[${i}]'))` : `json_extract(?1, '$[${i}]')`));
    s = db.prepare(
      op === 1
        ? `INSERT OR REPLACE INTO main.${q(t.name)} (${cols.map(q).join(', ')}) VALUES (${vals.join(', ')})`
        : `DELETE FROM main.${q(t.name)} WHERE ${cols.map((c, i) => `${q(c)} = ${vals[i]}`).join(' AND ')}`,
    );
    stmts.set(k, s);
    return s;
  };
  return {
    apply(changes) {
      if (!changes.length) return;
      inSavepoint(db, 'am_replay', () => {
        for (const [tbl, op, r] of changes) stmtFor(tbl, op).run([r]);
      });
    },
    free() {
      for (const s of stmts.values()) s.free();
      stmts.clear();
    },
  };
}
