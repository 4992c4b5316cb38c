import type { Database } from 'sql.js';
import { TextIds } from './strs';

/**
 * `files` keyed by (directory, name) since schema 13: `dirs` holds each directory once (store/strs.ts), with its
 * trailing separator, so that a path is exactly `dirs.path || files.name`. The split is at the last '/' or '\'
 * (a path with neither: directory ''), the same in SQL (the migration) and here.
 */
export function splitPath(path: string): [dir: string, name: string] {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  return [path.slice(0, cut), path.slice(cut)];
}

/** SQL: the whole path of the `files` row aliased `f` (with `dirs` joined as `dd`: `FILE_DIRS_JOIN`). */
export const FILE_PATH = 'dd.path || f.name';
export const FILE_DIRS_JOIN = 'files f JOIN dirs dd ON dd.id = f.dir';

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
export const FILES_AS_PATHS = `(SELECT ${FILE_PATH} path, (SELECT s FROM strs WHERE id = f.source_id) source, f.dev, f.ino, f.size, f.mtime_ms,
  f.offset, f.fp, f.state, f.missing FROM ${FILE_DIRS_JOIN})`;
