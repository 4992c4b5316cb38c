import { watch, type FSWatcher } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * Watches log folders with one native watcher (`fs.watch`: inotify, FSEvents, ReadDirectoryChangesW) per folder —
 * never per file — and reports the log files named by the events. The start-up walk only lists folders (`readdir`
 * with file types): no file is stat'ed or watched on its own. chokidar 4 (kept for polling, see watcher.ts) lstat's
 * and stat's every file at its start-up walk and puts a watcher on each: for a year of heavy use on disk (16,450 log
 * files in ~400 folders) 2.3-2.7 s of the index worker's CPU and ~140 MiB at every window start, and 16k inotify
 * watches (the default limit on many Linux systems is 8,192); this walk reads the folders in ~0.1 s.
 * A folder that appears later is watched when its parent's event names it, and the log files already in it are
 * reported (they may have been written before its watcher was attached). An event without a file name, a folder that
 * cannot be watched (no more watches, no permission) or a watcher error asks for a look at every file (`onRescan`);
 * the periodic full check covers what a watcher never reports.
 */
export interface DirWatcherOptions {
  roots: readonly string[];
  isLog(path: string): boolean;
  /** log files named by events (created, changed, renamed or removed) */
  onFiles(paths: string[]): void;
  /** something may have been missed: look at every file */
  onRescan(reason: string): void;
}

export class DirWatcher {
  /** folder → its watcher and its real path (a folder reached twice through a symlink is watched once) */
  private readonly watchers = new Map<string, { w: FSWatcher; real: string }>();
  private readonly real = new Set<string>();
  private closed = false;

  constructor(private readonly o: DirWatcherOptions) {}

  /** Walks the roots and watches every folder under them; resolves when all are watched (the start-up walk). */
  async start(): Promise<void> {
    await Promise.all(this.o.roots.map((r) => this.add(r, false)));
  }

  /** How many folders are watched (one native watcher each). */
  get folders(): number {
    return this.watchers.size;
  }

  close(): void {
    this.closed = true;
    for (const { w } of this.watchers.values()) w.close();
    this.watchers.clear();
    this.real.clear();
  }

  /**
   * Watches `dir` and the folders under it. With `report`, the log files found in them are reported (a folder that
   * appeared after the start: what was written in it before its watcher was attached has no event).
   */
  private async add(dir: string, report: boolean): Promise<void> {
    const found: string[] = [];
    const queue = [dir];
    while (queue.length && !this.closed) {
      const d = queue.pop()!;
      if (this.watchers.has(d)) continue;
      let real: string;
      try {
        real = await realpath(d);
      } catch {
        continue; // gone, or not reachable: the periodic check covers it
      }
      if (this.real.has(real) || this.closed) continue;
      // the watcher first, then the listing: a file created in between is in one or the other
      if (!this.watch(d, real)) continue;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const p = join(d, e.name);
        if (e.isDirectory()) queue.push(p);
        else if (e.isSymbolicLink()) {
          if (await isDirectory(p)) queue.push(p);
          else if (report && this.o.isLog(p)) found.push(p);
        } else if (report && e.isFile() && this.o.isLog(p)) found.push(p);
      }
    }
    if (found.length && !this.closed) this.o.onFiles(found);
  }

  /** Puts a native watcher on `dir`; false when it cannot (told as a rescan). */
  private watch(dir: string, real: string): boolean {
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: true }, (_event, name) => this.onEvent(dir, name));
    } catch (e) {
      this.o.onRescan(`cannot watch ${dir}: ${errorText(e)}`);
      return false;
    }
    w.on('error', (e) => {
      // the folder was removed or became unreadable: forget it (a folder made again there is seen by its parent)
      this.forget(dir);
      if (!this.closed) this.o.onRescan(`watching ${dir}: ${errorText(e)}`);
    });
    this.watchers.set(dir, { w, real });
    this.real.add(real);
    return true;
  }

  /** Stops watching `dir` and the folders under it (removed). */
  private forget(dir: string): void {
    for (const [d, { w, real }] of this.watchers) {
      if (d !== dir && !d.startsWith(dir + sep)) continue;
      w.close();
      this.watchers.delete(d);
      this.real.delete(real);
    }
  }

  private onEvent(dir: string, name: string | Buffer | null): void {
    if (this.closed) return;
    if (name === null || name === undefined) {
      this.o.onRescan(`an event without a file name in ${dir}`);
      return;
    }
    const p = join(dir, String(name));
    if (this.o.isLog(p)) {
      this.o.onFiles([p]);
      return;
    }
    if (this.watchers.has(p)) {
      // a watched folder renamed or removed: forget it (and what is under it) when it is gone
      void isDirectory(p).then((still) => {
        if (!still) this.forget(p);
      });
      return;
    }
    // maybe a new folder: watch it (and what is already in it)
    void isDirectory(p).then((yes) => {
      if (yes && !this.closed) return this.add(p, true);
    });
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
