import type { Database } from 'sql.js';
import { forgetTexts, parentDir, TextIds } from './strs';

/**
 * `files` keyed by (directory, name) since schema 13: `dirs` holds each directory once (store/strs.ts), with its
 * trailing separator, so that a path is exactly the directory's text followed by `files.name`; since schema 19 a `dirs`
 * row holds its parent directory's id and its last segment (`a/b/` under `a/`: `b/`), a root its whole text. The split is at the last '/' or '\'
 * (a path with neither: directory ''), the same in SQL (the migration) and here.
 */
export function splitPath(path: string): [dir: string, name: string] {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  return [path.slice(0, cut), path.slice(cut)];
}

/**
 * SQL: every directory's whole text (`dir_paths (id, path)`, a CTE), from the `dirs` rows' parents and segments (schema
 * 19): for tests and checks; the ingest and the readers build them in memory (`FileKeys.pathOf`).
 */
const DIR_PATHS = `dir_paths (id, path) AS (SELECT id, path FROM dirs WHERE parent IS NULL
  UNION ALL SELECT d.id, p.path || d.path FROM dirs d JOIN dir_paths p ON d.parent = p.id)`;

/** The `files` keys of paths for the ingest (its one writer): directories found, or inserted by `keyOf`. */
export class FileKeys {
  private readonly dirs: TextIds;

  constructor(db: Database) {
    this.dirs = new TextIds(db, 'dirs');
  }

  /** The (dir, name) key of a path, its directory inserted into `dirs` when new. */
  keyOf(path: string): [dir: number, name: string] {
    const [dir, name] = splitPath(path);
    return [this.dirs.idOf(dir), name];
  }

  /** The whole path of a `files` key. */
  pathOf(dir: number, name: string): string {
    return this.dirs.textOf(dir) + name;
  }

  /** The (dir, name) key of a path, undefined when no file of its directory is stored. */
  find(path: string): [dir: number, name: string] | undefined {
    const [dir, name] = splitPath(path);
    const id = this.dirs.find(dir);
    return id === undefined ? undefined : [id, name];
  }

  free(): void {
    this.dirs.free();
  }
}

/**
 * SQL: the `files` rows with their whole path and source, as a table in a FROM clause (columns path, source, dev, ino,
 * size, mtime_ms, offset, fp, state, missing; the state packed since schema 17: store/fileRows.ts reads it back).
 */
export const FILES_AS_PATHS = `(WITH RECURSIVE ${DIR_PATHS} SELECT p.path || f.name path, (SELECT s FROM strs WHERE id = f.source_id) source, f.dev,
  f.ino, f.size, f.mtime_ms, f.offset, f.fp, f.state, f.missing FROM files f JOIN dir_paths p ON p.id = f.dir)`;

/**
 * Migration 19's data step: every `dirs` row as its parent's id and its last segment, the directories it is in that
 * have no row yet inserted (each with its own parent), every row keeping its id (files are not touched).
 */
export function nestDirs(db: Database): void {
  forgetTexts(db);
  const ids = new Map<string, number>();
  for (const [id, path] of db.exec('SELECT id, path FROM dirs')[0]?.values ?? []) ids.set(String(path), Number(id));
  const add = db.prepare('INSERT INTO dirs (path) VALUES (?) RETURNING id');
  const set = db.prepare('UPDATE dirs SET parent = ?, path = ? WHERE id = ?');
  try {
    for (const dir of [...ids.keys()]) {
      for (let p = parentDir(dir); p !== undefined && !ids.has(p); p = parentDir(p)) {
        add.bind([p]);
        add.step();
        ids.set(p, Number(add.get()[0]));
        add.reset();
      }
    }
    for (const [dir, id] of [...ids].sort((a, b) => a[1] - b[1])) {
      const parent = parentDir(dir);
      set.run(parent === undefined ? [null, dir, id] : [ids.get(parent)!, dir.slice(parent.length), id]);
    }
  } finally {
    add.free();
    set.free();
  }
}
