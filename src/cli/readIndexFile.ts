/**
 * The index file read whole on libuv's thread pool (core store/roomyFile.ts `readFileWithRoomAsync`: into the memory
 * sql.js then keeps as the file), so that the CLI lists and stats the logs on its own thread meanwhile (openIndex.ts).
 * Its stamp is taken before the read, as openIndexDatabase takes it.
 */
import { fileStampSync, type FileStamp } from '../core/fileStamp';
import { readFileWithRoomAsync } from '../core/store/roomyFile';

export interface ReadIndexFile {
  bytes: Buffer;
  stamp: FileStamp | undefined;
}

/** The file's bytes and stamp, or undefined when it cannot be read: the open then reads it itself (and says why it cannot). */
export async function readIndexFile(file: string): Promise<ReadIndexFile | undefined> {
  const stamp = fileStampSync(file);
  try {
    return { bytes: await readFileWithRoomAsync(file), stamp };
  } catch {
    return undefined;
  }
}
