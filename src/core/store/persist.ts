import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { type Logger, nullLogger } from '../types';
import { migrate, NewerSchemaError, SCHEMA_VERSION, schemaVersionOf } from './schema';
import { applyChanges, captureOverflowed, isCapturing, startCapture, takeChanges } from './changeCapture';
import { appendJournal, JOURNAL_MAX_BYTES, journalPathOf, readJournal } from './indexJournal';

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
    stamp = stampOf(file); // before the read: a file replaced meanwhile is written whole at the first save
    bytes = readFileSync(file);
  } catch (e) {
    throw new IndexFileReadError(file, e);
  }
  let db: Database | undefined;
  try {
    const problem = sqliteHeaderProblem(bytes);
    if (problem) throw new Error(problem);
    db = new SQL.Database(bytes);
    const from = schemaVersionOf(db); // reads user_version (page 1)
    // the journal's records are of the file's schema: applied before a migration changes it
    const journal = from <= SCHEMA_VERSION ? replayJournal(db, file, logger) : undefined;
    migrate(db);
    db.exec('SELECT count(*) FROM sqlite_master'); // parses the whole schema
    if (options.integrityScan) {
      const ok = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
      if (ok !== 'ok') throw new Error(`integrity check failed: ${String(ok)}`);
    }
    // the owner's saves append to the journal; a file of an older schema (or without a journal generation) is
    // written whole on its first save
    if (options.moveAside !== false) trackSaves(db, file, stamp, journal?.gen, journal?.end ?? 0, from !== SCHEMA_VERSION, logger);
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

/** A new, empty index database in memory at the current schema. */
export function freshIndexDatabase(SQL: SqlJsStatic): Database {
  const db = new SQL.Database();
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
  const db = new SQL.Database(bytes);
  try {
    const v = schemaVersionOf(db);
    if (v !== SCHEMA_VERSION) throw new Error(`index schema ${v}, this AgentMeter reads ${SCHEMA_VERSION}`);
    db.exec('SELECT count(*) FROM sqlite_master');
    const gen = journalGenOf(db);
    const read = gen !== undefined && journal ? applyJournal(db, journal, gen, 0, logger) : { end: 0 };
    copies.set(db, { gen, end: read.end });
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** What a save wrote. */
export interface SaveResult {
  /** bytes written */
  bytes: number;
  /** the whole index was written (else the changes were appended to its journal, or nothing changed) */
  whole: boolean;
}

/** What tells one version of the index file from another (each whole save writes a new file over it). */
interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

function stampOf(file: string): FileStamp | undefined {
  try {
    const s = statSync(file);
    return { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

const sameStamp = (a: FileStamp | undefined, b: FileStamp | undefined) => !!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** The journal state of a database that saves to `file` (its owner's). */
interface Saves {
  file: string;
  /** the file as this database last read or wrote it: a journal record only follows that version of the file */
  stamp: FileStamp | undefined;
  gen: number;
  /** byte offset after the last record of this generation in the journal */
  journalEnd: number;
  /** the next save writes the whole file (no capture, a migrated schema, a failed append or save) */
  whole: boolean;
}
const saves = new WeakMap<Database, Saves>();
/** A reader's copy: the journal generation of its file and where in the journal it has read up to. */
const copies = new WeakMap<Database, { gen: number | undefined; end: number }>();

/** The journal generation of an index file (`meta.journalGen`), undefined for a file written before journals. */
function journalGenOf(db: Database): number | undefined {
  try {
    const v = db.exec("SELECT value FROM meta WHERE key = 'journalGen'")[0]?.values[0]?.[0];
    return v === undefined ? undefined : Number(v);
  } catch {
    return undefined; // no meta table (an empty or foreign file)
  }
}

/** Applies the records of `gen` in journal bytes from `from`; stops at the first one that cannot be applied. */
function applyJournal(db: Database, bytes: Uint8Array, gen: number, from: number, logger: Logger): { end: number; applied: number; failed?: boolean; otherGen?: number } {
  const r = readJournal(bytes, gen, from);
  let end = from;
  let applied = 0;
  for (const rec of r.records) {
    try {
      applyChanges(db, rec.changes);
    } catch (e) {
      logger.warn(`a save in the index journal could not be applied (${e instanceof Error ? e.message : String(e)}); the logs it covered are read again`);
      return { end, applied, failed: true };
    }
    end = rec.end;
    applied++;
  }
  return { end, applied, otherGen: r.otherGen };
}

function replayJournal(db: Database, file: string, logger: Logger): { gen: number; end: number } | undefined {
  const gen = journalGenOf(db);
  if (gen === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(journalPathOf(file));
  } catch {
    return { gen, end: 0 }; // no journal: nothing changed since the file was written
  }
  return { gen, end: applyJournal(db, bytes, gen, 0, logger).end };
}

function trackSaves(db: Database, file: string, stamp: FileStamp | undefined, gen: number | undefined, journalEnd: number, whole: boolean, logger: Logger): void {
  let capture = gen !== undefined && !whole;
  if (capture) {
    try {
      startCapture(db);
    } catch (e) {
      logger.warn(`${e instanceof Error ? e.message : String(e)}; every save writes the whole index`);
      capture = false;
    }
  }
  saves.set(db, { file, stamp, gen: gen ?? 0, journalEnd, whole: !capture });
}

/**
 * A reader's copy (`readIndexCopy`) follows the writer's journal: applies the records added since it last read
 * (`journal`: the whole journal file as it is now). 'reload' when the copy cannot follow (the writer wrote the
 * whole file since: another generation, or a shorter journal; a record that cannot be applied) — load the file
 * again; else the number of records applied.
 */
export function followJournal(db: Database, journal: Uint8Array | undefined, logger: Logger = nullLogger): number | 'reload' {
  const at = copies.get(db);
  if (!at || at.gen === undefined) return 'reload';
  const bytes = journal ?? new Uint8Array(0);
  if (bytes.length < at.end) return 'reload';
  const r = applyJournal(db, bytes, at.gen, at.end, logger);
  at.end = r.end;
  return r.otherGen !== undefined || r.failed ? 'reload' : r.applied;
}

/**
 * Saves `db` to `file`. The owner of a file opened with `openIndexDatabase` (and every database after its first
 * save) appends what changed since its last save to the journal, `<file>.journal` (changeCapture.ts, indexJournal.ts:
 * a few KB for a new call, written and fsynced; nothing at all when nothing changed). The whole file is written
 * instead when there is no journal to follow (first save, another file, a migrated schema, the file replaced since
 * this database last read or wrote it), when the journal has
 * reached JOURNAL_MAX_BYTES, when more changed than capture keeps, or when the append fails; then the journal starts
 * over under a new generation.
 */
export function saveIndexDatabase(db: Database, file: string): SaveResult {
  const st = saves.get(db);
  if (st && st.file === file && !st.whole && isCapturing(db) && !captureOverflowed(db) && st.journalEnd < JOURNAL_MAX_BYTES && sameStamp(stampOf(file), st.stamp)) {
    const changes = takeChanges(db);
    if (!changes.length) return { bytes: 0, whole: false };
    try {
      const end = appendJournal(journalPathOf(file), st.journalEnd, st.gen, changes);
      const bytes = end - st.journalEnd;
      st.journalEnd = end;
      return { bytes, whole: false };
    } catch {
      // the journal cannot be written (gone, read-only, full disk): the whole file is written below, or the save fails
    }
  }
  return saveWhole(db, file, st);
}

/**
 * The whole file: a new journal generation in `meta`, then write `<file>.tmp-<pid>`, fsync, rename over the file
 * (a crash leaves the old or the new file, never half), then the old journal is removed (its records, of the old
 * generation, are never applied to the new file even when the removal does not happen).
 */
function saveWhole(db: Database, file: string, st: Saves | undefined): SaveResult {
  mkdirSync(dirname(file), { recursive: true });
  const gen = Math.max(Date.now(), (st?.gen ?? 0) + 1);
  db.run("INSERT INTO meta (key, value) VALUES ('journalGen', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [String(gen)]);
  saves.set(db, { file, stamp: undefined, gen, journalEnd: 0, whole: true }); // until this save is done
  compactIfSparse(db, !st);
  const data = db.export();
  writeAtomically(file, data);
  const stamp = stampOf(file);
  try {
    rmSync(journalPathOf(file), { force: true });
  } catch {
    // (a folder in its place): records of the old generation are never applied; appends fail, saves stay whole
  }
  let capture = true;
  try {
    if (isCapturing(db)) takeChanges(db); // all in the file now
    else startCapture(db);
  } catch {
    capture = false; // a table capture cannot follow: every save writes the whole file
  }
  saves.set(db, { file, stamp, gen, journalEnd: 0, whole: !capture });
  return { bytes: data.length, whole: true };
}

/**
 * VACUUM on the first save of a database built in memory (a first index: its B-trees filled in random key order
 * are about 7 % larger than packed) and whenever more than a tenth of the file is free pages (after a migration that
 * rebuilt tables, or mass deletes): the whole file is being written anyway; ~0.5–1.5 s for a year of heavy use, so
 * not on every whole save.
 */
function compactIfSparse(db: Database, firstSave: boolean): void {
  const n = (sql: string) => Number(db.exec(sql)[0]?.values[0]?.[0] ?? 0);
  if (firstSave || n('PRAGMA freelist_count') * 10 > n('PRAGMA page_count')) db.run('VACUUM');
}

/** Write `<file>.tmp-<pid>`, fsync, rename over `file`, fsync the folder. */
function writeAtomically(file: string, data: Uint8Array): void {
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

/** Removes an index file and its journal (a rebuild from the logs). */
export function removeIndexFiles(file: string): void {
  rmSync(file, { force: true });
  rmSync(journalPathOf(file), { force: true });
}
