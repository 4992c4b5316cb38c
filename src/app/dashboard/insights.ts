/**
 * Issue 4 views for the dashboard: comparisons, budget bars, anomalies, cache economics, peak hours. Every rule
 * is the core's (src/core/limits/*: the same code the status bar and notifications use); this file only turns
 * its results into the protocol's shapes. Costs are the priced part; unpriced tokens never count as $0 spend in
 * a comparison — they are simply absent from it.
 */
import { anomalousDays, unusualSessionsOf, type SessionSums } from '../../core/limits/anomalies';
import { budgetStatuses } from '../../core/limits/budgets';
import { cacheHitRatioByDay, cacheParts, cacheSummary, idleGapsBySession, priceIdleGaps, type CacheParts, type IdleRewrites, type SessionIdleGaps } from '../../core/limits/cacheEconomics';
import { comparePeriods } from '../../core/limits/comparisons';
import { dailyCosts } from '../../core/limits/dailySeries';
import { cacheHints } from '../../core/limits/hints';
import { describePeakHours } from '../../core/limits/peakHours';
import type { CostOf, TokenCost } from '../../core/limits/spend';
import type { Fact } from '../../core/types';
import type { SessionGroup } from './tables';
import type { Anomaly, BudgetBar, CacheEconomics, Comparison, Heatmap } from '../../shared/protocol';
import type { Labeler, Row } from './enrich';
import { rowsCost } from './rowCost';
import { englishTranslator, type MessageKey, type Translator } from '../i18n/translator';
import { en } from '../../shared/i18n/messages.en';

/** The budgets the dashboard shows (the settings' budgets in USD, with the billing cycle's first day). */
export interface SnapshotBudgets {
  dailyUsd: number | null;
  weeklyUsd: number | null;
  monthlyUsd: number | null;
  projectsMonthlyUsd: Record<string, number>;
  billingCycleStartDay: number;
}

/**
 * Today vs yesterday, this week vs last, this (calendar) month vs last: core `comparePeriods`, the previous period
 * cut at the same local wall-clock point, a bucket counting when its first entry is before the cut.
 */
export function comparisons(facts: readonly Fact[], cost: CostOf, nowMs: number, timeZone: string, weekStart: number): Comparison[] {
  return comparePeriods(facts, cost, nowMs, { timeZone, weekStart, billingCycleStartDay: 1 }).map((c) => ({
    id: c.kind, currentUSD: c.current.costUsd, previousUSD: c.previous.costUsd,
    changeRatio: c.previous.costUsd > 0 ? (c.current.costUsd - c.previous.costUsd) / c.previous.costUsd : null,
    direction: c.direction,
  }));
}

const BUDGET_LABEL: Record<string, MessageKey> = { daily: 'budget.daily', weekly: 'budget.weekly', monthly: 'budget.monthly' };

/**
 * Budget progress: today, this week, this billing month and each per-project monthly budget — core
 * `budgetStatuses`, the numbers the notifications and the status bar use (same periods, same project matching
 * against the project's display path).
 */
export function budgetBars(
  facts: readonly Fact[], cost: CostOf, b: SnapshotBudgets, timeZone: string, weekStart: number, nowMs: number,
  displayPathOf: (project: string) => string | undefined,
  t: Translator = englishTranslator,
): BudgetBar[] {
  const settings = { dailyUsd: b.dailyUsd, weeklyUsd: b.weeklyUsd, monthlyUsd: b.monthlyUsd, projectsMonthlyUsd: b.projectsMonthlyUsd };
  return budgetStatuses(facts, cost, settings, { timeZone, weekStart, billingCycleStartDay: b.billingCycleStartDay }, nowMs, displayPathOf)
    .map((st) => ({ id: st.budgetId, label: st.project ?? (BUDGET_LABEL[st.budgetId] ? t(BUDGET_LABEL[st.budgetId]) : st.budgetId), spentUSD: st.spentUsd, limitUSD: st.limitUsd, ratio: st.fraction }));
}

/**
 * Anomalies from the limits engine (src/core/limits/anomalies.ts): days in range whose cost exceeds the trailing
 * 30-day mean + 2σ, and sessions in range whose cost per request exceeds the mean + 2σ of the range's sessions.
 * Daily costs (core `dailyCosts`) are taken in the configured zone from all filtered facts (the baseline reaches
 * before the range). `firstSpendDay`: the first day with spend when `filtered` holds only the recent facts.
 */
