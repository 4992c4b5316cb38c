/**
 * How long the dashboard took to show what was asked for (opening it, or new filters), for the log channel: the
 * snapshot's time in the index worker, the page's load (opening only), the drawing in the webview, and the whole,
 * from the ask to the webview's `painted`. A push for a change of the data is not an ask: it is not timed.
 */
export type Ask = 'open' | 'filters';

interface Pending {
  what: Ask;
  t0: number;
  readyMs?: number;
  snapshotMs?: number;
  /** when the snapshot was posted to the webview */
  postedAt?: number;
  /** the webview showed the snapshot sent ahead (`shownAhead`): nothing was posted for this ask */
  ahead?: boolean;
}

export class ShowTimes {
  private pending: Pending | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** The user asked for something the next snapshot shows (a newer ask replaces an older one). */
  asked(what: Ask): void {
    this.pending = { what, t0: this.now() };
  }

  /** The page is loaded and asked for its first snapshot (counted for an open only). */
  pageReady(): void {
    if (this.pending?.what === 'open' && this.pending.readyMs === undefined) this.pending.readyMs = this.now() - this.pending.t0;
  }

  /** The snapshot being posted took `snapshotMs` to build (the index worker, or the team database). */
  posted(snapshotMs: number): void {
    if (!this.pending || this.pending.postedAt !== undefined) return;
    this.pending.snapshotMs = snapshotMs;
    this.pending.postedAt = this.now();
  }

  /**
   * The webview showed the snapshot the host had sent ahead for the filters asked for: it drew it when the user chose
   * them, without waiting for the host (which heard of the ask now).
   */
  shownAhead(): void {
    if (this.pending?.what === 'filters' && this.pending.postedAt === undefined) {
      this.pending.ahead = true;
      this.pending.postedAt = this.now();
    }
  }

  /**
   * The webview drew a snapshot (`renderMs` building it, `frameMs` from its arrival to the frame drawn): the log line
   * for the pending ask, or undefined (a data push, or nothing asked). The messages' time is the rest of the time
   * since the post, both ways: the report comes back through the workbench, which may be busy (in code-server under
   * load, up to ~0.8 s of it was that way back), so the total is when the host heard of the frame.
   */
  painted(renderMs: number, frameMs: number): string | undefined {
    const p = this.pending;
    if (p?.postedAt === undefined) return undefined;
    this.pending = undefined;
    const now = this.now();
    const ms = (x: number) => `${Math.round(Math.max(0, x))} ms`;
    // (the webview's frame time counts from the user's choice; the host heard of it after the webview began drawing)
    if (p.ahead) return `Dashboard filters changed: drawn from the snapshot sent ahead, ${ms(frameMs)} from the choice to the frame in the webview (${ms(renderMs)} of it drawing), reported ${ms(now - p.t0)} after the host heard of it`;
    const parts = [`snapshot ${ms(p.snapshotMs ?? 0)}`];
    if (p.readyMs !== undefined) parts.push(`page loaded after ${ms(p.readyMs)}`);
    parts.push(`webview ${ms(frameMs)} from arrival to frame, ${ms(renderMs)} of it drawing`, `messages both ways ${ms(now - p.postedAt - frameMs)}`);
    const what = p.what === 'open' ? 'opened' : 'filters changed';
    return `Dashboard ${what}: drawn, reported ${ms(now - p.t0)} after it was asked for (${parts.join('; ')})`;
  }
}
