import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { type Logger, nullLogger } from '../types';
import { migrate, NewerSchemaError } from './schema';

export interface OpenedIndex {
  db: Database;
  /** set when an existing file could not be used and a fresh index was started (the reason, for the user) */
  rebuiltReason?: string;
}

/**
 * The index file exists but could not be read (permissions, a folder in its place, a lock held by another program
 * such as a virus scanner on Windows). It is not corrupt: it is left as it is, and no fresh index replaces it (that
 * would lose the history of logs deleted since).
 */
export class IndexFileReadError extends Error {
  readonly code: string | undefined;
  constructor(readonly file: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`cannot read the usage index ${file} (${cause instanceof Error ? cause.message : String(cause)}); the file was left as it is`);
    this.name = 'IndexFileReadError';
    this.code = code;
  }
}

/**
 * Opens the index database (in memory when `file` is undefined or does not exist yet) and migrates it.
 * A corrupt file is renamed to `<file>.corrupt-<timestamp>`, one from a newer schema to `<file>.newer-<version>`,
 * and a fresh database is returned with `rebuiltReason` (the logs are re-read; nothing is lost but time).
 * A file that cannot be read at all throws `IndexFileReadError` and is not touched.
 */
export function openIndexDatabase(SQL: SqlJsStatic, file: string | undefined, logger: Logger = nullLogger): OpenedIndex {
  if (!file || !existsSync(file)) return { db: fresh(SQL) };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new IndexFileReadError(file, e);
  }
  let db: Database | undefined;
  try {
    db = new SQL.Database(bytes);
    const check = db.exec('PRAGMA quick_check');
    const ok = check[0]?.values[0]?.[0];
    if (ok !== 'ok') throw new Error(`integrity check failed: ${String(ok)}`);
    migrate(db);
    return { db };
  } catch (e) {
    try {
      db?.close();
    } catch {
      /* already unusable */
    }
    const newer = e instanceof NewerSchemaError;
    const aside = newer ? `${file}.newer-${e.found}` : `${file}.corrupt-${Date.now()}`;
    const why = newer ? e.message : `database is unreadable (${e instanceof Error ? e.message : String(e)})`;
    let moved = true;
    try {
      renameSync(file, aside);
    } catch {
      moved = false;
    }
    const rebuiltReason = `${why}; ${moved ? `moved aside to ${aside}` : 'could not move it aside'}; rebuilding the index from the logs`;
    logger.warn(rebuiltReason);
    return { db: fresh(SQL), rebuiltReason };
  }
}

function fresh(SQL: SqlJsStatic): Database {
  const db = new SQL.Database();
  migrate(db);
  return db;
}

/**
 * Atomic save: write `<file>.tmp-<pid>`, fsync, rename over the file. A crash leaves the old or the new file, never half.
 * Note: sql.js `export()` frees all prepared statements of the database.
 */
export function saveIndexDatabase(db: Database, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const data = db.export();
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true }); // a failed save (full disk, a locked file) leaves no copy of the database behind
    throw e;
  }
  try {
    // make the rename itself durable (POSIX; not possible on Windows, where rename is already journaled)
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* best effort */
  }
}
