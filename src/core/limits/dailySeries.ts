import type { Fact } from '../types';
import type { CostOf } from './spend';
import { addDays, bucketDayKeyer, parseDateKey, dateKey, safeTimeZone } from '../report/tz';

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

/** Every day key from `from` to `to` inclusive (empty when either is malformed or from > to). */
export function dayRange(from: string, to: string): string[] {
  const a = parseDateKey(from);
  const b = parseDateKey(to);
  if (!a || !b || from > to) return [];
  const out: string[] = [];
  for (let d = a, k = from; k <= to; d = addDays(d, 1), k = dateKey(d)) out.push(k);
  return out;
}
