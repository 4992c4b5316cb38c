/**
 * Issue 4 views computed for the dashboard: comparisons, budget bars, anomalies, cache economics, peak hours.
 * Pure functions over enriched facts (see enrich.ts). Costs are the priced part; unpriced tokens never count as $0
 * spend in a comparison — they are simply absent from it.
 */
import { anomalousDays, unusualSessions } from '../../core/limits/anomalies';
import { projectMatches } from '../../core/limits/budgets';
import { zeroTokens, type Fact } from '../../core/types';
import type { Anomaly, BudgetBar, CacheEconomics, Comparison, Heatmap } from '../../shared/protocol';
import { safeCost, type FactCost, type Labeler, type Row } from './enrich';
import { addDaysToKey, cycleStartDay, daysBetween, weekStartDay, type ClockParts } from '../../core/report/tz';
import type { SnapshotBudgets } from './snapshot';

const minuteOfDay = (p: { hour: number; minute: number }) => p.hour * 60 + p.minute;
const costOf = (r: Row) => r.cost ?? 0;

/**
 * Today vs yesterday, this week vs last, this month vs last — the previous period cut at the same elapsed time
 * (same time of day, same day of week / day of month), so a morning is never compared with a whole day.
 */
export function comparisons(rows: Row[], now: ClockParts, weekStart: number): Comparison[] {
  const today = now.day;
  const nowMin = minuteOfDay(now);
  const yesterday = addDaysToKey(today, -1);
  const weekStartToday = weekStartDay(today, weekStart);
  const weekIdx = daysBetween(weekStartToday, today);
  const prevWeekStart = addDaysToKey(weekStartToday, -7);
  const monthStart = today.slice(0, 8) + '01';
  const prevMonthStart = addDaysToKey(monthStart, -1).slice(0, 8) + '01';
  const dom = Number(today.slice(8, 10));
  const c = { day: [0, 0], week: [0, 0], month: [0, 0] };
  for (const r of rows) {
    const d = r.at.day;
    const early = minuteOfDay(r.at) <= nowMin;
    const v = costOf(r);
    if (d === today) c.day[0] += v;
    else if (d === yesterday && early) c.day[1] += v;
    if (d >= weekStartToday && d <= today) c.week[0] += v;
    else if (d >= prevWeekStart && d < weekStartToday) {
      const i = daysBetween(prevWeekStart, d);
      if (i < weekIdx || (i === weekIdx && early)) c.week[1] += v;
    }
    if (d >= monthStart && d <= today) c.month[0] += v;
    else if (d >= prevMonthStart && d < monthStart) {
      const i = Number(d.slice(8, 10));
      if (i < dom || (i === dom && early)) c.month[1] += v;
    }
  }
  return (['day', 'week', 'month'] as const).map((id) => ({
    id, currentUSD: c[id][0], previousUSD: c[id][1], changeRatio: c[id][1] > 0 ? (c[id][0] - c[id][1]) / c[id][1] : null,
  }));
}

/**
 * Budget progress: today, this week (from the week start), this billing month (from the cycle start day), and
 * each per-project monthly budget (matched as the notifications match it, core `projectMatches`).
 */
export function budgetBars(rows: Row[], today: string, weekStart: number, b: SnapshotBudgets, label: Labeler): BudgetBar[] {
  const week = weekStartDay(today, weekStart);
  const cycle = cycleStartDay(today, b.billingCycleStartDay);
  let day = 0, wk = 0, mon = 0;
  const perProject = new Map<string, number>();
  for (const r of rows) {
    const d = r.at.day;
    if (d > today) continue;
    const v = costOf(r);
    if (d === today) day += v;
    if (d >= week) wk += v;
    if (d >= cycle) {
      mon += v;
      perProject.set(r.f.project, (perProject.get(r.f.project) ?? 0) + v);
    }
  }
  const bars: BudgetBar[] = [];
  const push = (id: string, lbl: string, spent: number, limit: number | null) => {
    if (limit !== null && limit > 0) bars.push({ id, label: lbl, spentUSD: spent, limitUSD: limit, ratio: spent / limit });
  };
  push('daily', 'Today', day, b.dailyUsd);
  push('weekly', 'This week', wk, b.weeklyUsd);
  push('monthly', 'This month', mon, b.monthlyUsd);
  const projects = new Map<string, string>();
  for (const r of rows) if (!projects.has(r.f.project)) projects.set(r.f.project, label(r.f.project, r.f.source));
  for (const [name, limit] of Object.entries(b.projectsMonthlyUsd ?? {})) {
    let spent = 0;
    // the same matching as the notifications (core `projectMatches`): key, display path, its last folder, `~/…`
    for (const [key, lbl] of projects) if (projectMatches(name, key, lbl)) spent += perProject.get(key) ?? 0;
    push('project:' + name, name, spent, typeof limit === 'number' ? limit : null);
  }
  return bars;
}

