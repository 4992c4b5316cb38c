import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'sql.js';
import { type Logger, nullLogger } from '../types';
import { fileStampSync, sameFileStamp, type FileStamp } from '../fileStamp';
import { captureOverflowed, changeReplayer, isCapturing, MAX_CAPTURED, startCapture, takeChanges } from './changeCapture';
import { packForWholeSave } from './packing';
import { appendJournal, JOURNAL_MAX_BYTES, journalPathOf, readJournal } from './indexJournal';
import { lastChangePerRow } from './lastChangePerRow';
import { wholeFileBytes } from './wholeFileBytes';

/**
 * Saves of the index file and its journal (docs/ARCHITECTURE.md, Storage): the owner's saves append what changed to
 * `<file>.journal`, or write the whole file; opening (persist.ts) and a reader's copy apply the journal's records of
 * the file's generation.
 */

/** What a save wrote. */
export interface SaveResult {
  /** bytes written */
  bytes: number;
  /** the whole index was written (else the changes were appended to its journal, or nothing changed) */
  whole: boolean;
}

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
  /**
   * Capture deferred to the first write (`startDeferredCapture`): SQLite's total_changes() when it was deferred. A
   * run that writes nothing never sets up the capture's triggers.
   */
  deferredAt?: number;
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

/** A reader's copy: applies the journal it was read with (if any) and remembers where it has read up to. */
export function followFrom(db: Database, journal: Uint8Array | undefined, logger: Logger): void {
  const gen = journalGenOf(db);
  const read = gen !== undefined && journal ? applyJournal(db, journal, gen, 0, logger) : { end: 0 };
  copies.set(db, { gen, end: read.end });
}

/**
 * Applies the records of `gen` in journal bytes from `from`, each row's last change only (lastChangePerRow.ts); stops
 * at the first record that cannot be applied (the records before it stay applied). All in one transaction: sql.js writes a transaction's pages (and their rollback
 * copies) through its in-memory file system at each commit, and the statements are prepared once: a commit and a prepare
 * per record and table made opening an index after a day of heavy use (2,000 records, 1.9 MB) cost ~1.1-1.5 s of CPU.
 */
function applyJournal(db: Database, bytes: Uint8Array, gen: number, from: number, logger: Logger): { end: number; applied: number; failed?: boolean; otherGen?: number } {
  const r = readJournal(bytes, gen, from);
  let end = from;
  let applied = 0;
  if (!r.records.length) return { end, applied, otherGen: r.otherGen };
  const restore = pageSettings(db, 16000);
  db.run('SAVEPOINT am_journal');
  const replay = changeReplayer(db);
  try {
    if (r.records.length > 1) {
      // the last change of each row only (lastChangePerRow.ts); should one fail, the records one by one below find
      // which record it was, and the ones before it stay applied
      try {
        replay.apply(lastChangePerRow(db, r.records.map((rec) => rec.changes)));
        return { end: r.records[r.records.length - 1].end, applied: r.records.length, otherGen: r.otherGen };
      } catch {
        db.run('ROLLBACK TO am_journal');
      }
    }
    for (const rec of r.records) {
      try {
        replay.apply(rec.changes);
      } catch (e) {
        logger.warn(`a save in the index journal could not be applied (${e instanceof Error ? e.message : String(e)}); the logs it covered are read again`);
        return { end, applied, failed: true };
      }
      end = rec.end;
      applied++;
    }
    return { end, applied, otherGen: r.otherGen };
  } finally {
    replay.free();
    db.run('RELEASE am_journal');
    restore();
  }
}

/**
 * SQLite's rollback journal in memory rather than a file of sql.js's in-memory file system (grown by copying as it
 * fills) and, for a replay (`cacheKiB`), a page cache of 16 MB rather than 2 MB (a journal's rows land on pages all
 * over the tables: the keys of new Claude calls are hashes); both as they were afterwards. Only how SQLite holds
 * pages while it writes changes: the rows written are the same, and a failed statement still rolls back.
 */
function pageSettings(db: Database, cacheKiB?: number): () => void {
  try {
    const read = (pragma: string) => db.exec(`PRAGMA ${pragma}`)[0]?.values[0]?.[0];
    const mode = String(read('main.journal_mode') ?? 'delete');
    const cache = Number(read('main.cache_size') ?? -2000);
    db.exec(`PRAGMA main.journal_mode = MEMORY${cacheKiB ? `; PRAGMA main.cache_size = -${cacheKiB}` : ''}`);
    return () => {
      try {
        db.exec(`PRAGMA main.journal_mode = ${/^[a-z]+$/i.test(mode) ? mode : 'DELETE'}; PRAGMA main.cache_size = ${Number.isFinite(cache) ? cache : -2000}`);
      } catch {
        // kept as set: only how SQLite holds pages
      }
    };
  } catch {
    return () => {}; // a statement still running (a reader's): replayed with the settings as they are
  }
}

