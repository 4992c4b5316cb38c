/**
 * The idle re-writes priced (core `priceIdleGaps`), kept per price table for the events the writer keeps across
 * snapshots (core store/keptIdleGaps.ts: the same array while none of its rows changed): an all-time snapshot with
 * nothing new, or one asked again, does not price ~20k event facts again. The figures are a function of the events
 * and the table alone, so they are those of a fresh pricing, to the last bit. Callers do not change what is returned.
 */
import { priceIdleGaps, type IdleRewrites, type SessionIdleGaps } from '../../core/limits/cacheEconomics';
import type { TokenCost } from '../../core/limits/spend';
import type { PriceTable } from '../../core/pricing/priceTable';

const kept = new WeakMap<PriceTable, WeakMap<readonly SessionIdleGaps[], IdleRewrites>>();

/** `priceIdleGaps(gaps, cost)`, kept per events array for `table` (`cost` must price with `table`). */
export function keptIdlePrices(table: PriceTable, cost: TokenCost): (gaps: readonly SessionIdleGaps[]) => IdleRewrites {
  let byGaps = kept.get(table);
  if (!byGaps) {
    byGaps = new WeakMap();
    kept.set(table, byGaps);
  }
  const memo = byGaps;
  return (gaps) => {
    let p = memo.get(gaps);
    if (!p) {
      p = priceIdleGaps(gaps, cost);
      memo.set(gaps, p);
    }
    return p;
  };
}