/**
 * Anomalies from the limits engine (src/core/limits/anomalies.ts): days in range whose cost exceeds the trailing
 * 30-day mean + 2σ, and sessions in range whose cost per request exceeds the mean + 2σ of the range's sessions.
 * Daily costs are taken in the configured zone from all filtered facts (the baseline reaches before the range).
 */
export function anomalies(filtered: Row[], inRange: Row[], from: string, to: string, label: Labeler): Anomaly[] {
  const out: Anomaly[] = [];
  const byDay = new Map<string, number>();
  for (const r of filtered) byDay.set(r.at.day, (byDay.get(r.at.day) ?? 0) + costOf(r));
  for (const d of anomalousDays(byDay)) {
    if (d.day < from || d.day > to) continue;
    out.push({ kind: 'day', key: d.day, label: d.day, costUSD: d.costUsd, thresholdUSD: d.threshold });
  }
  const costs = new Map<Fact, number | null>(inRange.map((r) => [r.f, r.cost]));
  for (const s of unusualSessions(inRange.map((r) => r.f), (f) => costs.get(f) ?? null).slice(0, 10)) {
    out.push({ kind: 'session', key: s.session, source: s.source, label: label(s.project, s.source), costUSD: s.costPerRequest, thresholdUSD: s.threshold });
  }
  return out.sort((a, b) => (a.kind === b.kind ? (a.kind === 'day' ? b.key.localeCompare(a.key) : 0) : a.kind === 'day' ? -1 : 1));
}

const IDLE_MS = 5 * 60 * 1000;

/**
 * Cache economics over the range: what cache reads saved versus paying the full input price for the same tokens,
 * spend on 5-minute vs 1-hour cache writes (1h writes cost 2x input, 5m 1.25x), daily hit ratio, and hints.
 * Idle re-writes: within a session, a 15-minute bucket that starts more than 5 minutes after the previous entry
 * and writes cache (the 5-minute cache had expired, so the context was written again).
 */
export function cacheEconomics(rows: Row[], days: string[], cost: FactCost): CacheEconomics {
  let saved = 0, w5 = 0, w1 = 0, anyPriced = false;
  const dayIdx = new Map(days.map((d, i) => [d, i]));
  const num = new Array<number>(days.length).fill(0);
  const den = new Array<number>(days.length).fill(0);
  for (const r of rows) {
    const f = r.f;
    const i = dayIdx.get(r.at.day);
    if (i !== undefined) {
      num[i] += f.cacheRead;
      den[i] += f.input + f.cacheRead + f.cacheWrite5m + f.cacheWrite1h;
    }
    if (r.cost === null) continue;
    anyPriced = true;
    if (f.cacheRead > 0) {
      const full = safeCost(cost, { ...zeroTokens(), input: f.cacheRead }, f);
      const read = safeCost(cost, { ...zeroTokens(), cacheRead: f.cacheRead }, f);
      if (full !== null && read !== null) saved += full - read;
    }
    if (f.cacheWrite5m > 0) w5 += safeCost(cost, { ...zeroTokens(), cacheWrite5m: f.cacheWrite5m }, f) ?? 0;
    if (f.cacheWrite1h > 0) w1 += safeCost(cost, { ...zeroTokens(), cacheWrite1h: f.cacheWrite1h }, f) ?? 0;
  }
  const idle = idleRewrites(rows, cost);
  const hints: string[] = [];
  const totalNum = num.reduce((a, b) => a + b, 0);
  const totalDen = den.reduce((a, b) => a + b, 0);
  if (anyPriced && saved > 0) hints.push(`Prompt caching saved ${usd(saved)} compared with paying the full input price.`);
  if (idle.sessions > 0 && idle.costUSD > 0)
    hints.push(`${idle.sessions} session${idle.sessions === 1 ? '' : 's'} paused for more than 5 minutes and wrote the cache again (${usd(idle.costUSD)} of cache writes after idle gaps). Finishing a task before a break avoids it.`);
  if (w1 > 0 && w1 > w5)
    hints.push(`1-hour cache writes cost 2x the input price (5-minute writes 1.25x): ${usd(w1)} went to 1-hour writes vs ${usd(w5)} to 5-minute writes.`);
  if (totalDen > 0 && totalNum / totalDen < 0.5)
    hints.push(`Only ${Math.round((100 * totalNum) / totalDen)}% of input tokens came from the cache. Long-lived sessions with a stable prompt prefix cache better.`);
  return {
    savedUSD: anyPriced ? saved : null, write5mUSD: anyPriced ? w5 : null, write1hUSD: anyPriced ? w1 : null,
    dailyHitRatio: num.map((n, i) => (den[i] > 0 ? n / den[i] : null)), hints,
  };
}

