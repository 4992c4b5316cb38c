/**
 * When the writer's periodic check also looks at every log file (a full stat of each: ~0.3 s of the index worker's
 * CPU at a year of heavy use on disk, 16,450 files). The watcher reports changed files by name, so the full check is
 * only the safety net for changes it never reports (a network or WSL mount where file events do not arrive, a watch
 * that could not be added). It runs at every check (30 s) at first and after any check that found new data; each
 * check that found nothing after the first doubles the gap (30 s, 1, 2, 4 min…), up to `maxMs` — ten times the check's period by default, so a writer
 * idle for a while stats every file every 5 min (~0.1 % of a core at a year) instead of every 30 s (~1 %), and a
 * source whose changes only the full check sees is still read within 30 s once it is seen changing.
 */
export class FullCheckSchedule {
  private gapMs: number;
  private lastMs: number | undefined;
  /** full checks in a row that found nothing */
  private quiet = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs = minMs * 10,
  ) {
    this.gapMs = minMs;
  }

  /** Whether the check at `nowMs` should look at every file. */
  due(nowMs: number): boolean {
    // a tick arrives a little early or late: a gap within a tenth of the period counts as reached
    return this.lastMs === undefined || nowMs - this.lastMs >= this.gapMs - this.minMs / 10 || nowMs < this.lastMs;
  }

  /** A full check ended at `nowMs`; `foundNew`: it brought new data in. */
  done(nowMs: number, foundNew: boolean): void {
    this.lastMs = nowMs;
    this.gapMs = foundNew || this.quiet === 0 ? this.minMs : Math.min(this.maxMs, this.gapMs * 2);
    this.quiet = foundNew ? 0 : this.quiet + 1;
  }

  /** Something the watcher may have missed (it was restarted, asked for a look at every file): back to every check. */
  reset(): void {
    this.gapMs = this.minMs;
    this.lastMs = undefined;
    this.quiet = 0;
  }
}
