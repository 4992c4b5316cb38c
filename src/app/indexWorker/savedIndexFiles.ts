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

/**
 * The journal's bytes from byte `from` on and the file's size (a reader that follows it reads only what was appended
 * since it last looked, not the whole journal of up to 2 MB at every save); undefined when there is none.
 */
export async function readJournalFrom(path: string, from: number): Promise<{ bytes: Buffer; size: number } | undefined> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(journalPathOf(path), 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    const bytes = Buffer.alloc(Math.max(0, size - from));
    let off = 0;
    while (off < bytes.length) {
      const { bytesRead } = await fh.read(bytes, off, bytes.length - off, from + off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return { bytes: bytes.subarray(0, off), size };
  } finally {
    await fh.close();
  }
}
