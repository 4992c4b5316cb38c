/**
 * When the writer window pushes its usage to the team database (issue 16): a few seconds after a save of new usage
 * (a burst of saves is one push), every `intervalMs` even without new usage, and at once when asked (the command).
 * One push at a time: a trigger during one runs one more afterwards. When a push fails (the database unreachable, a
 * wrong password) the automatic pushes back off — 30 s, 1 min, 2 min … at most 15 min — and saves do not push until
 * one succeeds; the push itself catches up (it sends what changed since its watermark, and the last days again, with
 * absolute totals: sending a bucket twice changes nothing). No `vscode` import.
 */
import type { Logger } from '../core/types';
import { coalesced } from './coalesce';
import { errorText } from './errorText';
import type { SetTimer } from './indexSaver';

export const TEAM_PUSH_AFTER_SAVE_MS = 5_000;
export const TEAM_PUSH_RETRY_FIRST_MS = 30_000;
export const TEAM_PUSH_RETRY_MAX_MS = 15 * 60_000;

/** Delay before automatic attempt number `failures + 1` after `failures` (≥ 1) failed ones: 30 s, 1 min, 2 min … 15 min. */
export function teamRetryDelayMs(failures: number): number {
  return Math.min(TEAM_PUSH_RETRY_MAX_MS, TEAM_PUSH_RETRY_FIRST_MS * 2 ** (failures - 1));
}

/** What the status bar tooltip shows about the team push. */
export interface TeamPushState {
  pushing: boolean;
  /** epoch ms of the last push that succeeded, null before the first */
  lastSuccessMs: number | null;
  /** buckets the last successful push sent */
  lastBuckets: number | null;
  /** the last failure's message while pushes fail (cleared by a success) */
  lastError: string | null;
  lastErrorMs: number | null;
  /** failed attempts since the last success */
  failures: number;
  /** epoch ms of the next automatic attempt, null when none is planned */
  nextAttemptMs: number | null;
}

export interface TeamPushSchedulerOptions {
  /** one push (the index worker's request); resolves with the number of buckets sent, throws when it failed */
  push(): Promise<{ buckets: number }>;
  /** false when this window must not push now (not the writer, no database connected, pushing turned off) */
  canPush(): boolean;
  /** the automatic pushes' period (`agentMeter.team.push.intervalMinutes`) */
  intervalMs(): number;
  logger: Logger;
  onChange?(state: TeamPushState): void;
  afterSaveMs?: number;
  setTimer?: SetTimer;
  now?: () => number;
}

const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return { cancel: () => clearTimeout(t) };
};

export const IDLE_TEAM_PUSH: TeamPushState = {
  pushing: false, lastSuccessMs: null, lastBuckets: null, lastError: null, lastErrorMs: null, failures: 0, nextAttemptMs: null,
};

export class TeamPushScheduler {
  private st: TeamPushState = { ...IDLE_TEAM_PUSH };
  private readonly run = coalesced(() => this.pushOnce(), () => !this.stopped && this.opts.canPush());
  /** the next automatic attempt (the period, or a retry) */
  private next: { cancel(): void } | undefined;
  /** the push a few seconds after a save */
  private soon: { cancel(): void } | undefined;
  private stopped = true;
  private readonly setTimer: SetTimer;
  private readonly now: () => number;
  /** the error of the last attempt, for `pushNow` (a coalesced call may end with another caller's attempt) */
  private lastAttemptError: unknown;
  private current: Promise<void> | undefined;

  constructor(private readonly opts: TeamPushSchedulerOptions) {
    this.setTimer = opts.setTimer ?? realTimer;
    this.now = opts.now ?? Date.now;
  }

  get state(): TeamPushState {
    return this.st;
  }

  /** Starts the automatic pushes: one now, then every interval (when `canPush`). */
  start(): void {
    this.stopped = false;
    void this.pushNow().catch(() => {}); // failures are in the state and the log
  }

  /** No automatic pushes until `start` (a push in progress still ends); the state is kept. */
  stop(): void {
    this.stopped = true;
    this.cancelTimers();
    this.set({ nextAttemptMs: null });
  }

  /** A new database or member: forgets the last push's outcome. */
  reset(): void {
    this.st = { ...IDLE_TEAM_PUSH, pushing: this.st.pushing };
    this.opts.onChange?.(this.st);
  }

  /** New usage was saved: push a few seconds later (not while failed pushes back off: the retry catches up). */
  afterSave(): void {
    if (this.stopped || this.soon || this.st.failures > 0 || !this.opts.canPush()) return;
    this.soon = this.setTimer(() => {
      this.soon = undefined;
      void this.pushNow().catch(() => {});
    }, this.opts.afterSaveMs ?? TEAM_PUSH_AFTER_SAVE_MS);
  }

  /**
   * Pushes now (after the push in progress), whatever the back-off; resolves when a push that started after this call
   * ended, rejects with its error when it failed. Skipped (resolves) when `canPush` is false.
   */
  async pushNow(): Promise<void> {
    this.lastAttemptError = undefined;
    const p = this.run();
    this.current = p;
    try {
      await p;
    } finally {
      if (this.current === p) this.current = undefined;
    }
    if (this.lastAttemptError !== undefined) throw this.lastAttemptError;
  }

  /** Resolves when no push runs (the one in progress and those queued behind it ended). */
  idle(): Promise<void> {
    return (this.current ?? Promise.resolve()).catch(() => {});
  }

  private cancelTimers(): void {
    this.next?.cancel();
    this.next = undefined;
    this.soon?.cancel();
    this.soon = undefined;
  }

  private set(change: Partial<TeamPushState>): void {
    this.st = { ...this.st, ...change };
    this.opts.onChange?.(this.st);
  }

  private plan(inMs: number): void {
    this.next?.cancel();
    this.next = undefined;
    if (this.stopped) {
      this.set({ nextAttemptMs: null });
      return;
    }
    this.next = this.setTimer(() => {
      this.next = undefined;
      void this.pushNow().catch(() => {});
    }, inMs);
    this.set({ nextAttemptMs: this.now() + inMs });
  }

  private async pushOnce(): Promise<void> {
    if (!this.opts.canPush()) {
      if (!this.next) this.plan(this.opts.intervalMs()); // e.g. a role change in progress: look again later
      return;
    }
    this.soon?.cancel();
    this.soon = undefined;
    this.set({ pushing: true });
    try {
      const { buckets } = await this.opts.push();
      if (this.st.failures > 0) this.opts.logger.info(`team database: pushed again after ${this.st.failures} failed attempt(s)`);
      this.lastAttemptError = undefined;
      this.set({ pushing: false, lastSuccessMs: this.now(), lastBuckets: buckets, lastError: null, lastErrorMs: null, failures: 0 });
      this.plan(this.opts.intervalMs());
    } catch (e) {
      this.lastAttemptError = e;
      const failures = this.st.failures + 1;
      const inMs = teamRetryDelayMs(failures);
      const text = `team database: push failed: ${errorText(e)}; trying again in ${formatDelay(inMs)}`;
      if (failures === 1) this.opts.logger.warn(text);
      else this.opts.logger.debug(text);
      this.set({ pushing: false, lastError: errorText(e), lastErrorMs: this.now(), failures });
      this.plan(inMs);
    }
  }
}

function formatDelay(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
