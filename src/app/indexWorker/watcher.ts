import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { debounce, type Debounced } from '../debounce';
import type { Logger } from '../../core/types';

/**
 * Watches the log roots for changes of log files and calls `onChange` once per burst with the files (a change after a
 * quiet spell at once, the rest of a burst coalesced for ~200 ms and at most ~1 s under a steady stream, so an
 * appended line is read without waiting out the burst window) with the files
 * that changed in the burst, so the refresh reads only those; `undefined` = look at every file (once the start-up
 * walk is done: a change made during the walk has no event).
 * chokidar v4 has no globs: we watch the root folders and filter files by name; folders are always
 * traversed so new project/session folders are picked up. `usePolling` serves WSL, network and container
 * mounts where file events do not arrive.
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
  private watcher: FSWatcher | undefined;
  private readonly fire: Debounced;
  /** the files changed since the last call; undefined = every file */
  private changed: Set<string> | undefined = new Set();

  constructor(private readonly opts: LogWatcherOptions) {
    this.fire = debounce(() => {
      const paths = this.changed && [...this.changed];
      this.changed = new Set();
      opts.onChange(paths);
    }, opts.debounceMs ?? 200, 1000, { leading: true });
  }

  start(): void {
    if (this.opts.dirs.length === 0) return;
    const w = watch([...this.opts.dirs], {
      ignored: ignoreNonLogs(this.opts.isLog),
      ignoreInitial: true,
      persistent: true,
      usePolling: this.opts.usePolling,
      interval: 1000,
      binaryInterval: 1000,
      followSymlinks: true,
      ignorePermissionErrors: true,
    });
    const onFile = (path: string) => {
      if (!this.opts.isLog(path)) return;
      this.changed?.add(path);
      this.fire.trigger();
    };
    w.on('add', onFile).on('change', onFile).on('unlink', onFile);
    // a change made while chokidar was still walking the folders (before it watched that folder) has no event:
    // one more refresh once the walk is done picks it up (it reads nothing when there was none)
    const started = Date.now();
    w.on('ready', () => {
      if (this.watcher !== w) return;
      this.opts.logger.info(`file watcher ready (start-up walk ${Date.now() - started} ms)`);
      this.changed = undefined;
      this.fire.trigger();
    });
    w.on('error', (e) => this.opts.logger.warn(`file watcher: ${e instanceof Error ? e.message : String(e)}`));
    this.watcher = w;
    this.opts.logger.info(`watching ${this.opts.dirs.length} folder(s)${this.opts.usePolling ? ' (polling)' : ''}: ${this.opts.dirs.join(', ')}`);
  }

  async dispose(): Promise<void> {
    this.fire.cancel();
    const w = this.watcher;
    this.watcher = undefined;
    await w?.close();
  }
}