export function replayJournal(db: Database, file: string, logger: Logger): { gen: number; end: number } | undefined {
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

export function trackSaves(
  db: Database, file: string, stamp: FileStamp | undefined, gen: number | undefined, journalEnd: number, whole: boolean, logger: Logger, deferCapture = false,
): void {
  let capture = gen !== undefined && !whole;
  if (capture && deferCapture) {
    saves.set(db, { file, stamp, gen: gen!, journalEnd, whole: false, deferredAt: totalChanges(db) });
    return;
  }
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

/** Rows inserted, updated or deleted on this connection since it was opened (triggers included). */
const totalChanges = (db: Database): number => Number(db.exec('SELECT total_changes()')[0]?.values[0]?.[0] ?? 0);

/**
 * Starts the capture that `trackSaves(…, deferCapture)` left for the first write: call it before writing. A row written
 * before it (not captured) makes the next save write the whole file, as does a save while the capture is still
 * deferred; so a forgotten call costs a whole save, never a lost change.
 */
export function startDeferredCapture(db: Database, logger: Logger = nullLogger): void {
  const st = saves.get(db);
  if (st?.deferredAt === undefined) return;
  const at = st.deferredAt;
  st.deferredAt = undefined;
  if (totalChanges(db) !== at) {
    st.whole = true;
    return;
  }
  try {
    startCapture(db);
  } catch (e) {
    logger.warn(`${e instanceof Error ? e.message : String(e)}; every save writes the whole index`);
    st.whole = true;
  }
}

/** Where a reader's copy has read its journal up to (read the journal from there for `followJournal`). */
export function journalReadUpTo(db: Database): number {
  return copies.get(db)?.end ?? 0;
}

/**
 * A reader's copy (`readIndexCopy`) follows the writer's journal: applies the records added since it last read.
 * `journal`: the journal's bytes from byte `journalFrom` on (the whole file by default; a reader reads from
 * `journalReadUpTo`), `journalSize` the file's size (undefined: no journal). 'reload' when the copy cannot follow
 * (the writer wrote the whole file since: another generation, or a shorter journal; a record that cannot be
 * applied) — load the file again; else the number of records applied.
 */
export function followJournal(
  db: Database, journal: Uint8Array | undefined, logger: Logger = nullLogger, journalFrom = 0, journalSize = journalFrom + (journal?.length ?? 0),
): number | 'reload' {
  const at = copies.get(db);
  if (!at || at.gen === undefined) return 'reload';
  const bytes = journal ?? new Uint8Array(0);
  if (journalSize < at.end || journalFrom > at.end || journalFrom + bytes.length < at.end) return 'reload';
  const r = applyJournal(db, bytes.subarray(at.end - journalFrom), at.gen, 0, logger);
  at.end += r.end;
  return r.otherGen !== undefined || r.failed ? 'reload' : r.applied;
}

export interface SaveOptions {
  /**
   * Write the whole file when the journal already holds this many bytes (below JOURNAL_MAX_BYTES), even when nothing
   * changed since the last save: the writer folds its journal into the file while idle, so that the next window or
   * reader that opens the index replays little (~0.15-0.2 s per MB of journal at a year of heavy use).
   */
  wholeIfJournalFrom?: number;
}

/**
 * Saves `db` to `file`. The owner of a file opened with `openIndexDatabase` (and every database after its first
 * save) appends what changed since its last save to the journal, `<file>.journal` (changeCapture.ts, indexJournal.ts:
 * a few KB for a new call, written and fsynced; nothing at all when nothing changed). The whole file is written
 * instead when there is no journal to follow (first save, another file, a migrated schema, the file replaced since
 * this database last read or wrote it), when the journal has
 * reached JOURNAL_MAX_BYTES (or `options.wholeIfJournalFrom`), when more changed than capture keeps, or when the
 * append fails; then the journal starts over under a new generation.
 */
export function saveIndexDatabase(db: Database, file: string, options: SaveOptions = {}): SaveResult {
  const st = saves.get(db);
  const journalLimit = Math.min(JOURNAL_MAX_BYTES, options.wholeIfJournalFrom ?? JOURNAL_MAX_BYTES);
  if (st && st.file === file && !st.whole && isCapturing(db) && !captureOverflowed(db) && st.journalEnd < journalLimit && st.stamp && sameFileStamp(fileStampSync(file), st.stamp)) {
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
  packBeforeWholeSave(db, !st);
  const data = wholeFileBytes(db); // a view of sql.js's file where it can (written at once, before anything else runs)
  writeAtomically(file, data);
  const stamp = fileStampSync(file);
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
  changesAtWholeSave.set(db, totalChanges(db));
  return { bytes: data.length, whole: true };
}

/** SQLite's total_changes() when each database was last written whole (its rows since then: a bulk write or not). */
const changesAtWholeSave = new WeakMap<Database, number>();

/**
 * Packs the file about to be written whole (packing.ts): after a bulk write — a database built in memory (`built`:
 * never saved nor opened from a file, as a first index), or more rows since the last whole save than a journal
 * record captures (a long catch-up, a migration) — its tables filled out of key order are rewritten; free pages are
 * cut off. Rewritten tables lose their capture triggers: capture starts again at once (a save that then fails still
 * captures every later change, or its next save is whole).
 */
function packBeforeWholeSave(db: Database, built: boolean): void {
  const bulk = built || (isCapturing(db) ? captureOverflowed(db) : totalChanges(db) - (changesAtWholeSave.get(db) ?? 0) >= MAX_CAPTURED);
  // the rollback journal in memory, the page cache as it is: the year's VACUUM of an older file peaked ~80 MiB lower
  // (~210 against ~295 MiB RSS from ~90 in a process holding only that index) and ran faster
  const restore = pageSettings(db);
  let repacked: boolean;
  try {
    repacked = packForWholeSave(db, bulk);
  } finally {
    restore();
  }
  if (repacked && isCapturing(db)) startCapture(db);
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
