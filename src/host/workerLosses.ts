/**
 * Counts losses of the index worker (a crash, running out of memory). After more than `max` losses within `windowMs`
 * the window stops reopening the index (a crash that repeats at every open) and says so. No `vscode` import.
 */
export const MAX_LOSSES = 3;
export const LOSS_WINDOW_MS = 10 * 60_000;

export class WorkerLosses {
  private times: number[] = [];

  constructor(private readonly max = MAX_LOSSES, private readonly windowMs = LOSS_WINDOW_MS) {}

  /** Notes a loss at `nowMs`; returns the losses within the window, this one included. */
  record(nowMs: number): number {
    this.times = [...this.times.filter((t) => nowMs - t < this.windowMs), nowMs];
    return this.times.length;
  }

  /** More than `max` losses within the window before `nowMs`: stop reopening. */
  tooOften(nowMs: number): boolean {
    return this.times.filter((t) => nowMs - t < this.windowMs).length > this.max;
  }

  /** What the window shows when it gave up. */
  message(): string {
    return `the index worker stopped ${this.times.length} times in ${Math.round(this.windowMs / 60_000)} minutes; reload the window to try again (see AgentMeter: Show Log)`;
  }
}
