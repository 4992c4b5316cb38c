import { promises as fsp } from 'node:fs';
import { journalPathOf } from '../../core/store/indexJournal';

/**
 * A reader window's view of the writer's saved index: the file, written whole now and then (a new inode each time:
 * temp file + rename), and its journal, appended to by every other save (core/store/persist.ts). A reader loads both
 * once, then applies only the journal's new records while the file itself stays the one it loaded.
 */
export interface SavedIndexStamp {
  path: string;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** The file's stamp now, undefined when it does not exist. */
export async function stampOf(path: string): Promise<SavedIndexStamp | undefined> {
  try {
    const s = await fsp.stat(path);
    return { path, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export const sameStamp = (a: SavedIndexStamp | undefined, b: SavedIndexStamp | undefined): boolean =>
  !!a && !!b && a.path === b.path && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** The journal's bytes, undefined when there is none. */
export async function readJournalFile(path: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(journalPathOf(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
