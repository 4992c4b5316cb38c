import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { debounce, type Debounced } from '../app/debounce';
import { fileStamp, sameFileStamp, type FileStamp } from '../core/fileStamp';

/**
 * Tells a reader window when the writer window saved the database file or appended to its journal.
 * The writer replaces the file (temp file + rename) and appends to the journal: we watch their folder (fs.watch)
 * filtered by name, and also stat them every `pollMs` in case events do not arrive (network or container mounts).
 * A change = a different size, mtime or inode of either than last seen.
 */
export interface FileFollowerOptions {
  path: string;
  /** files in the same folder that change with it (the index's journal) */
  related?: string[];
  onChange: () => void;
  pollMs?: number;
  debounceMs?: number;
}

/** The signatures of several files, in order. */
export async function filesSignature(paths: readonly string[]): Promise<(FileStamp | undefined)[]> {
  return Promise.all(paths.map(fileStamp));
}

const sameSignatures = (a: (FileStamp | undefined)[], b: (FileStamp | undefined)[]) => a.length === b.length && a.every((x, i) => sameFileStamp(x, b[i]));

export class FileFollower {
  private last: (FileStamp | undefined)[] = [];
  private readonly paths: string[];
  private watcher: FSWatcher | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly check: Debounced;
  private disposed = false;

  constructor(private readonly opts: FileFollowerOptions) {
    this.paths = [opts.path, ...(opts.related ?? [])];
    this.check = debounce(() => void this.compare(), opts.debounceMs ?? 50);
  }

  /**
   * Starts watching. `seen` is the signature of the file as it was when the caller loaded it: take it *before*
   * loading, so that a save landing between the load and this call is a change (it would be taken as seen if the
   * signature were read here; `filesSignature` of the path and then the related files). Without `seen`, the current
   * files are taken as seen.
   */
  async start(seen?: (FileStamp | undefined)[]): Promise<void> {
    this.last = seen !== undefined ? seen : await filesSignature(this.paths);
    const names = new Set(this.paths.map((p) => basename(p)));
    try {
      this.watcher = watch(dirname(this.opts.path), { persistent: false }, (_ev, file) => {
        if (!file || names.has(file.toString())) this.check.trigger();
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
    const now = await filesSignature(this.paths);
    if (this.disposed || !now[0] || sameSignatures(now, this.last)) return;
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
