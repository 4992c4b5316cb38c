import type { LogFile } from '../../logFile';
import type { ApplyContext, SourceApplier } from '../../ingest/applyContext';
import type { ParseResult } from '../../ingest/records';
import { hash53 } from '../../hash';
import { KeyedCalls, type KeyedRow } from '../../store/keyedCalls';
import { UnknownUsageCounts } from '../../store/unknownUsage';
import { pricingTierOf } from '../../pricing/contextTier';
import { bucketOf, type Tier } from '../../types';
import type { KeyedUsage } from '../plugin';
import type { KeyedPayload } from './keyedParse';
import { classifyActivity } from '../../activity';
import { COMPACT_AFTER_MS } from '../../ingest/claudeDedup';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Counts a plug-in source's keyed usage (main thread, in the refresh's transaction): a key seen for the first time
 * adds its tokens; a key read again with other figures (a message re-written under the same id, a row updated in
 * place, a document re-read whole) takes back what it counted and adds the new figures — last wins; the same figures
 * again change nothing (counted as a duplicate). A document read with `replace` also takes back the keys it held
 * before and holds no more.
 */
export class KeyedApplier implements SourceApplier {
  private readonly calls: KeyedCalls;
  private readonly unknownUsage: UnknownUsageCounts;
  /** the last record's dims tuple and its id: a file's records mostly share one (same session, model, project) */
  private lastDim: { model: string; project: string; session: string; branch: string; tier: Tier; id: number } | undefined;

  /** the start of the de-dup window: a UTC midnight 35 to 36 days back, as Claude's (ingest/claudeDedup.ts) */
  private readonly agedBefore: number;

  constructor(private readonly source: string, private readonly ctx: ApplyContext) {
    this.calls = new KeyedCalls(ctx.db, source);
    this.unknownUsage = new UnknownUsageCounts(ctx.db, source);
    this.agedBefore = Math.floor((ctx.nowMs - COMPACT_AFTER_MS) / DAY_MS) * DAY_MS;
    this.calls.agedBefore = this.agedBefore;
  }

  async applyFile(file: LogFile, r: ParseResult): Promise<void> {
    const p = r.payload as KeyedPayload | undefined;
    if (!p) return;
    const { ctx } = this;
    const f = hash53(file.path);
    const unknown = r.state.unknownUsage;
    this.unknownUsage.note(f, Array.isArray(unknown) ? unknown.length : 0);
    for (const x of p.projects) ctx.putProject(this.source, x.project, x.displayPath);
    const before = p.replace ? this.calls.ofFile(f) : undefined;
    // the file is kept with a key only where a later read asks which keys it holds (store/keyedCalls.ts)
    const from = p.replace ? f : null;
    const held: number[] = [];
    for (const rec of p.records) {
      const h = hash53(`${this.source}\u0000${rec.key}`);
      before?.delete(h);
      if (p.replace) held.push(h);
      this.put(h, from, rec);
      const turn = ctx.slicer.tick();
      if (turn) await turn;
    }
    if (before) {
      for (const [h, old] of before) {
        this.takeBack(old);
        this.calls.delete(h);
      }
    }
    if (p.replace) this.calls.setFileKeys(f, held);
  }

  private put(h: number, f: number | null, rec: KeyedUsage): void {
    const { ctx } = this;
    const dim = this.dimOf(rec);
    const row: KeyedRow = {
      f, dim, ts: rec.ts, input: rec.input, output: rec.output, cw5m: rec.cacheWrite5m, cw1h: rec.cacheWrite1h, cacheRead: rec.cacheRead,
      reasoning: rec.reasoning, webSearch: rec.webSearch, requests: rec.requests, agentCost: rec.agentCostUsd ?? null,
      activity: classifyActivity(this.source, rec.tools, rec.subagent === true),
    };
    const old = this.calls.get(h);
    if (old?.aged) {
      // counted before the de-dup window, kept as its key only: a duplicate whatever its figures (docs/DEDUP.md)
      ctx.counters.duplicateLines++;
      return;
    }
    if (old && sameUsage(old, row)) {
      if (old.f !== f || old.agentCost !== row.agentCost) this.calls.set(h, row);
      ctx.counters.duplicateLines++;
      return;
    }
    if (old) this.takeBack(old);
    else ctx.counted();
    ctx.usage.add(bucketOf(row.ts), row.dim, row, row.ts, 1, row.requests, row.activity);
    this.calls.set(h, row);
  }

