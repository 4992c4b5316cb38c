import { promises as fsp } from 'node:fs';
import { journalPathOf } from '../../core/store/indexJournal';

/**
 * A reader window's view of the writer's saved index: the file, written whole now and then (a new inode each time:
 * temp file + rename), and its journal, appended to by every other save (core/store/persist.ts). A reader loads both
 * once, then applies only the journal's new records while the file itself stays the one it loaded (its
 * `core/fileStamp.ts` stamp).
 */
/** The journal's bytes, undefined when there is none. */
export async function readJournalFile(path: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(journalPathOf(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