export function anomalies(
  filtered: readonly Row[], sessions: readonly SessionGroup[], timeZone: string, from: string, to: string, label: Labeler, firstSpendDay?: string,
): Anomaly[] {
  const out: Anomaly[] = [];
  const days = rowsCost(filtered);
  for (const d of anomalousDays(dailyCosts(days.facts, days.cost, timeZone), { firstDay: firstSpendDay })) {
    if (d.day < from || d.day > to) continue;
    out.push({ kind: 'day', key: d.day, label: d.day, costUSD: d.costUsd, thresholdUSD: d.threshold });
  }
  // the sessions as the rule sums them from their rows: its rows' costs summed in their order
  const perSession = sessions.map((s): SessionSums => ({
    source: s.source, session: s.session, project: s.project, cost: s.unpriced ? 0 : s.sum.costUSD, requests: s.sum.requests,
    unpriced: s.unpriced, firstMs: s.start, lastMs: s.end,
  }));
  for (const s of unusualSessionsOf(perSession).slice(0, 10)) {
    out.push({ kind: 'session', key: s.session, source: s.source, label: label(s.project, s.source), costUSD: s.costPerRequest, thresholdUSD: s.threshold });
  }
  return out.sort((a, b) => (a.kind === b.kind ? (a.kind === 'day' ? b.key.localeCompare(a.key) : 0) : a.kind === 'day' ? -1 : 1));
}

/**
 * Cache economics over the range (core `cacheSummary`, `idleRewrites`, `cacheHints`, `cacheHitRatioByDay`): what
 * cache reads saved versus paying the full input price, spend on 5-minute vs 1-hour cache writes, the daily hit
 * ratio aligned with `days`, and the hints. USD figures are null when nothing in the range has a price.
 * `idleGaps`: the range's idle re-write events per session (core `idleGapsBySession` of its 15-minute facts, or the
 * same events as the index keeps them, store/idleGaps.ts), when `facts` are coarser (the hourly aggregates, summed
 * without the session). `partsOf`: each fact's cache figures priced (core `cacheParts`), or the same kept by the caller.
 */
export function cacheEconomics(
  facts: readonly Fact[], days: string[], cost: TokenCost, timeZone: string, idleGaps: readonly SessionIdleGaps[] = idleGapsBySession(facts),
  t: Translator = englishTranslator, partsOf: (f: Fact) => CacheParts = (f) => cacheParts(f, cost),
  idlePrices: (gaps: readonly SessionIdleGaps[]) => IdleRewrites = (gaps) => priceIdleGaps(gaps, cost),
): CacheEconomics {
  const summary = cacheSummary(facts, cost, partsOf);
  const byDay = new Map(cacheHitRatioByDay(facts, timeZone).map((d) => [d.day, d.hitRatio]));
  const priced = summary.anyPriced;
  return {
    savedUSD: priced ? summary.savedUsd : null, write5mUSD: priced ? summary.write5mUsd : null, write1hUSD: priced ? summary.write1hUsd : null,
    dailyHitRatio: days.map((d) => byDay.get(d) ?? null),
    hints: cacheHints(summary, idlePrices(idleGaps)).map((h) => (h.message && h.message.key in en ? t(h.message.key as MessageKey, h.message.args) : h.text)),
  };
}

/**
 * Names the peak hours in words (core `describePeakHours`) from the heatmap: spend, or tokens when nothing is
 * priced. Null when there is no data.
 */
export function peakSentence(h: Heatmap, t: Translator = englishTranslator): string | null {
  const priced = h.maxCostUSD > 0;
  const grid = priced ? h.costUSD : h.tokens;
  const bySunday = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  grid.forEach((row, i) => { bySunday[h.weekdays[i]] = row; });
  const what = priced ? 'spend' : 'usage';
  const p = describePeakHours(bySunday, what);
  if (!p) return null;
  // the core's sentence, through the string tables (in English the same words)
  if (p.hours >= 12) return t(`peak.spread.${what}`);
  const hh = (x: number) => `${String(x % 24).padStart(2, '0')}:00`;
  const days = p.days === 'weekdays' ? '.weekdays' : p.days === 'weekends' ? '.weekends' : '';
  return t(`peak.${what}${days}` as MessageKey, { from: hh(p.startHour), to: hh(p.startHour + p.hours), pct: Math.round(p.share * 100) });
}
