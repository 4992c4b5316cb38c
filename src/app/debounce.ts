/**
 * Trailing-edge debounce: `trigger()` calls `fn` once, `waitMs` after the last trigger.
 * `maxWaitMs` bounds the delay under a steady stream of triggers (a busy log still updates).
 * `leading`: a trigger after a quiet period (no call pending, none in the last `waitMs`) calls `fn` on the next turn
 * of the event loop instead of after `waitMs` (a single appended line is read at once); triggers that follow within
 * `waitMs` are coalesced into one trailing call as usual.
 */
export interface Debounced {
  trigger(): void;
  /** runs a pending call now */
  flush(): void;
  cancel(): void;
  readonly pending: boolean;
}

export function debounce(fn: () => void, waitMs: number, maxWaitMs = Infinity, opts: { leading?: boolean } = {}): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstTriggerAt = 0;
  let lastRunAt = -Infinity;
  /** the pending call is a leading one (already due: later triggers join it rather than push it back) */
  let leadingPending = false;
  const run = () => {
    timer = undefined;
    firstTriggerAt = 0;
    leadingPending = false;
    lastRunAt = Date.now();
    fn();
  };
  return {
    trigger() {
      const now = Date.now();
      if (leadingPending) return;
      if (opts.leading && !timer && now - lastRunAt >= waitMs) {
        leadingPending = true;
        timer = setTimeout(run, 0);
        return;
      }
      if (!firstTriggerAt) firstTriggerAt = now;
      if (timer) clearTimeout(timer);
      const delay = Math.max(0, Math.min(waitMs, firstTriggerAt + maxWaitMs - now));
      timer = setTimeout(run, delay);
    },
    flush() {
      if (!timer) return;
      clearTimeout(timer);
      run();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      firstTriggerAt = 0;
      leadingPending = false;
    },
    get pending() {
      return timer !== undefined;
    },
  };
}
