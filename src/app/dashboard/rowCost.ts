/**
 * The core's rules (comparisons, budgets, anomalies) take facts and a price function; the dashboard has each fact's
 * cost in its `Row` already. `rowsCost` answers a fact's cost from its row without a map over every fact: the rules
 * walk the facts in order (a fold, or one pass per period over a sorted list), so the next row is almost always the
 * one asked for; otherwise the row is found by its bucket start when the rows are in bucket order, else by a map
 * built on first need. The same numbers as a `Map<Fact, cost>` over the rows, read in far less time.
 */
import type { CostOf } from '../../core/limits/spend';
import type { Fact } from '../../core/types';
import type { Row } from './enrich';

export interface RowsCost {
  /** the rows' facts, in the rows' order */
  facts: Fact[];
  /** the cost of one of `facts` (its row's), null for a fact not among them or unpriced */
  cost: CostOf;
}

export function rowsCost(rows: readonly Pick<Row, 'f' | 'cost'>[]): RowsCost {
  const n = rows.length;
  const facts: Fact[] = new Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    facts[i] = rows[i].f;
    if (i > 0 && facts[i].bucketStartMs < facts[i - 1].bucketStartMs) sorted = false;
  }
  let next = 0;
  let byFact: Map<Fact, number> | undefined;
  const find = (f: Fact): number => {
    if (sorted) {
      // the first row of the fact's bucket start, then along the rows of that bucket
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (facts[mid].bucketStartMs < f.bucketStartMs) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < n && facts[i].bucketStartMs === f.bucketStartMs; i++) if (facts[i] === f) return i;
      return -1;
    }
    if (!byFact) {
      byFact = new Map();
      for (let i = n - 1; i >= 0; i--) byFact.set(facts[i], i);
    }
    return byFact.get(f) ?? -1;
  };
  const cost = (f: Fact): number | null => {
    const i = next < n && facts[next] === f ? next : find(f);
    if (i < 0) return null;
    next = i + 1;
    return rows[i].cost;
  };
  return { facts, cost };
}
