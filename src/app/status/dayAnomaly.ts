/**
 * Today's unusual-spend check for the status summary (the anomaly alert, issue 17 §3), by the dashboard's rule
 * (core `anomalousDays`: above the trailing 30 days' mean + 2σ, at least 7 of them with spend, never reaching back
 * before the first day with usage). The 30 days before today change only when late usage lands in them, so their
 * costs are read once (`loadAnomalyBaseline`: the day-grouped facts from the hourly aggregates where they are exact)
 * and kept by the engine for a while, with today's bound worked out from them once; each summary then compares
 * today's running cost, which it already has, with that bound.
 */
import type { Database } from 'sql.js';
import { costOf } from '../../core/pricing/costOf';
import type { PriceTable } from '../../core/pricing/priceTable';
import { hourSpan } from '../../core/query/aggregates';
import { loadReportFacts } from '../../core/query/reportFacts';
import { anomalousDays, type DayAnomaly } from '../../core/limits/anomalies';
import { dailyCosts } from '../../core/limits/dailySeries';
import { addDaysToKey, zoneCalendar } from '../../core/report/tz';

const WINDOW_DAYS = 30;

export interface AnomalyBaseline {
  /** the local day the baseline is for (today when read) */
  day: string;
  timeZone: string;
  table: PriceTable;
  /** the window's first day when there is usage before it (those days count as $0 like any day without spend); else none */
  firstDay?: string;
  /** today's bound by the rule (mean + 2σ of the window); null when the window has too few days with spend to judge */
  bound: Omit<DayAnomaly, 'day' | 'costUsd'> | null;
}

export function loadAnomalyBaseline(db: Database, nowMs: number, timeZone: string, table: PriceTable): AnomalyBaseline {
  const cal = zoneCalendar(timeZone);
  const day = cal.dayKey(nowMs);
  const first = addDaysToKey(day, -WINDOW_DAYS);
  const range = cal.dayRange(first, addDaysToKey(day, -1));
  const { facts } = loadReportFacts(db, { by: 'day', timeZone, sinceMs: range.sinceMs, untilMs: range.untilMs });
  const daily = dailyCosts(facts, (f) => costOf(f, f.model, f.tier, table), timeZone);
  const firstDay = hourSpan(db, undefined, range.sinceMs) !== null ? first : undefined;
  // the rule itself, with a cost for today above any bound: it reports today with the bound its window gives
  daily.set(day, Number.MAX_VALUE);
  const today = anomalousDays(daily, firstDay ? { firstDay } : {}).find((d) => d.day === day);
  const bound = today ? { mean: today.mean, stdDev: today.stdDev, threshold: today.threshold, baselineDays: today.baselineDays } : null;
  return { day, timeZone, table, ...(firstDay ? { firstDay } : {}), bound };
}

/** Today (the baseline's day) judged with its running cost; null when it is not unusual (or cannot be judged). */
export function todayAnomaly(b: AnomalyBaseline, todayCostUsd: number): DayAnomaly | null {
  if (!b.bound || !(todayCostUsd > b.bound.threshold)) return null;
  return { day: b.day, costUsd: todayCostUsd, ...b.bound };
}
