/**
 * The log-folder watcher, run inside the index worker (a start-up walk over thousands of session folders and files
 * blocked the extension host's event loop for hundreds of ms when it ran there: scripts/bench/host-eventloop.ts). The
 * worker posts one event per burst of changes (debounced by `LogWatcher`) with the files that changed; the host
 * decides what to do with it.
 */
import type { Logger } from '../../core/types';
import { LogWatcher } from './watcher';
import { watchTargets, type SourceRoot } from '../../core/discovery';

/** How long a full pass waits for the start-up walk (a year's 422 folders: ~0.1 s; a slower walk keeps its own look). */
const WALK_WAIT_MS = 1_000;

export class LogWatchHost {
  private watcher: LogWatcher | undefined;
  /** watch/unwatch run one after the other (a start awaiting the old watcher's close must not race another) */
  private op: Promise<void> = Promise.resolve();

  constructor(
    private readonly logger: Logger,
    private readonly onChange: (paths: string[] | undefined) => void,
  ) {}

  /** (Re)starts watching these roots' folders for changes of their log files. */
  watchLogs(roots: SourceRoot[], usePolling: boolean): Promise<void> {
    return this.serial(async () => {
      await this.stop();
      const { dirs, isLog } = watchTargets({ roots });
      const w = new LogWatcher({ dirs, isLog, usePolling, logger: this.logger, onChange: this.onChange });
      this.watcher = w;
      w.start();
    });
  }

  /**
   * Before a refresh that stats every file: waits (up to `maxMs`) for a watcher start-up walk still running, so that
   * pass is the walk's look at every file (LogWatcher.beforeFullPass). A watcher start still queued is waited for first.
   */
  async beforeFullPass(maxMs = WALK_WAIT_MS): Promise<void> {
    await this.op;
    await this.watcher?.beforeFullPass(maxMs);
  }

  unwatchLogs(): Promise<void> {
    return this.serial(() => this.stop());
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.op.then(fn);
    this.op = run.catch(() => {});
    return run;
  }

  private async stop(): Promise<void> {
    const w = this.watcher;
    this.watcher = undefined;
    await w?.dispose();
  }
}
