import type { Fact, Source } from '../types';
import { bucketDayKeyer, safeTimeZone } from '../report/tz';

/**
 * Cache economics. Prices come from `priceOf(model)` in USD per million tokens (standard tier; the long-context
 * premium is not applied here, so these are close estimates for > 200k-token requests).
 * - Hit ratio = cache reads / (uncached input + cache writes + cache reads): the share of input-side tokens
 *   served from cache.
 * - Write spend is split by TTL: 5-minute writes (1.25× input) and 1-hour writes (2× input).
 * - Savings = what the cache reads would have cost at the full input price − what they cost at the read price.
 *   `netSavedUsd` also subtracts the write premium (write price − input price, per written token).
 */
export interface CachePrices {
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}
export type PriceOf = (model: string) => CachePrices | null;

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
    if (!d) by.set(day, (d = { day, uncachedInput: 0, cacheWrite: 0, cacheRead: 0, hitRatio: null }));
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
  /** cache tokens of models without a price (left out of every USD figure) */
  unpricedTokens: number;
}

export function cacheSummary(facts: readonly Fact[], priceOf: PriceOf): CacheSummary {
  const s: CacheSummary = {
    uncachedInput: 0, write5mTokens: 0, write5mUsd: 0, write1hTokens: 0, write1hUsd: 0, readTokens: 0,
    readsAtInputPriceUsd: 0, readsPaidUsd: 0, savedUsd: 0, writePremiumUsd: 0, netSavedUsd: 0, hitRatio: null, unpricedTokens: 0,
  };
  const memo = new Map<string, CachePrices | null>();
  for (const f of facts) {
    s.uncachedInput += f.input;
    s.write5mTokens += f.cacheWrite5m;
    s.write1hTokens += f.cacheWrite1h;
    s.readTokens += f.cacheRead;
    let p = memo.get(f.model);
    if (p === undefined) memo.set(f.model, (p = priceOf(f.model)));
    if (!p) {
      s.unpricedTokens += f.cacheWrite5m + f.cacheWrite1h + f.cacheRead;
      continue;
    }
    s.write5mUsd += (f.cacheWrite5m * p.cacheWrite5m) / 1e6;
    s.write1hUsd += (f.cacheWrite1h * p.cacheWrite1h) / 1e6;
    s.readsAtInputPriceUsd += (f.cacheRead * p.input) / 1e6;
    s.readsPaidUsd += (f.cacheRead * p.cacheRead) / 1e6;
    s.writePremiumUsd += (f.cacheWrite5m * (p.cacheWrite5m - p.input) + f.cacheWrite1h * (p.cacheWrite1h - p.input)) / 1e6;
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

interface Bucket {
  firstMs: number;
  lastMs: number;
  facts: Fact[];
}

export function idleRewrites(facts: readonly Fact[], priceOf: PriceOf, opts: IdleRewriteOptions = {}): IdleRewrites {
  const idleMs = opts.idleMs ?? 5 * 60_000;
  const hourMs = 60 * 60_000;
  const minWrite = opts.minWriteTokens ?? 10_000;
  const sessions = new Map<string, { source: Source; session: string; project: string; buckets: Map<number, Bucket> }>();
  for (const f of facts) {
    if (f.cacheWrite5m + f.cacheWrite1h + f.cacheRead + f.input + f.output === 0) continue;
    const key = `${f.source}\u0000${f.session}`;
    let s = sessions.get(key);
    if (!s) sessions.set(key, (s = { source: f.source, session: f.session, project: f.project, buckets: new Map() }));
    let b = s.buckets.get(f.bucketStartMs);
    if (!b) s.buckets.set(f.bucketStartMs, (b = { firstMs: f.firstMs, lastMs: f.lastMs, facts: [] }));
    b.firstMs = Math.min(b.firstMs, f.firstMs);
    b.lastMs = Math.max(b.lastMs, f.lastMs);
    b.facts.push(f);
  }
  const out: IdleRewrites = { sessions: [], events: 0, tokens: 0, costUsd: 0, avoidableWith1hUsd: 0 };
  for (const s of sessions.values()) {
    const buckets = [...s.buckets.values()].sort((a, b) => a.firstMs - b.firstMs);
    const r: IdleRewriteSession = { source: s.source, session: s.session, project: s.project, events: 0, tokens: 0, costUsd: 0, avoidableWith1h: 0, avoidableWith1hUsd: 0 };
    for (let i = 1; i < buckets.length; i++) {
      const gap = buckets[i].firstMs - buckets[i - 1].lastMs;
      if (gap <= idleMs) continue;
      let tokens = 0;
      let usd = 0;
      for (const f of buckets[i].facts) {
        const w = f.cacheWrite5m + (gap > hourMs ? f.cacheWrite1h : 0);
        const p = priceOf(f.model);
        tokens += w;
        if (p) usd += (f.cacheWrite5m * p.cacheWrite5m + (gap > hourMs ? f.cacheWrite1h * p.cacheWrite1h : 0)) / 1e6;
      }
      if (tokens < minWrite) continue;
      r.events++;
      r.tokens += tokens;
      r.costUsd += usd;
      if (gap <= hourMs) {
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
