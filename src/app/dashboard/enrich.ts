import type { Fact, Source, TokenCounts } from '../../core/types';
import { totalTokens } from '../../core/types';
import type { ClockParts } from '../../core/report/tz';
import type { TokenCost } from '../../core/limits/spend';

/**
 * Prices a fact's tokens: USD, or null when its model has no price (unpriced: counted, cost unknown, never $0).
 * The host passes the core's `costOf(tokens, model, tier, table)` bound to the current price table.
 */
export type FactCost = TokenCost;

/** Display label of a project key (its display path when known). */
export type Labeler = (project: string, source: Source) => string;

/** A fact with what every view needs computed once: its local time parts, cost and total tokens. */
export interface Row {
  f: Fact;
  at: ClockParts;
  cost: number | null;
  tokens: number;
}

export function enrich(facts: readonly Fact[], clock: (ms: number) => ClockParts, cost: FactCost): Row[] {
  const out: Row[] = new Array(facts.length);
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i];
    out[i] = { f, at: clock(f.bucketStartMs), cost: safeCost(cost, f, f), tokens: totalTokens(f) };
  }
  return out;
}

/** A price function that throws is treated as "unpriced", never as a crash. */
export function safeCost(cost: FactCost, tokens: TokenCounts, f: Fact): number | null {
  try {
    const v = cost(tokens, f);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/** Sums of a group of rows. `costUSD` is the priced part; `unpricedTokens` are tokens of rows without a price. */
export interface Sum extends Omit<TokenCounts, 'webSearch'> {
  costUSD: number;
  unpricedTokens: number;
  tokens: number;
}

export function zeroSum(): Sum {
  return { costUSD: 0, unpricedTokens: 0, tokens: 0, requests: 0, input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0 };
}

export function addRow(s: Sum, r: Row): Sum {
  if (r.cost === null) s.unpricedTokens += r.tokens;
  else s.costUSD += r.cost;
  s.tokens += r.tokens;
  s.requests += r.f.requests;
  s.input += r.f.input;
  s.output += r.f.output;
  s.cacheWrite5m += r.f.cacheWrite5m;
  s.cacheWrite1h += r.f.cacheWrite1h;
  s.cacheRead += r.f.cacheRead;
  s.reasoning += r.f.reasoning;
  return s;
}

/** Cache hit ratio = cacheRead / (input + cacheRead + cache writes); null when there was no input at all. */
export function cacheHitRatio(s: Sum): number | null {
  const denom = s.input + s.cacheRead + s.cacheWrite5m + s.cacheWrite1h;
  return denom > 0 ? s.cacheRead / denom : null;
}

/** Cost of a sum for tables: null when any part is unpriced (the row is flagged "n/a"). */
export function costOrNull(s: Sum): number | null {
  return s.unpricedTokens > 0 ? null : s.costUSD;
}
