import type { LogFile } from '../../logFile';
import type { ApplyContext, SourceApplier } from '../../ingest/applyContext';
import { HashFilter } from '../../ingest/hashFilter';
import { codexEventAt, type PackedCodexEvents } from '../../ingest/packedCodexEvents';
import type { CodexUsageRecord, ParseResult } from '../../ingest/records';
import { fastTierOf, vendorTierOf } from '../../pricing/contextTier';
import { flexTierOf } from '../../pricing/flexTier';
import { anyPacked, HashPacks, type PackLayout } from '../../store/hashPacks';
import { putRateLimits } from '../../store/rateLimits';
import { bucketOf, type RateLimitSnapshot, type Tier } from '../../types';

/** What a Codex rollout read produces (parse: sources/codex/index.ts). */
export interface CodexPayload {
  /** the counted events as columns (a worker hands them over without cloning an object per event) */
  events: PackedCodexEvents;
  rateLimits: RateLimitSnapshot[];
  fallbackModelEvents: number;
}

/**
 * Counts Codex token_count events (main thread): replay de-dup across files and runs (`codex_event_packs`: history
 * replayed into forks, subagents and archived copies is counted once, under its own session), rate-limit samples
 * (one per 15-minute bucket, the newest in it).
 */
/** The counted events' hashes (schema 8): hash53 values per 12-bit prefix, 41 low bits in 6 bytes each. */
export const CODEX_EVENTS: PackLayout = { table: 'codex_event_packs', loBits: 41, bytes: 6 };

export class CodexApplier implements SourceApplier {
  /**
   * event hashes met since the last flush (all of them are in codex_event_packs after it); of the whole run when the
   * index is dropped after it (ApplyContext.discardedAfterRun: the hashes are kept here and never written, as no later
   * refresh reads them)
   */
  private readonly seen = new Set<number>();
  private readonly writesHashes: boolean;
  /** hashes this run added to codex_event_packs: only these need a lookup when the store had none at the start */
  private readonly flushed = new HashFilter();
  private readonly useDb: boolean;
  private readonly rateLimits = new Map<number, RateLimitSnapshot>();
  /** counted event hashes, inserted at flush() */
  private readonly newEvents: number[] = [];
  /**
   * Events counted in this run from a replay (earlier than their file's session start) and where: when the
   * original (same hash, in its own session) is applied later in the run, the usage moves to the original's dims.
   */
  private readonly provisional = new Map<number, { dim: number; activity: string }>();
  private readonly events: HashPacks;

  constructor(private readonly ctx: ApplyContext) {
    this.useDb = anyPacked(ctx.db, CODEX_EVENTS);
    this.writesHashes = !ctx.discardedAfterRun;
    this.events = new HashPacks(ctx.db, CODEX_EVENTS, { keep: true, startsEmpty: !this.useDb });
  }

  async applyFile(file: LogFile, r: ParseResult): Promise<void> {
    const { ctx } = this;
    const p = r.payload as CodexPayload | undefined;
    if (!p) return;
    ctx.counters.codexFallbackModelEvents += p.fallbackModelEvents;
    let lastDim = -1;
    let lastTier: Tier = 'standard';
    let last: CodexUsageRecord | undefined;
    for (let i = 0; i < p.events.n; i++) {
      const e = codexEventAt(p.events, i);
      const tokens = { input: e.input, output: e.output, cw5m: e.cacheWrite, cw1h: 0, cacheRead: e.cacheRead, reasoning: e.reasoning, webSearch: 0 };
      if (this.isReplayed(e.h)) {
        ctx.counters.duplicateLines++; // history replayed into a fork/subagent/archived copy
        const prov = this.provisional.get(e.h);
        if (prov && !e.replayed) {
          // the original of an event first counted from a fork's replay (newest files first): move it home
          this.provisional.delete(e.h);
          ctx.usage.add(bucketOf(e.ts), prov.dim, tokens, e.ts, -1, 1, prov.activity);
          ctx.usage.add(bucketOf(e.ts), this.dimOf(file, e, codexTier(e)), tokens, e.ts, 1, 1, e.activity ?? '');
        }
        continue;
      }
      if (this.writesHashes) this.newEvents.push(e.h);
      // consecutive events of a file nearly always share project, model, branch and tier
      const tier = codexTier(e);
      const same = last !== undefined && e.model === last.model && e.project === last.project && e.branch === last.branch && tier === lastTier;
      if (!same) ctx.putProject('codex', e.project, e.project);
      const dim = same ? lastDim : this.dimOf(file, e, tier);
      last = e;
      lastDim = dim;
      lastTier = tier;
      if (e.replayed) this.provisional.set(e.h, { dim, activity: e.activity ?? '' });
      ctx.usage.add(bucketOf(e.ts), dim, tokens, e.ts, 1, 1, e.activity ?? '');
      ctx.counted();
      const turn = ctx.slicer.tick();
      if (turn) await turn;
    }
    for (const s of p.rateLimits) {
      const b = bucketOf(s.observedMs);
      const cur = this.rateLimits.get(b);
      if (!cur || s.observedMs > cur.observedMs) this.rateLimits.set(b, s);
    }
  }

  /** `tier`: `standard`, or DeepSeek's peak hours / Qwen's input-length tier of one request (pricing `vendorTierOf`) */
  private dimOf(file: LogFile, e: CodexUsageRecord, tier: Tier): number {
    return this.ctx.dims.idOf({ source: 'codex', model: e.model, project: e.project, session: file.session, branch: e.branch, tier });
  }

  private isReplayed(h: number): boolean {
    if (this.seen.has(h)) return true;
    this.seen.add(h);
    if (!this.useDb && !this.flushed.mayHave(h)) return false;
    return this.events.has(h);
  }

  /**
   * Replay hashes and rate-limit samples written; the hashes met are forgotten (they are in codex_event_packs now).
   * An index dropped after the run gets the rate-limit samples only (reports read them); its hashes stay in `seen`.
   */
  async flush(): Promise<void> {
    const { db, slicer } = this.ctx;
    if (this.writesHashes) {
      const events = this.newEvents.splice(0).sort((a, b) => a - b);
      for (const h of events) this.flushed.add(h);
      this.seen.clear();
      await this.events.addAll(events, slicer);
    }
    if (this.rateLimits.size === 0) return;
    putRateLimits(db, this.rateLimits);
    this.rateLimits.clear();
  }

  async finish(): Promise<void> {}

  free(): void {
    this.events.free();
  }
}

/**
 * A Codex call's pricing tier: `fast` at the Fast / priority service tier, else its model's vendor tier (`vendorTierOf`),
 * `<that>@flex` at the Flex service tier (pricing/flexTier.ts: whatever the model, so a Flex price applies when there is one).
 */
function codexTier(e: CodexUsageRecord): Tier {
  if (e.fast) return fastTierOf(e.model, e.ts);
  const tier = vendorTierOf(e.model, e.input + e.cacheRead + e.cacheWrite, e.ts);
  return e.flex ? flexTierOf(tier) : tier;
}
