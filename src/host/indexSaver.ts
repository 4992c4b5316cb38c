/**
 * The writer's saves of the index file: debounced (a burst of changes is one save; under a steady stream still one at
 * least every `maxWaitMs`), one at a time (a save asked for during one runs once more after it, `coalesced`), and a
 * failed save is tried again on its own after 1 s, 2 s, 4 s … then every `retryMaxMs` (e.g. a full disk), logged
 * as an error once and at debug level after that. No `vscode` import.
 *
 * A save never has to wait here for a refresh in progress: the index worker's `save` waits for it (the only place
 * that knows whether a transaction is open).
 */
import type { Logger } from '../core/types';
import { coalesced } from './coalesce';
import { debounce, type Debounced } from '../app/debounce';
import { errorText } from './errorText';

export const SAVE_RETRY_MAX_MS = 30_000;

/** A cancellable timer (tests pass their own to see the delays asked for). */
export type SetTimer = (fn: () => void, ms: number) => { cancel(): void };

const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return { cancel: () => clearTimeout(t) };
};

export interface IndexSaverOptions {
  /** writes the file (the index worker's atomic save) */
  save(): Promise<void>;
  /** false when this window must not write the file now (no database, not the writer, lock lost): skipped */
  canSave(): boolean;
  logger: Logger;
  debounceMs: number;
  /** the longest a steady stream of triggers delays a save (default max(debounceMs, 1 s)) */
  maxWaitMs?: number;
  retryMaxMs?: number;
  setTimer?: SetTimer;
  /**
   * The idle fold: `afterIdleMs` after the last successful save (no save since), `run` asks the index worker to write
   * the whole file if its journal has grown past a threshold, so that the next window to open the index replays
   * little. What it wrote, for the log.
   */
  fold?: { afterIdleMs: number; run(): Promise<{ bytes: number; whole: boolean }> };
}

/** Delay before retry number `failures` (1-based): 1 s, 2 s, 4 s … at most `maxMs`. */
export function retryDelayMs(failures: number, maxMs = SAVE_RETRY_MAX_MS): number {
  return Math.min(maxMs, 1000 * 2 ** (failures - 1));
}

export class IndexSaver {
  private readonly debounced: Debounced;
  private readonly run = coalesced(() => this.saveOnce(), () => !this.disposed);
  private current: Promise<void> | undefined;
  private failures = 0;
  private retry: { cancel(): void } | undefined;
  private foldTimer: { cancel(): void } | undefined;
  private disposed = false;
  private readonly setTimer: SetTimer;

  constructor(private readonly opts: IndexSaverOptions) {
    this.setTimer = opts.setTimer ?? realTimer;
    this.debounced = debounce(() => void this.saveNow(), opts.debounceMs, opts.maxWaitMs ?? Math.max(opts.debounceMs, 1000));
  }

  /** The data changed: save after the debounce. */
  trigger(): void {
    this.debounced.trigger();
  }

  /** Runs a debounced save now, if one is pending. */
  flush(): void {
    this.debounced.flush();
  }

  /** Drops a debounced save that has not started. */
  cancel(): void {
    this.debounced.cancel();
  }

  /** Saves now (after the save in progress, if any); resolves when a save that started after this call ended. */
  saveNow(): Promise<void> {
    const p = this.run();
    this.current = p;
    void p.finally(() => {
      if (this.current === p) this.current = undefined;
    });
    return p;
  }

  /** Resolves when no save runs (the one in progress and those queued behind it ended). */
  idle(): Promise<void> {
    return this.current ?? Promise.resolve();
  }

  /** Failed attempts since the last successful save. */
  get failedAttempts(): number {
    return this.failures;
  }

  /** No more saves or retries (a save in progress still ends). */
  dispose(): void {
    this.disposed = true;
    this.debounced.cancel();
    this.retry?.cancel();
    this.foldTimer?.cancel();
  }

  /** (Re)starts the idle fold's wait: each save moves it. */
  private armFold(): void {
    const fold = this.opts.fold;
    if (!fold || this.disposed) return;
    this.foldTimer?.cancel();
    this.foldTimer = this.setTimer(() => {
      this.foldTimer = undefined;
      void this.foldNow(fold);
    }, fold.afterIdleMs);
  }

  /** After the saves in progress; one at a time with them (`idle()` waits for it too). A failure only logs. */
  private async foldNow(fold: NonNullable<IndexSaverOptions['fold']>): Promise<void> {
    await this.idle();
    if (this.disposed || !this.opts.canSave()) return;
    const p = (async () => {
      try {
        const t0 = Date.now();
        const r = await fold.run();
        if (r.whole) this.opts.logger.info(`the index journal was folded into the file while idle (${(r.bytes / 1048576).toFixed(1)} MB written in ${Date.now() - t0} ms)`);
      } catch (e) {
        this.opts.logger.debug(`folding the index journal while idle failed: ${errorText(e)} (the journal stays; the next save tries the usual way)`);
      }
    })();
    this.current = p;
    await p;
    if (this.current === p) this.current = undefined;
  }

  private async saveOnce(): Promise<void> {
    if (!this.opts.canSave()) return;
    this.retry?.cancel();
    this.retry = undefined;
    try {
      await this.opts.save();
      if (this.failures > 0) this.opts.logger.info(`the index is saved again (after ${this.failures} failed attempt(s))`);
      this.failures = 0;
      this.armFold();
    } catch (e) {
      // e.g. a full disk: try again later, even when no new usage comes in
      this.failures++;
      const inMs = retryDelayMs(this.failures, this.opts.retryMaxMs);
      const text = `saving the index failed: ${errorText(e)}; trying again in ${Math.round(inMs / 1000)} s`;
      if (this.failures === 1) this.opts.logger.error(text);
      else this.opts.logger.debug(text);
      if (!this.disposed) this.retry = this.setTimer(() => void this.saveNow(), inMs);
    }
  }
}
