/**
 * Cooperative time slicing for long synchronous work on the extension host's thread (issue 2: the host never
 * blocks for more than 50 ms). Work calls `tick()` often; once the current slice has run for `budgetMs`, tick
 * returns a promise that resolves on the next event-loop turn (setImmediate: timers and I/O run in between).
 * Callers `await` only when tick returns a promise, so a fast loop pays one clock read per call.
 */
export const DEFAULT_SLICE_MS = 10;

export class TimeSlicer {
  private sliceStart = performance.now();
  /** event-loop turns given so far */
  yields = 0;

  constructor(readonly budgetMs = DEFAULT_SLICE_MS) {}

  /** undefined while the slice has time left; otherwise a promise for the next turn (a new slice starts then). */
  tick(): Promise<void> | undefined {
    if (performance.now() - this.sliceStart < this.budgetMs) return undefined;
    return this.yieldNow();
  }

  async yieldNow(): Promise<void> {
    this.yields++;
    await new Promise<void>((r) => setImmediate(r));
    this.sliceStart = performance.now();
  }
}
