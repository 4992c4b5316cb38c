import { existsSync, renameSync, rmSync } from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import { type Logger, nullLogger } from '../types';
import { migrate, NewerSchemaError, SCHEMA_VERSION, schemaVersionOf } from './schema';
import { journalPathOf } from './indexJournal';
import { followFrom, replayJournal, trackSaves } from './journaledSaves';
import { fileStampSync, type FileStamp } from '../fileStamp';
import { openWithRoom, readFileWithRoom } from './roomyFile';
import { startPacked } from './packing';

export { followJournal, journalReadUpTo, removeIndexFiles, saveIndexDatabase, startDeferredCapture, type SaveOptions, type SaveResult } from './journaledSaves';

export interface OpenedIndex {
  db: Database;
  /** set when an existing file could not be used and a fresh index was started (the reason, for the user) */
  rebuiltReason?: string;
  /** the file's schema version when it was older than this build's (migrated in memory: save it) */
  migratedFrom?: number;
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

/** Options of `openIndexDatabase`. */
export interface OpenIndexOptions {
  /**
   * Move a corrupt or newer-schema file aside (default). False for a run that does not own the file (another
   * process holds its lock): such a file is left where it is and the run starts from an empty index in memory.
   */
  moveAside?: boolean;
  /**
   * Also run PRAGMA quick_check, which reads every page (~0.45 s on a 53 MB index; default false). The CLI (runReport)
   * and the extension's writer (IndexEngine) do without: they turn SQLite corruption errors on first use
   * (`isCorruptDatabaseError`) into `moveIndexAside` and a rebuild; the cheap checks below always run.
   */
  integrityScan?: boolean;
  /**
   * Set up the change capture of the owner's saves on the first write (`startDeferredCapture`, before it) instead of
   * now: a run that may write nothing (the CLI) skips creating its triggers (~60 of them).
   */
  deferCapture?: boolean;
  /**
   * The file's bytes and its stamp taken before they were read, when the caller read them itself (the CLI reads
   * the file while it lists the logs); without it the file is read here.
   */
  preread?: { bytes: Buffer; stamp: FileStamp | undefined };
}

/**
 * Opens the index database (in memory when `file` is undefined or does not exist yet) and migrates it.
 * A corrupt file is renamed to `<file>.corrupt-<timestamp>`, one from a newer schema to `<file>.newer-<version>`,
 * and a fresh database is returned with `rebuiltReason` (the logs are re-read; nothing is lost but time).
 * A file that cannot be read at all throws `IndexFileReadError` and is not touched.
 *
 * Corruption checks: the header (`sqliteHeaderProblem`: magic, page size, size against the page count — a
 * truncated copy), then user_version and the schema are read; with `integrityScan` also PRAGMA
 * quick_check. Without the scan, damage inside a page further on shows up as an error when that page is first used
 * (`isCorruptDatabaseError`); the caller then moves the file aside with `moveIndexAside` and rebuilds, as here.
 * Saves are atomic (`saveIndexDatabase`), so a torn write cannot cause it.
 */
export function openIndexDatabase(SQL: SqlJsStatic, file: string | undefined, logger: Logger = nullLogger, options: OpenIndexOptions = {}): OpenedIndex {
  if (!file || !existsSync(file)) return { db: freshIndexDatabase(SQL) };
  let bytes: Buffer;
  let stamp: FileStamp | undefined;
  try {
    stamp = options.preread ? options.preread.stamp : fileStampSync(file); // before the read: a file replaced meanwhile is written whole at the first save
    bytes = options.preread?.bytes ?? readFileWithRoom(file);
  } catch (e) {
    throw new IndexFileReadError(file, e);
  }
  let db: Database | undefined;
  try {
    const loaded = loadIndexBytes(SQL, bytes, file, logger)!;
    db = loaded.db;
    const { from, journal } = loaded;
    if (options.integrityScan) {
      const ok = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
      if (ok !== 'ok') throw new Error(`integrity check failed: ${String(ok)}`);
    }
    // the owner's saves append to the journal; a file of an older schema (or without a journal generation) is
    // written whole on its first save
    if (options.moveAside !== false) trackSaves(db, file, stamp, journal?.gen, journal?.end ?? 0, from !== SCHEMA_VERSION, logger, options.deferCapture);
    return from !== SCHEMA_VERSION ? { db, migratedFrom: from } : { db };
  } catch (e) {
    try {
      db?.close();
    } catch {
      /* already unusable */
    }
    const newer = e instanceof NewerSchemaError;
    const why = newer ? e.message : `database is unreadable (${e instanceof Error ? e.message : String(e)})`;
    if (options.moveAside === false) {
      const rebuiltReason = `${why}; left as it is; this run starts from an empty index`;
      logger.warn(rebuiltReason);
      return { db: freshIndexDatabase(SQL), rebuiltReason };
    }
    return { db: freshIndexDatabase(SQL), rebuiltReason: moveIndexAside(file, why, logger, newer ? `newer-${e.found}` : undefined) };
  }
}

/**
 * The database in an index file's bytes: the header checked (`sqliteHeaderProblem`), its journal's records applied
 * (they are of the file's schema: before a migration changes it; none for a newer schema), migrated, and its whole
 * schema parsed; `from` is the file's schema version. With `onlyCurrent`, a file of another schema gives undefined
 * before its journal is read. Throws for a bad header, bytes SQLite refuses or a newer schema (`NewerSchemaError`),
 * the database closed. Both ways of opening the file use it: `openIndexDatabase`, and the pre-open (preopen.ts).
 */
export function loadIndexBytes(
  SQL: SqlJsStatic, bytes: Uint8Array, file: string, logger: Logger, onlyCurrent = false,
): { db: Database; from: number; journal: { gen: number; end: number } | undefined } | undefined {
  const problem = sqliteHeaderProblem(bytes);
  if (problem) throw new Error(problem);
  const db = openWithRoom(SQL, bytes);
  try {
    const from = schemaVersionOf(db); // reads user_version (page 1)
    if (onlyCurrent && from !== SCHEMA_VERSION) {
      db.close();
      return undefined;
    }
    const journal = from <= SCHEMA_VERSION ? replayJournal(db, file, logger) : undefined;
    migrate(db);
    db.exec('SELECT count(*) FROM sqlite_master'); // parses the whole schema
    return { db, from, journal };
  } catch (e) {
    try {
      db.close();
    } catch {
      /* already unusable */
    }
    throw e;
  }
}

/**
 * Renames an index file that cannot be used to `<file>.corrupt-<timestamp>` (or `<file>.<suffix>`), warns once and
 * returns the reason for the user ("…; moved aside to …; rebuilding the index from the logs").
 */
export function moveIndexAside(file: string, why: string, logger: Logger = nullLogger, suffix = `corrupt-${Date.now()}`): string {
  const aside = `${file}.${suffix}`;
  let moved = true;
  try {
    renameSync(file, aside);
  } catch {
    moved = false;
  }
  try {
    renameSync(journalPathOf(file), journalPathOf(aside)); // the journal goes with its file
  } catch {
    rmSync(journalPathOf(file), { force: true }); // none, or it cannot move: records of a set-aside file are never applied
  }
  const reason = `${why}; ${moved ? `moved aside to ${aside}` : 'could not move it aside'}; rebuilding the index from the logs`;
  logger.warn(reason);
  return reason;
}

/** SQLite's errors for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB), as sql.js reports them on first use. */
export function isCorruptDatabaseError(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  return /database disk image is malformed|file is not a database|SQLITE_CORRUPT|SQLITE_NOTADB/i.test(msg);
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * What is wrong with an SQLite file's 100-byte header and size, or undefined (file format §1.3): the magic string,
 * a page size that is a power of two from 512 to 65536, the fixed payload fractions 64/32/32, a first page that is
 * a table b-tree page, and a file at least as long as the page count says (when that count is valid, i.e. its
 * version-valid-for number matches the change counter; else a whole number of pages).
 */
export function sqliteHeaderProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length < 512) return `file is too short for a database (${bytes.length} bytes)`;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.toString('latin1', 0, 16) !== SQLITE_MAGIC) return 'file is not a database (no SQLite header)';
  const raw = b.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return `file is not a database (page size ${raw})`;
  if (b[21] !== 64 || b[22] !== 32 || b[23] !== 32) return 'file is not a database (bad payload fractions)';
  const pageType = b[100];
  if (pageType !== 0x0d && pageType !== 0x05) return 'database disk image is malformed (first page is not a table page)';
  const pages = b.readUInt32BE(28);
  const countValid = pages > 0 && b.readUInt32BE(24) === b.readUInt32BE(92);
  if (countValid && b.length < pages * pageSize) {
    return `database file is truncated (${b.length} bytes, the header says ${pages} pages of ${pageSize} bytes)`;
  }
  if (!countValid && b.length % pageSize !== 0) return `database file is truncated (${b.length} bytes is not a whole number of ${pageSize}-byte pages)`;
  return undefined;
}

/** A new, empty index database in memory at the current schema, kept packed (packing.ts). */
export function freshIndexDatabase(SQL: SqlJsStatic): Database {
  const db = openWithRoom(SQL, undefined, startPacked);
  migrate(db);
  return db;
}

/**
 * A read-only copy of a saved index (a reader window's): the same cheap checks as `openIndexDatabase` (header and
 * size, user_version, the schema parsed), and the schema must be this build's; no migration, nothing moved. Throws
 * with the reason (the caller keeps the copy it has). Damage further into the file shows up on first use.
 */
export function readIndexCopy(SQL: SqlJsStatic, bytes: Uint8Array, journal?: Uint8Array, logger: Logger = nullLogger): Database {
  const problem = sqliteHeaderProblem(bytes);
  if (problem) throw new Error(`the saved index is unreadable (${problem})`);
  const db = openWithRoom(SQL, bytes);
  try {
    const v = schemaVersionOf(db);
    if (v !== SCHEMA_VERSION) throw new Error(`index schema ${v}, this AgentMeter reads ${SCHEMA_VERSION}`);
    db.exec('SELECT count(*) FROM sqlite_master');
    followFrom(db, journal, logger);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

