/**
 * The dashboard's estimated days (Claude Code's stats cache: core query/estimatedDays.ts): per day in the snapshot's
 * range the estimated cost and tokens, shown hatched beside the exact figures and never added to them; Claude Code's
 * own daily activity (messages, sessions, tool calls). Pure; the numbers come from the core's estimate.
 */
import { costOf } from '../../core/pricing/costOf';
import type { PriceTable } from '../../core/pricing/priceTable';
import type { EstimatedDays } from '../../core/query/estimatedDays';
import { addDaysToKey } from '../../core/report/tz';
import type { DashboardFilters, DashboardSnapshot, EstimatesView } from '../../shared/protocol';

/**
 * The estimates of the snapshot's range (and model filter), or undefined when there are none to show. A range open at
 * its start (All, a custom range without a first day) reaches back to the first estimated day: the daily chart's days
 * are extended to it (zero exact cost on those days).
 */
export function estimatesView(est: EstimatedDays, snapshot: DashboardSnapshot, filters: DashboardFilters, table: PriceTable): EstimatesView | undefined {
  if (filters.project !== null || (filters.source !== 'all' && filters.source !== 'claude')) return undefined;
  const openStart = filters.range === 'all' || (filters.range === 'custom' && !filters.sinceDay);
  const to = snapshot.rangeToDay;
  const from = openStart ? null : snapshot.rangeFromDay;
  const inRange = (day: string) => (from === null || day >= from) && (to === null || day <= to);
  const byDay = new Map<string, { costUSD: number | null; tokens: number }>();
  for (const d of est.days) {
    if (!inRange(d.date) || (filters.model !== null && d.model !== filters.model)) continue;
    const tokens = { input: d.input, output: d.output, cacheWrite5m: d.cacheCreation, cacheWrite1h: 0, cacheRead: d.cacheRead, reasoning: 0, webSearch: 0, requests: 0 };
    const cost = costOf(tokens, d.model, 'standard', table);
    const into = byDay.get(d.date) ?? { costUSD: 0, tokens: 0 };
    into.costUSD = into.costUSD === null || cost === null ? null : into.costUSD + cost;
    into.tokens += d.input + d.output + d.cacheRead + d.cacheCreation;
    byDay.set(d.date, into);
  }
  const activity = est.activity.filter((a) => inRange(a.date)).map((a) => ({ day: a.date, messages: a.messageCount, sessions: a.sessionCount, toolCalls: a.toolCallCount, coveredByLogs: a.coveredByLogs }));
  if (byDay.size === 0 && activity.length === 0) return undefined;
  const days = [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, v]) => ({ day, ...v }));
  if (openStart && days.length) extendDaily(snapshot, days[0].day);
  const costUSD = days.some((d) => d.costUSD === null) ? null : days.reduce((n, d) => n + (d.costUSD ?? 0), 0);
  return { days, costUSD, tokens: days.reduce((n, d) => n + d.tokens, 0), activity, notes: est.notes };
}

/** Extends the daily chart back to `first` (days without exact usage: zero in every series). */
function extendDaily(s: DashboardSnapshot, first: string): void {
  const labels = s.daily.labels;
  if (labels.length && labels[0] <= first) return;
  const end = labels.length ? labels[0] : addDaysToKey(first, 1);
  const added: string[] = [];
  for (let d = first; d < end; d = addDaysToKey(d, 1)) added.push(d);
  s.daily.labels = [...added, ...labels];
  for (const ser of s.daily.series) ser.values = [...added.map(() => 0), ...ser.values];
  if (!s.rangeFromDay || first < s.rangeFromDay) s.rangeFromDay = first;
}
