/**
 * Trailing-edge debounce: `trigger()` calls `fn` once, `waitMs` after the last trigger.
 * `maxWaitMs` bounds the delay under a steady stream of triggers (a busy log still updates).
 */
export interface Debounced {
  trigger(): void;
  /** runs a pending call now */
  flush(): void;
  cancel(): void;
  readonly pending: boolean;
}

export function debounce(fn: () => void, waitMs: number, maxWaitMs = Infinity): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstTriggerAt = 0;
  const run = () => {
    timer = undefined;
    firstTriggerAt = 0;
    fn();
  };
  return {
    trigger() {
      const now = Date.now();
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
    },
    get pending() {
      return timer !== undefined;
    },
  };
}
