import { zeroTokens, type Fact, type Source, type TokenCounts } from '../types';
import { bucketDayKeyer, safeTimeZone } from '../report/tz';
import type { TokenCost } from './spend';

/**
 * Cache economics. Every USD figure prices the tokens with `cost(tokens, fact)`, the fact's own model and tier
 * (long-context premium included); a fact whose tokens have no price counts as unpriced and is left out of them.
 * - Hit ratio = cache reads / (uncached input + cache writes + cache reads): the share of input-side tokens
 *   served from cache.
 * - Write spend is split by TTL: 5-minute writes (1.25× input) and 1-hour writes (2× input).
 * - Savings = what the cache reads would have cost at the full input price − what they cost at the read price.
 *   `netSavedUsd` also subtracts the write premium (write price − input price, per written token).
 */
const isPriced = (v: number | null) => typeof v === 'number' && Number.isFinite(v);

/** Cost of `n` tokens of one kind on the fact's model; 0 when there are none, null when unpriced. */
function costOfPart(cost: TokenCost, f: Fact, kind: keyof Pick<TokenCounts, 'input' | 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h'>, n: number): number | null {
  if (n === 0) return 0;
  const t = zeroTokens();
  t[kind] = n;
  const v = cost(t, f);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export interface CacheDay {
  day: string;
  uncachedInput: number;
  cacheWrite: number;
  cacheRead: number;
  /** null when there were no input-side tokens */
  hitRatio: number | null;
}

/** Per local day, oldest first. */
export function cacheHitRatioByDay(facts: readonly Fact[], timeZone: string): CacheDay[] {
  const dayOf = bucketDayKeyer(safeTimeZone(timeZone));
  const by = new Map<string, CacheDay>();
  for (const f of facts) {
    const day = dayOf(f.bucketStartMs);
    let d = by.get(day);
    if (!d) {
      d = { day, uncachedInput: 0, cacheWrite: 0, cacheRead: 0, hitRatio: null };
      by.set(day, d);
    }
    d.uncachedInput += f.input;
    d.cacheWrite += f.cacheWrite5m + f.cacheWrite1h;
    d.cacheRead += f.cacheRead;
  }
  const out = [...by.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  for (const d of out) {
    const all = d.uncachedInput + d.cacheWrite + d.cacheRead;
    d.hitRatio = all > 0 ? d.cacheRead / all : null;
  }
  return out;
}

export interface CacheSummary {
  uncachedInput: number;
  write5mTokens: number;
  write5mUsd: number;
  write1hTokens: number;
  write1hUsd: number;
  readTokens: number;
  /** cache reads at the full input price */
  readsAtInputPriceUsd: number;
  /** cache reads at the read price */
  readsPaidUsd: number;
  savedUsd: number;
  /** (write price − input price) × written tokens */
  writePremiumUsd: number;
  netSavedUsd: number;
  hitRatio: number | null;
  /** cache tokens of facts without a price (left out of every USD figure) */
  unpricedTokens: number;
  /** at least one fact had a price (otherwise every USD figure is unknown, not $0) */
  anyPriced: boolean;
}

/**
 * One fact's cache figures priced (what `cacheSummary` adds up): `priced` false when some part has no price (then the
 * figures are 0); for a fact without cache tokens, whether its tokens have a price at all. A function of the fact and
 * the price function only, so a caller that prices the same facts again (the dashboard after a data change) can keep
 * them per fact.
 */
export interface CacheParts {
  priced: boolean;
  w5: number;
  w1: number;
  readFull: number;
  readPaid: number;
  w5Full: number;
  w1Full: number;
}

export function cacheParts(f: Fact, cost: TokenCost): CacheParts {
  if (f.cacheWrite5m + f.cacheWrite1h + f.cacheRead === 0) return { priced: isPriced(cost(f, f)), w5: 0, w1: 0, readFull: 0, readPaid: 0, w5Full: 0, w1Full: 0 };
  const w5 = costOfPart(cost, f, 'cacheWrite5m', f.cacheWrite5m);
  const w1 = costOfPart(cost, f, 'cacheWrite1h', f.cacheWrite1h);
  const readFull = costOfPart(cost, f, 'input', f.cacheRead);
  const readPaid = costOfPart(cost, f, 'cacheRead', f.cacheRead);
  const w5Full = costOfPart(cost, f, 'input', f.cacheWrite5m);
  const w1Full = costOfPart(cost, f, 'input', f.cacheWrite1h);
  if (w5 === null || w1 === null || readFull === null || readPaid === null || w5Full === null || w1Full === null) {
    return { priced: false, w5: 0, w1: 0, readFull: 0, readPaid: 0, w5Full: 0, w1Full: 0 };
  }
  return { priced: true, w5, w1, readFull, readPaid, w5Full, w1Full };
}

/** `partsOf`: `cacheParts(f, cost)`, or the same figures kept by the caller. */
export function cacheSummary(facts: readonly Fact[], cost: TokenCost, partsOf: (f: Fact) => CacheParts = (f) => cacheParts(f, cost)): CacheSummary {
  const s: CacheSummary = {
    uncachedInput: 0, write5mTokens: 0, write5mUsd: 0, write1hTokens: 0, write1hUsd: 0, readTokens: 0,
    readsAtInputPriceUsd: 0, readsPaidUsd: 0, savedUsd: 0, writePremiumUsd: 0, netSavedUsd: 0, hitRatio: null, unpricedTokens: 0,
    anyPriced: false,
  };
  for (const f of facts) {
    s.uncachedInput += f.input;
    s.write5mTokens += f.cacheWrite5m;
    s.write1hTokens += f.cacheWrite1h;
    s.readTokens += f.cacheRead;
    const p = partsOf(f);
    if (f.cacheWrite5m + f.cacheWrite1h + f.cacheRead === 0) {
      if (p.priced) s.anyPriced = true;
      continue;
    }
    if (!p.priced) {
      s.unpricedTokens += f.cacheWrite5m + f.cacheWrite1h + f.cacheRead;
      continue;
    }
    s.anyPriced = true;
    s.write5mUsd += p.w5;
    s.write1hUsd += p.w1;
    s.readsAtInputPriceUsd += p.readFull;
    s.readsPaidUsd += p.readPaid;
    s.writePremiumUsd += p.w5 - p.w5Full + (p.w1 - p.w1Full);
  }
  s.savedUsd = s.readsAtInputPriceUsd - s.readsPaidUsd;
  s.netSavedUsd = s.savedUsd - s.writePremiumUsd;
  const all = s.uncachedInput + s.write5mTokens + s.write1hTokens + s.readTokens;
  s.hitRatio = all > 0 ? s.readTokens / all : null;
  return s;
}

/**
 * Idle-gap cache re-writes (a heuristic). A 5-minute cache entry expires after 5 minutes without use, a 1-hour
 * one after an hour; the next request then writes the whole prompt prefix to the cache again. Per session, the
 * 15-minute buckets are ordered by time; when the idle gap between the last entry of one bucket and the first
 * entry of the next exceeds 5 minutes, that next bucket's 5-minute writes count as re-writes (its 1-hour writes
 * too when the gap exceeds 60 minutes), if they total at least `minWriteTokens`. The session's first bucket is
 * its initial write and never counts. Limits: gaps inside a bucket are invisible, and a bucket's writes may
 * include new context written after the re-write, so this is an upper-bound estimate.
 * `avoidableWith1h` counts events whose gap was ≤ 60 minutes: a 1-hour cache would have still been warm.
 */
export interface IdleRewriteSession {
  source: Source;
  session: string;
  project: string;
  events: number;
  tokens: number;
  costUsd: number;
  avoidableWith1h: number;
  avoidableWith1hUsd: number;
}

export interface IdleRewrites {
  sessions: IdleRewriteSession[];
  events: number;
  tokens: number;
  costUsd: number;
  avoidableWith1hUsd: number;
}

export interface IdleRewriteOptions {
  idleMs?: number;
  minWriteTokens?: number;
}

const IDLE_MS = 5 * 60_000;
const HOUR_MS = 60 * 60_000;
const MIN_WRITE_TOKENS = 10_000;

interface Bucket {
  startMs: number;
  firstMs: number;
  lastMs: number;
  facts: Fact[];
}

/** A session's buckets while `idleGapsBySession` reads its facts (`last`: the bucket of its last fact). */
interface SessionBuckets {
  source: Source;
  session: string;
  project: string;
  buckets: Map<number, Bucket>;
  last: Bucket | undefined;
}

/**
 * One idle re-write of a session: the bucket after an idle gap (its 15-minute start, the start of the bucket before it
 * in the session, the gap) and the bucket's facts whose cache writes count (every fact of the bucket, in the order
 * given; with a gap ≤ 60 minutes only their 5-minute writes count). Only events of at least `minWriteTokens`.
 */
export interface IdleGapEvent {
  bucketMs: number;
  prevBucketMs: number;
  gapMs: number;
  facts: readonly Fact[];
  /** 5-minute writes, plus the 1-hour writes when the gap exceeds 60 minutes */
  tokens: number;
}

/** A session's idle re-write events (`events` in bucket order); `ordered`: its buckets by first entry are in bucket order. */
export interface SessionIdleGaps {
  source: Source;
  session: string;
  project: string;
  events: IdleGapEvent[];
  ordered: boolean;
}

/**
 * The rule's events per session (before any price): per session, the 15-minute buckets with usage (facts without any
 * input-side or output token are left out) ordered by their first entry; a bucket after a gap > `idleMs` is an
 * event when its counted writes reach `minWriteTokens`. Sessions in the order their first fact comes in `facts`.
 */
export function idleGapsBySession(facts: readonly Fact[], opts: IdleRewriteOptions = {}): SessionIdleGaps[] {
  const idleMs = opts.idleMs ?? IDLE_MS;
  const minWrite = opts.minWriteTokens ?? MIN_WRITE_TOKENS;
  // per source, then session (no joined key per fact); `sessions` in the order of their first fact
  const bySource = new Map<Source, Map<string, SessionBuckets>>();
  const sessions: SessionBuckets[] = [];
  for (const f of facts) {
    if (f.cacheWrite5m + f.cacheWrite1h + f.cacheRead + f.input + f.output === 0) continue;
    let inSource = bySource.get(f.source);
    if (!inSource) {
      inSource = new Map();
      bySource.set(f.source, inSource);
    }
    let s = inSource.get(f.session);
    if (!s) {
      s = { source: f.source, session: f.session, project: f.project, buckets: new Map(), last: undefined };
      inSource.set(f.session, s);
      sessions.push(s);
    }
    // a session's facts mostly come bucket by bucket (facts in bucket order): the last bucket first
    let b = s.last !== undefined && s.last.startMs === f.bucketStartMs ? s.last : s.buckets.get(f.bucketStartMs);
    if (!b) {
      b = { startMs: f.bucketStartMs, firstMs: f.firstMs, lastMs: f.lastMs, facts: [] };
      s.buckets.set(f.bucketStartMs, b);
    }
    s.last = b;
    if (f.firstMs < b.firstMs) b.firstMs = f.firstMs;
    if (f.lastMs > b.lastMs) b.lastMs = f.lastMs;
    b.facts.push(f);
  }
  const out: SessionIdleGaps[] = [];
  for (const s of sessions) {
    const buckets = [...s.buckets.values()].sort((a, b) => a.firstMs - b.firstMs);
    const r: SessionIdleGaps = { source: s.source, session: s.session, project: s.project, events: [], ordered: true };
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i].startMs < buckets[i - 1].startMs) r.ordered = false;
      const gap = buckets[i].firstMs - buckets[i - 1].lastMs;
      if (gap <= idleMs) continue;
      let tokens = 0;
      for (const f of buckets[i].facts) tokens += f.cacheWrite5m + (gap > HOUR_MS ? f.cacheWrite1h : 0);
      if (tokens < minWrite) continue;
      r.events.push({ bucketMs: buckets[i].startMs, prevBucketMs: buckets[i - 1].startMs, gapMs: gap, facts: buckets[i].facts, tokens });
    }
    out.push(r);
  }
  return out;
}