function idleRewrites(rows: Row[], cost: FactCost): { sessions: number; costUSD: number } {
  const bySession = new Map<string, Row[]>();
  for (const r of rows) {
    if (r.f.source !== 'claude') continue;
    const k = r.f.session;
    const list = bySession.get(k);
    if (list) list.push(r);
    else bySession.set(k, [r]);
  }
  let sessions = 0, total = 0;
  for (const list of bySession.values()) {
    list.sort((a, b) => a.f.firstMs - b.f.firstMs);
    let hit = false, lastEnd = -Infinity;
    for (const r of list) {
      if (r.f.firstMs - lastEnd > IDLE_MS && lastEnd > -Infinity && r.f.cacheWrite5m + r.f.cacheWrite1h > 0 && r.cost !== null) {
        hit = true;
        total += safeCost(cost, { ...zeroTokens(), cacheWrite5m: r.f.cacheWrite5m, cacheWrite1h: r.f.cacheWrite1h }, r.f) ?? 0;
      }
      if (r.f.lastMs > lastEnd) lastEnd = r.f.lastMs;
    }
    if (hit) sessions++;
  }
  return { sessions, costUSD: total };
}

const usd = (v: number) => '$' + (v >= 100 ? v.toFixed(0) : v.toFixed(2));

/**
 * Names the peak hours in words: the 3-hour window with the most spend (tokens when nothing is priced) and whether
 * it falls mostly on weekdays or weekends. Null when there is no data.
 */
export function peakSentence(h: Heatmap): string | null {
  const grid = h.maxCostUSD > 0 ? h.costUSD : h.tokens;
  const what = h.maxCostUSD > 0 ? 'spend' : 'usage';
  const perHour = new Array<number>(24).fill(0);
  let total = 0;
  grid.forEach((row) => row.forEach((v, hr) => { perHour[hr] += v; total += v; }));
  if (total <= 0) return null;
  let best = 0, bestSum = -1;
  for (let s = 0; s < 24; s++) {
    const sum = perHour[s] + perHour[(s + 1) % 24] + perHour[(s + 2) % 24];
    if (sum > bestSum) { best = s; bestSum = sum; }
  }
  let weekday = 0, window = 0;
  grid.forEach((row, i) => {
    for (let k = 0; k < 3; k++) {
      const v = row[(best + k) % 24];
      window += v;
      const wd = h.weekdays[i];
      if (wd !== 0 && wd !== 6) weekday += v;
    }
  });
  const hh = (n: number) => String(n % 24).padStart(2, '0') + ':00';
  const share = Math.round((100 * bestSum) / total);
  const when = window > 0 && weekday / window >= 0.8 ? ' on weekdays' : window > 0 && weekday / window <= 0.2 ? ' on weekends' : '';
  return `${share}% of your ${what} is between ${hh(best)} and ${hh(best + 3)}${when}.`;
}
