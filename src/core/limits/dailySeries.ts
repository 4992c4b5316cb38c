import type { Fact } from '../types';
import type { CostOf } from './spend';
import { bucketDayKeyer, safeTimeZone } from '../report/tz';

/**
 * Cost per local day (`YYYY-MM-DD` in the user's zone) of the given facts. A fact's day is the local day of its
 * 15-minute bucket start (a bucket never straddles a local midnight). Unpriced facts add nothing.
 */
export function dailyCosts(facts: readonly Fact[], costOf: CostOf, timeZone: string): Map<string, number> {
  const dayOf = bucketDayKeyer(safeTimeZone(timeZone));
  const out = new Map<string, number>();
  for (const f of facts) {
    const c = costOf(f);
    if (c === null || !Number.isFinite(c)) continue;
    const k = dayOf(f.bucketStartMs);
    out.set(k, (out.get(k) ?? 0) + c);
  }
  return out;
}
