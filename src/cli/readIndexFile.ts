/**
 * The index file read whole on libuv's thread pool, in one read call, so that the CLI lists and stats the logs on
 * its own thread meanwhile (openIndex.ts). Its stamp is taken before the read, as openIndexDatabase takes it.
 */
import { closeSync, fstatSync, openSync, read } from 'node:fs';
import { fileStampSync, type FileStamp } from '../core/fileStamp';
import { bufferWithRoom } from '../core/store/roomyFile';

export interface ReadIndexFile {
  bytes: Buffer;
  stamp: FileStamp | undefined;
}

const readAt = (fd: number, buf: Buffer, offset: number, length: number, position: number) =>
  new Promise<number>((resolve, reject) => read(fd, buf, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));

/**
 * The file's bytes, or undefined when it cannot be read or changed its length while being read: the open then
 * reads it itself (and says why it cannot).
 */
export async function readIndexFile(file: string): Promise<ReadIndexFile | undefined> {
  const stamp = fileStampSync(file);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const bytes = bufferWithRoom(size); // sql.js keeps this memory as the file (store/roomyFile.ts)
    let off = 0;
    while (off < size) {
      const n = await readAt(fd, bytes, off, size - off, off);
      if (n === 0) return undefined; // shorter now
      off += n;
    }
    if ((await readAt(fd, Buffer.alloc(1), 0, 1, size)) !== 0) return undefined; // longer now
    return { bytes, stamp };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
