import { promises as fsp, statSync } from 'node:fs';

/**
 * What tells one version of a file from another: its size, mtime and inode (a file replaced by a rename, as the
 * index's whole saves do, gets a new inode). Undefined when the file cannot be stat'ed (missing, unreadable).
 */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

export function fileStampSync(path: string): FileStamp | undefined {
  try {
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return undefined;
  }
}

export async function fileStamp(path: string): Promise<FileStamp | undefined> {
  try {
    const s = await fsp.stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return undefined;
  }
}

/** The same version of a file (two missing files are the same: nothing changed). */
export function sameFileStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
