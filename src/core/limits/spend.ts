import type { Fact, TokenCounts } from '../types';
import { totalTokens } from '../types';

/**
 * Cost of one fact in USD, or null when its model has no price (passed in by the caller, so the limits
 * modules do not depend on the pricing module's internals).
 */
export type CostOf = (fact: Fact) => number | null;

/**
 * Cost of some of a fact's tokens (priced with the fact's model and tier), or null when unpriced: what the core's
 * `costOf(tokens, model, tier, table)` gives when bound to a price table. Used where parts of a fact are priced
 * on their own (cache reads at the input price, cache writes by TTL).
 */
export type TokenCost = (tokens: TokenCounts, fact: Fact) => number | null;

/** Spend over some facts. Unpriced facts add no dollars; their tokens are reported so the UI can flag them. */
export interface Spend {
  costUsd: number;
  /** tokens of facts whose cost is unknown (never counted as $0 silently) */
  unpricedTokens: number;
  requests: number;
}

export function emptySpend(): Spend {
  return { costUsd: 0, unpricedTokens: 0, requests: 0 };
}

/** Adds one fact's cost to `into`. */
export function addFactSpend(into: Spend, fact: Fact, costOf: CostOf): Spend {
  const c = costOf(fact);
  if (c === null || !Number.isFinite(c)) into.unpricedTokens += totalTokens(fact);
  else into.costUsd += c;
  into.requests += fact.requests;
  return into;
}

/** Spend of facts whose bucket starts in [startMs, endMs) and that pass `filter`. */
export function spendInRange(
  facts: readonly Fact[],
  costOf: CostOf,
  startMs: number,
  endMs: number,
  filter?: (f: Fact) => boolean,
): Spend {
  const s = emptySpend();
  for (const f of facts) {
    if (f.bucketStartMs < startMs || f.bucketStartMs >= endMs) continue;
    if (filter && !filter(f)) continue;
    addFactSpend(s, f, costOf);
  }
  return s;
}
