import type { Statement } from 'sql.js';
import type { LogFile } from '../../logFile';
import type { ApplyContext, SourceApplier } from '../../ingest/applyContext';
import { ClaudeDedup } from '../../ingest/claudeDedup';
import type { ClaudeCallRecord, LimitResetRecord, ParseResult } from '../../ingest/records';
import { readClaudeCall, type PackedClaudeCalls } from '../../ingest/packedCalls';

/** What a Claude transcript read produces (parse: sources/claude/index.ts). */
export interface ClaudePayload {
  /** the file's call copies in line order, as columns (they cross from a parse worker) */
  calls: PackedClaudeCalls;
  resets: LimitResetRecord[];
}

/**
 * Counts Claude calls (main thread): the de-dup across files and runs (claudeDedup.ts: a later, larger copy of a
 * call corrects the totals), the project's display path from the transcript's cwd, limit reset times.
 */
export class ClaudeApplier implements SourceApplier {
  private readonly dedup: ClaudeDedup;
  private readonly putReset: Statement;
  private readonly call: ClaudeCallRecord = { mid: 0, rid: 0, sidechain: false, ts: 0, model: '', branch: '', tier: 'standard', input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 0, activity: undefined };

  constructor(private readonly ctx: ApplyContext) {
    this.dedup = new ClaudeDedup(ctx.db, ctx.usage, ctx.maxCallsInMemory, (dim) => ctx.dims.placeOf(dim));
    this.putReset = ctx.db.prepare('INSERT OR IGNORE INTO limit_resets (reset_ms, observed_ms) VALUES (?, ?)');
  }

  async applyFile(file: LogFile, r: ParseResult): Promise<void> {
    const { ctx } = this;
    const p = r.payload as ClaudePayload | undefined;
    if (r.state.cwd) ctx.putProject('claude', file.project, r.state.cwd);
    if (!p) return;
    let lastDim = -1;
    let model = '';
    let branch = '';
    let tier = '';
    // one record for every call of the file (the de-dup copies what it keeps)
    const c = this.call;
    for (let i = 0; i < p.calls.n; i++) {
      readClaudeCall(p.calls, i, c);
      // consecutive calls of a file nearly always share their dims
      const dim =
        i > 0 && c.model === model && c.branch === branch && c.tier === tier
          ? lastDim
          : ctx.dims.idOf({ source: 'claude', model: c.model, project: file.project, session: file.session, branch: c.branch, tier: c.tier });
      model = c.model;
      branch = c.branch;
      tier = c.tier;
      lastDim = dim;
      if (this.dedup.apply(c, dim) === 'new') ctx.counted();
      else ctx.counters.duplicateLines++;
      // a clock read every 16 calls (~20 µs of work), not after each
      if ((i & 15) !== 15) continue;
      const turn = ctx.slicer.tick();
      if (turn) await turn;
    }
    for (const x of p.resets) this.putReset.run([x.resetMs, x.observedMs]);
  }

  get wantsFlush(): boolean {
    return this.dedup.overBudget;
  }

  get peakCallsInMemory(): number {
    return this.dedup.peakInMemory;
  }

  async flush(): Promise<void> {
    this.dedup.flush();
  }

  /** The de-dup state to its lasting tables, read by later refreshes only: not for an index dropped after the run. */
  async finish(): Promise<void> {
    if (this.ctx.discardedAfterRun) return;
    await this.dedup.finish(this.ctx.nowMs, this.ctx.slicer);
  }

  free(): void {
    this.dedup.free();
    this.putReset.free();
  }
}