/**
 * Prices the events of `idleGapsBySession` and sums them: per event its facts' 5-minute writes (and 1-hour writes
 * after a gap > 60 minutes), each fact priced on its own; sessions without an event are left out.
 */
export function priceIdleGaps(sessions: readonly Pick<SessionIdleGaps, 'source' | 'session' | 'project' | 'events'>[], cost: TokenCost): IdleRewrites {
  const out: IdleRewrites = { sessions: [], events: 0, tokens: 0, costUsd: 0, avoidableWith1hUsd: 0 };
  for (const s of sessions) {
    const r: IdleRewriteSession = { source: s.source, session: s.session, project: s.project, events: 0, tokens: 0, costUsd: 0, avoidableWith1h: 0, avoidableWith1hUsd: 0 };
    for (const e of s.events) {
      let usd = 0;
      for (const f of e.facts) {
        const w1 = e.gapMs > HOUR_MS ? f.cacheWrite1h : 0;
        usd += (costOfPart(cost, f, 'cacheWrite5m', f.cacheWrite5m) ?? 0) + (costOfPart(cost, f, 'cacheWrite1h', w1) ?? 0);
      }
      r.events++;
      r.tokens += e.tokens;
      r.costUsd += usd;
      if (e.gapMs <= HOUR_MS) {
        r.avoidableWith1h++;
        r.avoidableWith1hUsd += usd;
      }
    }
    if (r.events > 0) {
      out.sessions.push(r);
      out.events += r.events;
      out.tokens += r.tokens;
      out.costUsd += r.costUsd;
      out.avoidableWith1hUsd += r.avoidableWith1hUsd;
    }
  }
  out.sessions.sort((a, b) => b.costUsd - a.costUsd || b.tokens - a.tokens);
  return out;
}

export function idleRewrites(facts: readonly Fact[], cost: TokenCost, opts: IdleRewriteOptions = {}): IdleRewrites {
  return priceIdleGaps(idleGapsBySession(facts, opts), cost);
}