  private dimOf(rec: KeyedUsage): number {
    const tier = tierOf(rec);
    const l = this.lastDim;
    if (l && l.model === rec.model && l.project === rec.project && l.session === rec.session && l.branch === rec.branch && l.tier === tier) return l.id;
    const id = this.ctx.dims.idOf({ source: this.source, model: rec.model, project: rec.project, session: rec.session, branch: rec.branch, tier });
    this.lastDim = { model: rec.model, project: rec.project, session: rec.session, branch: rec.branch, tier, id };
    return id;
  }

  private takeBack(old: KeyedRow): void {
    this.ctx.usage.add(bucketOf(old.ts), old.dim, old, old.ts, -1, old.requests, old.activity);
  }

  /**
   * The refresh's periodic flush writes the usage (ctx.usage); the keyed state is the de-dup's alone (no report reads it
   * but the agents' own costs, agentCostBySource), so it is written only once it holds more than HELD_KEYS keys' packs,
   * and at finish(): a pack is then decoded and re-encoded once per HELD_KEYS keys of its source, not once per flush
   * (every 500 ms of a first index: a year of Gemini CLI's 60k keys were re-encoded ~7 times over).
   */
  async flush(): Promise<void> {
    if (this.calls.heldKeys > HELD_KEYS) this.calls.flush();
    this.unknownUsage.save();
  }

  /**
   * The last flush, its packs' keys past the window kept as keys only, and so those of the packs the refresh's earlier
   * flushes wrote (which wrote every figure: a key read again later in the same refresh is compared with them, however
   * often the refresh flushed). Once a UTC day (when the window's start moves) the keys that left the window since are
   * aged in one pass over all the source's packs (a source with no packs before this refresh, a first index, needs none).
   */
  async finish(): Promise<void> {
    this.calls.flush(true);
    const key = `keyedAgedBefore:${this.source}`;
    const done = Number(this.ctx.db.exec('SELECT value FROM meta WHERE key = ?', [key])[0]?.values[0]?.[0] ?? Number.NEGATIVE_INFINITY);
    const daily = this.agedBefore > done && this.calls.hasPacks();
    if (daily && !this.calls.startedEmpty) this.calls.ageAll(this.agedBefore);
    else if (this.calls.unaged.size > 0) this.calls.ageAll(this.agedBefore, this.calls.unaged);
    if (daily) this.ctx.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [key, String(this.agedBefore)]);
  }

  free(): void {
    this.calls.free();
  }
}

/** keys whose packs a source's applier holds in memory across the refresh's flushes (~200 bytes each) */
const HELD_KEYS = 32_768;

function sameUsage(a: KeyedRow, b: KeyedRow): boolean {
  return (
    a.dim === b.dim && a.ts === b.ts && a.input === b.input && a.output === b.output && a.cw5m === b.cw5m && a.cw1h === b.cw1h &&
    a.cacheRead === b.cacheRead && a.reasoning === b.reasoning && a.webSearch === b.webSearch && a.requests === b.requests &&
    a.activity === b.activity
  );
}

/**
 * The pricing tier of a record: the source's own when it knows one besides `standard`; else, for one API request, by its
 * model's price entry (input-length tiers, long context, peak hours: pricing/contextTier.ts); a record summing several
 * requests (Copilot CLI's per-session metrics) or none (Cline's deleted requests) is `standard`, since its prompt is not
 * one request's.
 */
function tierOf(rec: KeyedUsage): Tier {
  if (rec.tier !== undefined && rec.tier !== 'standard') return rec.tier;
  return rec.requests === 1 ? pricingTierOf(rec.model, rec.input + rec.cacheRead + rec.cacheWrite5m + rec.cacheWrite1h, rec.ts) : 'standard';
}
