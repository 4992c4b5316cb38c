import type { Database, Statement } from 'sql.js';
import { inTransaction } from '../query/inTransaction';

/**
 * Interned texts (schema 13): `strs` holds each distinct text of the dims rows (source, model, project, branch, tier)
 * once and dims rows reference them by id (`source_id`, …); `dirs` holds each directory of the log files once and
 * `files` rows reference it (store/fileDirs.ts; since schema 19 as its parent's id and its last segment). Rows are only ever inserted, with growing ids, and never changed:
 * a reader keeps the texts it has read and reads only those with a larger id. Neither table has a UNIQUE index (a
 * second copy of every text): its one writer (`TextIds`, used by the ingest inside a refresh's transaction) keeps
 * the texts distinct with the map of every row it holds.
 */

type Table = 'strs' | 'dirs';
const COLUMN: Record<Table, string> = { strs: 's', dirs: 'path' };

interface Kept {
  ids: Map<string, number>;
  texts: string[];
  top: number;
}

/** The committed rows of each table, kept per database (read once, then only new rows). */
const kept = new WeakMap<Database, Map<Table, Kept>>();

/**
 * Reads the rows with an id above `afterId` into `ids` / `texts`; the largest id read (or `afterId`). A `dirs` row's
 * text is its parent's (`known`: the texts read before; or a row read here) followed by its own `path` (schema 19).
 */
function readAfter(db: Database, table: Table, afterId: number, ids: Map<string, number> | undefined, texts: string[], known: (id: number) => string | undefined = () => undefined): number {
  let top = afterId;
  const dirs = table === 'dirs';
  const rows = new Map<number, [parent: number | null, path: string]>();
  const stmt = db.prepare(dirs ? 'SELECT id, path, parent FROM dirs WHERE id > ?' : `SELECT id, ${COLUMN[table]} FROM ${table} WHERE id > ?`);
  try {
    stmt.bind([afterId]);
    while (stmt.step()) {
      const v = stmt.get();
      const id = Number(v[0]);
      const s = String(v[1]);
      if (id > top) top = id;
      if (dirs) {
        rows.set(id, [v[2] === null ? null : Number(v[2]), s]);
        continue;
      }
      texts[id] = s;
      ids?.set(s, id);
    }
  } finally {
    stmt.free();
  }
  const resolve = (id: number, depth: number): string => {
    const t = texts[id] ?? known(id);
    if (t !== undefined) return t;
    const row = rows.get(id);
    if (!row || depth > 4096) return ''; // no such row (or a cycle, which the one writer never makes)
    const text = (row[0] === null ? '' : resolve(row[0], depth + 1)) + row[1];
    texts[id] = text;
    ids?.set(text, id);
    return text;
  };
  for (const id of rows.keys()) resolve(id, 0);
  return top;
}

/** Drops the texts kept for a database: a migration that changed its rows in place (schema 19's dirs). */
export function forgetTexts(db: Database): void {
  kept.delete(db);
}

/**
 * The directory a directory is in (with its trailing separator), undefined for a root ('/', 'C:\', ''): a `dirs` row
 * holds its parent's id and its own last segment only (schema 19), split as fileDirs.ts splits a path.
 */
export function parentDir(dir: string): string | undefined {
  const last = dir.charCodeAt(dir.length - 1);
  const trimmed = last === 47 || last === 92 ? dir.slice(0, -1) : dir;
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1;
  return cut > 0 ? trimmed.slice(0, cut) : undefined;
}

/**
 * The ids of a table's texts for the ingest, the table's one writer: the committed rows kept per database (brought up
 * to date when made, outside a transaction: one query on the primary key), the rows it reads or inserts inside a
 * transaction held by this object only (they may roll back, their ids then given to other texts).
 */
export class TextIds {
  private readonly base: Kept;
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private insert: Statement | undefined;

  constructor(private readonly db: Database, private readonly table: Table) {
    const perDb = kept.get(db) ?? new Map<Table, Kept>();
    kept.set(db, perDb);
    let k = perDb.get(table);
    const max = Number(db.exec(`SELECT COALESCE(MAX(id), 0) FROM ${table}`)[0]?.values[0]?.[0] ?? 0);
    if (!k || max < k.top) {
      k = { ids: new Map(), texts: [], top: 0 }; // none kept, or a table that shrank (rebuilt)
      perDb.set(table, k);
    }
    if (max > k.top) {
      const base = k;
      if (inTransaction(db)) readAfter(db, table, k.top, this.ids, this.texts, (id) => base.texts[id]);
      else k.top = readAfter(db, table, k.top, k.ids, k.texts);
    }
    this.base = k;
  }

  /** The id of a text, undefined when the table does not hold it. */
  find(s: string): number | undefined {
    return this.base.ids.get(s) ?? this.ids.get(s);
  }

  /** The id of a text, inserted when new. */
  idOf(s: string): number {
    let id = this.find(s);
    if (id !== undefined) return id;
    // a directory: its parent's id (inserted first when new) and its last segment (a root: its whole text)
    const parent = this.table === 'dirs' ? parentDir(s) : undefined;
    const values = this.table === 'dirs' ? [parent === undefined ? null : this.idOf(parent), parent === undefined ? s : s.slice(parent.length)] : [s];
    this.insert ??= this.db.prepare(this.table === 'dirs' ? 'INSERT INTO dirs (parent, path) VALUES (?, ?) RETURNING id' : `INSERT INTO ${this.table} (${COLUMN[this.table]}) VALUES (?) RETURNING id`);
    try {
      this.insert.bind(values);
      if (this.insert.step()) id = Number(this.insert.get()[0]);
    } finally {
      this.insert.reset();
    }
    if (id === undefined) throw new Error(`${this.table}: a text not inserted`);
    this.ids.set(s, id);
    this.texts[id] = s;
    return id;
  }

  /** The text of an id ('' for an unknown id). */
  textOf(id: number): string {
    return this.base.texts[id] ?? this.texts[id] ?? '';
  }

  free(): void {
    this.insert?.free();
    this.insert = undefined;
  }
}

/** Reads the texts of `strs` with an id above `afterId` into `into` (by id) and returns it: a reader's copy. */
export function readStrsAfter(db: Database, into: string[], afterId: number): string[] {
  readAfter(db, 'strs', afterId, undefined, into);
  return into;
}

/** SQL: the text of interned column `col` (source, model, project, branch or tier) of the dims row aliased `d`. */
export const dimText = (d: string, col: 'source' | 'model' | 'project' | 'branch' | 'tier'): string =>
  `(SELECT s FROM strs WHERE id = ${d}.${col}_id)`;

/** SQL: the id in `strs` of the text `expr` (NULL when `strs` does not hold it: then no id equals it). */
export const strIdOf = (expr: string): string => `(SELECT id FROM strs WHERE s = ${expr})`;

/**
 * SQL: the dims rows with their texts, as a table in a FROM clause (columns id, source, model, project, session, branch,
 * tier: the rows as schema 12 held them), for reads that compare or group by text (the bench's checks, tests).
 */
export const DIMS_AS_TEXT = `(SELECT id, ${dimText('d', 'source')} source, ${dimText('d', 'model')} model, ${dimText('d', 'project')} project,
  session, ${dimText('d', 'branch')} branch, ${dimText('d', 'tier')} tier FROM dims d)`;
