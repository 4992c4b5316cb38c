import { watch, promises as fsp, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { debounce, type Debounced } from '../app/debounce';

/**
 * Tells a reader window when the writer window saved the database file.
 * The writer saves atomically (temp file + rename), so the file is replaced, not modified: we watch its
 * folder (fs.watch) filtered by name, and also stat it every `pollMs` in case events do not arrive
 * (network or container mounts). A change = a different size, mtime or inode than last seen.
 */
export interface FileFollowerOptions {
  path: string;
  onChange: () => void;
  pollMs?: number;
  debounceMs?: number;
}

export interface FileSignature {
  size: number;
  mtimeMs: number;
  ino: number;
}

export async function fileSignature(path: string): Promise<FileSignature | null> {
  try {
    const s = await fsp.stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return null;
  }
}

export function sameSignature(a: FileSignature | null, b: FileSignature | null): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

export class FileFollower {
  private last: FileSignature | null = null;
  private watcher: FSWatcher | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly check: Debounced;
  private disposed = false;

  constructor(private readonly opts: FileFollowerOptions) {
    this.check = debounce(() => void this.compare(), opts.debounceMs ?? 50);
  }

  /**
   * Starts watching. `seen` is the signature of the file as it was when the caller loaded it: take it *before*
   * loading, so that a save landing between the load and this call is a change (it would be taken as seen if the
   * signature were read here). Without `seen`, the current file is taken as seen.
   */
  async start(seen?: FileSignature | null): Promise<void> {
    this.last = seen !== undefined ? seen : await fileSignature(this.opts.path);
    const name = basename(this.opts.path);
    try {
      this.watcher = watch(dirname(this.opts.path), { persistent: false }, (_ev, file) => {
        if (!file || file.toString() === name) this.check.trigger();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // no fs events here: the poll below still notices changes
    }
    this.timer = setInterval(() => this.check.trigger(), this.opts.pollMs ?? 1000);
    this.timer.unref?.();
  }

  private async compare(): Promise<void> {
    if (this.disposed) return;
    const now = await fileSignature(this.opts.path);
    if (this.disposed || !now || sameSignature(now, this.last)) return;
    this.last = now;
    this.opts.onChange();
  }

  dispose(): void {
    this.disposed = true;
    this.check.cancel();
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
  }
}
