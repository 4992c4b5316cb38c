/**
 * Paths asked for again once a delay has passed, one timer for all of them: the databases a writer's pass left for
 * later (read less than DATABASE_MIN_INTERVAL_MS before — OpenCode's while a reply streams, which the watcher reports
 * at every burst) are gathered while the timer runs and handed over together when it fires, instead of a timer and a
 * pass per deferral.
 */
export class LaterPaths {
  private pending: Set<string> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly fire: (paths: string[]) => void,
  ) {}

  /** Asks for `paths` again when the running timer fires (one is started when none runs). */
  add(paths: readonly string[]): void {
    if (paths.length === 0) return;
    if (this.pending) {
      for (const p of paths) this.pending.add(p);
      return;
    }
    const pending = new Set(paths);
    this.pending = pending;
    this.timer = setTimeout(() => {
      this.pending = undefined;
      this.timer = undefined;
      this.fire([...pending]);
    }, this.delayMs);
    this.timer.unref?.();
  }

  /** Drops what is pending. */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}
