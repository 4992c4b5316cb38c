/**
 * The index file opened before this process knows it will own it: the extension's window reads and opens it while
 * it waits for the writer lock, instead of after. The database is the one `openIndexDatabase` gives for the file as
 * it is now (its journal replayed, its saves tracked), kept with the stamps of the file and of its journal as read.
 * The owner adopts it only while both are unchanged (`adoptPreopened`): otherwise, and for anything unusual (no
 * file, damage, another schema), there is nothing to adopt and the owner's own open handles it — moving a file
 * aside is the owner's alone, so nothing here touches the file.
 */
import { readFileWithRoom } from './roomyFile';
import type { Database, SqlJsStatic } from 'sql.js';
import type { Logger } from '../types';
import { fileStampSync, sameFileStamp, type FileStamp } from '../fileStamp';
import { journalPathOf } from './indexJournal';
import { trackSaves } from './journaledSaves';
import { loadIndexBytes } from './persist';

export interface PreopenedIndex {
  file: string;
  db: Database;
  stamp: FileStamp;
  /** undefined: no journal */
  journalStamp: FileStamp | undefined;
}

const stampsOf = (file: string) => ({ stamp: fileStampSync(file), journalStamp: fileStampSync(journalPathOf(file)) });

const unchanged = (p: Pick<PreopenedIndex, 'stamp' | 'journalStamp'>, file: string): boolean => {
  const now = stampsOf(file);
  return sameFileStamp(now.stamp, p.stamp) && sameFileStamp(now.journalStamp, p.journalStamp);
};

function closeQuietly(db: Database | undefined): void {
  try {
    db?.close();
  } catch {
    // already closed
  }
}

/**
 * The index file opened as `openIndexDatabase` opens it (the same `loadIndexBytes`), with the change capture of its
 * saves set up; undefined when the file is missing, fails a cheap check, is of another schema, or changed while it was
 * read.
 */
export function preopenIndexDatabase(SQL: SqlJsStatic, file: string, logger: Logger): PreopenedIndex | undefined {
  const { stamp, journalStamp } = stampsOf(file);
  if (!stamp) return undefined;
  let db: Database | undefined;
  try {
    const loaded = loadIndexBytes(SQL, readFileWithRoom(file), file, logger, true);
    if (!loaded) return undefined;
    db = loaded.db;
    const { journal } = loaded;
    // written meanwhile (another window's save): not one version of the file
    if (!unchanged({ stamp, journalStamp }, file)) {
      closeQuietly(db);
      return undefined;
    }
    trackSaves(db, file, stamp, journal?.gen, journal?.end ?? 0, false, logger);
    return { file, db, stamp, journalStamp };
  } catch {
    closeQuietly(db);
    return undefined;
  }
}

/**
 * The pre-opened database for its owner, when `file` and its journal are still as they were read (the same database
 * `openIndexDatabase(SQL, file)` would give now, with whatever was written to it since in memory); else it is closed
 * and undefined is returned.
 */
export function adoptPreopened(p: PreopenedIndex, file: string): Database | undefined {
  if (p.file === file && unchanged(p, file)) return p.db;
  closeQuietly(p.db);
  return undefined;
}

/** Closes a pre-opened database nobody adopts. */
export function dropPreopened(p: PreopenedIndex | undefined): void {
  closeQuietly(p?.db);
}
