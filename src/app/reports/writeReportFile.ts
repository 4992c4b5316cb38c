/**
 * Writes a report safely: the bytes go to a temp file beside the target, which is then renamed over it, so a
 * previous report is either kept whole or replaced whole. Failures become one-line messages (ReportWriteError):
 * a folder that cannot be created or written, a file open in another program (Windows locks it: EBUSY/EPERM on the
 * rename), a full disk. The temp file is removed on failure.
 */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class ReportWriteError extends Error {}

function reason(e: unknown, path: string, stage: 'folder' | 'write' | 'replace'): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const dir = dirname(path);
  switch (code) {
    case 'EACCES':
    case 'EROFS':
      return stage === 'replace' ? `cannot replace ${path}: permission denied` : `cannot write to the folder ${dir}: permission denied`;
    case 'EPERM':
    case 'EBUSY':
      return stage === 'replace' ? `cannot replace ${path}: the file is open in another program (close it and try again)` : `cannot write to the folder ${dir}: not permitted`;
    case 'ENOSPC':
      return `cannot write ${path}: the disk is full`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `cannot write ${path}: ${dir} is not a folder`;
    case 'EISDIR':
      return `cannot write ${path}: it is a folder`;
    default:
      return `cannot write ${path}: ${String((e as Error)?.message ?? e).split('\n')[0]}`;
  }
}

export async function writeReportFile(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (e) {
    throw new ReportWriteError(reason(e, path, 'folder'));
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    await fsp.writeFile(tmp, bytes, { flag: 'wx' });
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw new ReportWriteError(reason(e, path, 'write'));
  }
  try {
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw new ReportWriteError(reason(e, path, 'replace'));
  }
}
