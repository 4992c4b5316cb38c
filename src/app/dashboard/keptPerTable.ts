import type { TokenCost } from '../../core/limits/spend';
import type { PriceTable } from '../../core/pricing/priceTable';

/**
 * A pricing of objects the index worker keeps across snapshots (an unchanged one stays the same object), memoised
 * per price table and per object: `compute(x, cost)` runs once per (table, x). The result is a function of the
 * object and the table alone, so it is that of a fresh pricing, to the last bit. Callers do not change what is
 * returned.
 */
export function keptPerTable<K extends object, V>(compute: (x: K, cost: TokenCost) => V): (table: PriceTable, cost: TokenCost) => (x: K) => V {
  const kept = new WeakMap<PriceTable, WeakMap<K, V>>();
  return (table, cost) => {
    let memo = kept.get(table);
    if (!memo) {
      memo = new WeakMap();
      kept.set(table, memo);
    }
    const byObject = memo;
    return (x) => {
      let v = byObject.get(x);
      if (v === undefined) {
        v = compute(x, cost);
        byObject.set(x, v);
      }
      return v;
    };
  };
}
