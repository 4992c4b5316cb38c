import type { Fact } from '../types';
import { periodAt, previousPeriod, type PeriodKind, type PeriodOptions } from './periods';
import { spendInRange, type CostOf } from './spend';
import { offsetAt, safeTimeZone, zonedTimeToUtc } from '../report/tz';

/**
 * Today vs yesterday, this week vs last, this month vs last — over the same elapsed time: the current period up to
 * now against the previous period up to the same local wall-clock point (e.g. 1–10 March 14:30 against
 * 1–10 February 14:30), clamped to the previous period's end (31 March vs a 28-day February compares whole
 * February). Across DST the wall clock, not the absolute hours, is matched.
 * A 15-minute bucket counts when its first entry is before the cut. Change = (current − previous) / previous;
 * null when the previous period had no spend; `flat` when the change is under 1 %.
 */
export type Direction = 'up' | 'down' | 'flat';

export interface ComparedSpan {
  periodId: string;
  startMs: number;
  endMs: number;
  costUsd: number;
  unpricedTokens: number;
}

export interface PeriodComparison {
  kind: PeriodKind;
  current: ComparedSpan;
  previous: ComparedSpan;
  /** percent change, null when previous is 0 */
  changePct: number | null;
  direction: Direction;
}

/** Local wall-clock time of `ms` as if it were UTC (for wall-clock differences). */
function wallOf(ms: number, tz: string): number {
  return ms + offsetAt(ms, tz);
}

function instantOfWall(wall: number, tz: string): number {
  const d = new Date(wall);
  return zonedTimeToUtc({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, d.getUTCHours(), d.getUTCMinutes(), tz) + (wall % 60_000);
}

export function directionOf(changePct: number | null, current: number): Direction {
  if (changePct === null) return current > 0 ? 'up' : 'flat';
  if (Math.abs(changePct) < 1) return 'flat';
  return changePct > 0 ? 'up' : 'down';
}

export function comparePeriod(
  facts: readonly Fact[],
  costOf: CostOf,
  kind: PeriodKind,
  nowMs: number,
  opts: PeriodOptions,
): PeriodComparison {
  const tz = safeTimeZone(opts.timeZone);
  const cur = periodAt(kind, nowMs, opts);
  const prev = previousPeriod(cur, opts);
  const elapsedWall = wallOf(nowMs, tz) - wallOf(cur.startMs, tz);
  const prevCut = Math.min(prev.endMs, instantOfWall(wallOf(prev.startMs, tz) + elapsedWall, tz));
  const c = spendInRange(facts, costOf, cur.startMs, cur.endMs, (f) => f.firstMs < nowMs);
  const p = spendInRange(facts, costOf, prev.startMs, prev.endMs, (f) => f.firstMs < prevCut);
  const changePct = p.costUsd > 0 ? ((c.costUsd - p.costUsd) / p.costUsd) * 100 : null;
  return {
    kind,
    current: { periodId: cur.id, startMs: cur.startMs, endMs: nowMs, costUsd: c.costUsd, unpricedTokens: c.unpricedTokens },
    previous: { periodId: prev.id, startMs: prev.startMs, endMs: prevCut, costUsd: p.costUsd, unpricedTokens: p.unpricedTokens },
    changePct,
    direction: directionOf(changePct, c.costUsd),
  };
}

/** Day, week and month comparisons at `nowMs`. */
export function comparePeriods(facts: readonly Fact[], costOf: CostOf, nowMs: number, opts: PeriodOptions): PeriodComparison[] {
  return (['day', 'week', 'month'] as const).map((k) => comparePeriod(facts, costOf, k, nowMs, opts));
}
