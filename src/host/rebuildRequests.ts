/**
 * A reader window asks the writer window to rebuild the index through a file in global storage; the writer looks
 * for it every `REBUILD_POLL_MS` and removes it when it takes it. No `vscode` import.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';

export const REBUILD_REQUEST_FILE = 'rebuild.request';
/** How often the writer looks for a rebuild requested by a reader window. */
export const REBUILD_POLL_MS = 2_000;

export class RebuildRequests {
  private readonly path: string;

  constructor(storageDir: string) {
    this.path = join(storageDir, REBUILD_REQUEST_FILE);
  }

  /** Asks the writer (whichever window it is) to rebuild. */
  async request(): Promise<void> {
    await fsp.writeFile(this.path, String(Date.now()));
  }

  /** True when a rebuild was asked for since the last take (the request is removed: one request, one rebuild). */
  async take(): Promise<boolean> {
    try {
      await fsp.rm(this.path); // throws ENOENT when there is no request
      return true;
    } catch {
      return false;
    }
  }
}
