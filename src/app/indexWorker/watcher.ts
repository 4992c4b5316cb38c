import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { debounce, type Debounced } from '../debounce';
import { DirWatcher } from './dirWatcher';
import type { Logger } from '../../core/types';

/**
 * Watches the log roots for changes of log files and calls `onChange` once per burst with the files (a change after a
 * quiet spell at once, the rest of a burst coalesced for ~200 ms and at most ~1 s under a steady stream, so an
 * appended line is read without waiting out the burst window) with the files
 * that changed in the burst, so the refresh reads only those; `undefined` = look at every file (once the start-up
 * walk is done: a change made during the walk has no event).
 * Native events: one watcher per folder (dirWatcher.ts), none per file. `usePolling` (WSL, network and container
 * mounts where file events do not arrive): chokidar, which polls each log file (it has no globs: we watch the root
 * folders and filter files by name; folders are always traversed so new project/session folders are picked up).
 */
export interface LogWatcherOptions {
  dirs: readonly string[];
  /** whether a changed file is a log (core/discovery.ts watchTargets) */
  isLog: (path: string) => boolean;
  usePolling: boolean;
  onChange: (paths: string[] | undefined) => void;
  logger: Logger;
  debounceMs?: number;
}

/** chokidar `ignored`: skip files that are not logs (folders are never ignored). */
export function ignoreNonLogs(isLog: (path: string) => boolean): (path: string, stats?: Stats) => boolean {
  return (path, stats) => {
    if (!stats) return false; // not stat'ed yet: decide again with stats
    return stats.isFile() && !isLog(path);
  };
}

export class LogWatcher {
  private watcher: FSWatcher | DirWatcher | undefined;
  private readonly fire: Debounced;
  /** the files changed since the last call; undefined = every file */
  private changed: Set<string> | undefined = new Set();
  /** the native start-up walk while it runs (resolves when it is done or failed) */
  private walking: Promise<void> | undefined;
  /** a full pass waits for the walk to end: it is the look at every file the walk's end asks for */
  private passAfterWalk = false;

  constructor(private readonly opts: LogWatcherOptions) {
    this.fire = debounce(() => {
      const paths = this.changed && [...this.changed];
      this.changed = new Set();
      opts.onChange(paths);
    }, opts.debounceMs ?? 200, 1000, { leading: true });
  }

  start(): void {
    if (this.opts.dirs.length === 0) return;
    const onFile = (path: string) => {
      if (!this.opts.isLog(path)) return;
      this.changed?.add(path);
      this.fire.trigger();
    };
    // a change made while the folders were still being walked (before that folder was watched) has no event: one
    // more refresh once the walk is done picks it up (it reads nothing when there was none)
    const started = Date.now();
    const ready = (w: unknown) => {
      if (this.watcher !== w) return;
      this.opts.logger.info(`file watcher ready (start-up walk ${Date.now() - started} ms${w instanceof DirWatcher ? `, ${w.folders} folder(s)` : ''})`);
      // what was pending is part of the look at every file
      this.fire.cancel();
      this.changed = new Set();
      if (this.passAfterWalk) {
        // a full pass starts now, after every folder is watched: it is the look
        this.passAfterWalk = false;
        return;
      }
      // at once and outside the debounce: a call appended right after the walk is still the first change after a
      // quiet spell, read at once, not held back as the tail of a burst
      this.opts.onChange(undefined);
    };
    this.opts.logger.info(`watching ${this.opts.dirs.length} folder(s)${this.opts.usePolling ? ' (polling)' : ''}: ${this.opts.dirs.join(', ')}`);
    if (!this.opts.usePolling) {
      const w = new DirWatcher({
        roots: this.opts.dirs,
        isLog: this.opts.isLog,
        onFiles: (paths) => {
          if (this.watcher === w) for (const p of paths) onFile(p);
        },
        onRescan: (reason) => {
          if (this.watcher !== w) return;
          this.opts.logger.debug(`file watcher: ${reason}; looking at every file`);
          this.changed = undefined;
          this.fire.trigger();
        },
      });
      this.watcher = w;
      const walking: Promise<void> = w
        .start()
        .then(() => ready(w), (e) => this.opts.logger.warn(`file watcher: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          if (this.walking === walking) this.walking = undefined;
        });
      this.walking = walking;
      return;
    }
    const w = watch([...this.opts.dirs], {
      ignored: ignoreNonLogs(this.opts.isLog),
      ignoreInitial: true,
      persistent: true,
      usePolling: true,
      interval: 1000,
      binaryInterval: 1000,
      followSymlinks: true,
      ignorePermissionErrors: true,
    });
    w.on('add', onFile).on('change', onFile).on('unlink', onFile);
    w.on('ready', () => ready(w));
    w.on('error', (e) => this.opts.logger.warn(`file watcher: ${e instanceof Error ? e.message : String(e)}`));
    this.watcher = w;
  }

  /**
   * A pass that stats every file is about to start. While the native start-up walk runs (~0.1 s for a year's 422
   * folders), the pass waits for it, up to `maxMs`: started after every folder is watched, it misses no change, so it
   * is the walk's "look at every file" — one full stat pass at a window start instead of two (~0.3 s of CPU each at a
   * year). A walk that takes longer (or polling, whose walk stats every file) is not waited for, and its look stays.
   */
  async beforeFullPass(maxMs: number): Promise<void> {
    const walk = this.walking;
    if (!walk) return;
    this.passAfterWalk = true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([walk.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), maxMs)))]);
    clearTimeout(timer);
    if (!done) this.passAfterWalk = false; // the pass starts before the walk ends: the walk's end still looks
  }

  async dispose(): Promise<void> {
    this.fire.cancel();
    this.walking = undefined;
    this.passAfterWalk = false;
    const w = this.watcher;
    this.watcher = undefined;
    await w?.close();
  }
}
