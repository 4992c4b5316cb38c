/**
 * The cache figures of each fact priced (core `cacheParts`), kept per price table for the facts the writer keeps
 * across data changes (the hourly facts, core keptHours.ts; the recent 15-minute facts, keptFacts.ts: an unchanged
 * fact stays the same object): a snapshot after a change prices the cache parts of the new facts only, not six parts
 * of every hourly row of the range again. The figures are a function of the fact and the table alone, so the sums
 * are those of a fresh pricing, to the last bit (same values, same order).
 */
import { cacheParts, type CacheParts } from '../../core/limits/cacheEconomics';
import type { TokenCost } from '../../core/limits/spend';
import type { PriceTable } from '../../core/pricing/priceTable';
import type { Fact } from '../../core/types';

const kept = new WeakMap<PriceTable, WeakMap<Fact, CacheParts>>();

/** `cacheParts(f, cost)`, kept per fact for `table` (`cost` must price with `table`). */
export function keptCacheParts(table: PriceTable, cost: TokenCost): (f: Fact) => CacheParts {
  let byFact = kept.get(table);
  if (!byFact) {
    byFact = new WeakMap();
    kept.set(table, byFact);
  }
  const memo = byFact;
  return (f) => {
    let p = memo.get(f);
    if (!p) {
      p = cacheParts(f, cost);
      memo.set(f, p);
    }
    return p;
  };
}
