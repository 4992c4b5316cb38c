import type { Fact, Source } from '../types';
import type { CostOf } from './spend';
import { addDays, dateKey, parseDateKey } from '../report/tz';

/**
 * Spending anomalies.
 * Days: a day is anomalous when its cost exceeds mean + 2σ of the trailing 30 calendar days before it. Days
 * without usage count as $0, but the window never reaches back before the first day with any usage, and at
 * least 7 of its days must have usage (otherwise there is no baseline and the day is not judged). σ is the
 * population standard deviation.
 * Sessions: a session is unusual when its cost per request exceeds mean + 2σ of the cost per request of all
 * sessions with at least `minRequests` requests (at least `minSessions` such sessions are needed). Sessions with
 * unpriced usage are left out (their cost is unknown).
 */
export interface DayAnomaly {
  day: string;
  costUsd: number;
  mean: number;
  stdDev: number;
  /** mean + sigmas × stdDev */
  threshold: number;
  /** calendar days in the baseline window */
  baselineDays: number;
}

export interface DayAnomalyOptions {
  windowDays?: number;
  minDaysWithData?: number;
  sigmas?: number;
  /**
   * The first day with any usage when `daily` starts later (it holds only the recent days): the baseline then
   * counts the days between it and the map's first day as $0, as it would with the whole history.
   */
  firstDay?: string;
}

const DAY_MS = 86_400_000;

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const v = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n;
  return { mean, std: Math.sqrt(v) };
}

/** Anomalous days, oldest first, from a map of local day → cost (e.g. `dailyCosts`). */
export function anomalousDays(daily: ReadonlyMap<string, number>, opts: DayAnomalyOptions = {}): DayAnomaly[] {
  const windowDays = opts.windowDays ?? 30;
  const minData = opts.minDaysWithData ?? 7;
  const sigmas = opts.sigmas ?? 2;
  const days = [...daily.entries()].filter(([k, v]) => parseDateKey(k) && Number.isFinite(v) && v > 0).map(([k]) => k).sort();
  if (days.length === 0) return [];
  const first = opts.firstDay !== undefined && opts.firstDay < days[0] ? opts.firstDay : days[0];
  const out: DayAnomaly[] = [];
  // the key of `addDays(d, -i)` by its UTC day number, made once per calendar day (the windows overlap)
  const keys = new Map<number, string>();
  const keyOf = (dayNo: number): string => {
    let k = keys.get(dayNo);
    if (k === undefined) {
      k = dateKey(addDays({ year: 1970, month: 1, day: 1 }, dayNo));
      keys.set(dayNo, k);
    }
    return k;
  };
  for (const day of days) {
    const d = parseDateKey(day)!;
    const dayNo = Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
    const window: number[] = [];
    let withData = 0;
    for (let i = windowDays; i >= 1; i--) {
      const k = keyOf(dayNo - i);
      if (k < first) continue;
      const v = daily.get(k) ?? 0;
      const c = Number.isFinite(v) && v > 0 ? v : 0;
      if (c > 0) withData++;
      window.push(c);
    }
    if (withData < minData) continue;
    const { mean, std } = meanStd(window);
    const threshold = mean + sigmas * std;
    const cost = daily.get(day)!;
    if (cost > threshold) out.push({ day, costUsd: cost, mean, stdDev: std, threshold, baselineDays: window.length });
  }
  return out;
}

export interface SessionAnomaly {
  source: Source;
  session: string;
  project: string;
  costUsd: number;
  requests: number;
  costPerRequest: number;
  mean: number;
  stdDev: number;
  threshold: number;
  firstMs: number;
  lastMs: number;
}

export interface SessionAnomalyOptions {
  minRequests?: number;
  minSessions?: number;
  sigmas?: number;
}

/** Sessions with unusual cost per request, most unusual first. `source` + `session` identify the session row. */
export function unusualSessions(facts: readonly Fact[], costOf: CostOf, opts: SessionAnomalyOptions = {}): SessionAnomaly[] {
  const by = new Map<string, SessionSums>();
  for (const f of facts) {
    const key = `${f.source}\u0000${f.session}`;
    let a = by.get(key);
    if (!a) {
      a = { source: f.source, session: f.session, project: f.project, cost: 0, requests: 0, unpriced: false, firstMs: f.firstMs, lastMs: f.lastMs };
      by.set(key, a);
    }
    const c = costOf(f);
    if (c === null || !Number.isFinite(c)) a.unpriced = true;
    else a.cost += c;
    a.requests += f.requests;
    a.firstMs = Math.min(a.firstMs, f.firstMs);
    a.lastMs = Math.max(a.lastMs, f.lastMs);
  }
  return unusualSessionsOf([...by.values()], opts);
}

/** One session's facts summed as `unusualSessions` sums them (cost: its priced facts' costs in their order). */
export interface SessionSums {
  source: Source;
  session: string;
  project: string;
  cost: number;
  requests: number;
  /** some fact had no price */
  unpriced: boolean;
  firstMs: number;
  lastMs: number;
}

/**
 * The rule of `unusualSessions` over sessions already summed (one entry per source and session, in the order of
 * their first facts), for a caller that sums them anyway (the dashboard's sessions table).
 */
export function unusualSessionsOf(sessions: readonly SessionSums[], opts: SessionAnomalyOptions = {}): SessionAnomaly[] {
  const minRequests = opts.minRequests ?? 5;
  const minSessions = opts.minSessions ?? 5;
  const sigmas = opts.sigmas ?? 2;
  const eligible = sessions.filter((a) => !a.unpriced && a.requests >= minRequests);
  if (eligible.length < minSessions) return [];
  const { mean, std } = meanStd(eligible.map((a) => a.cost / a.requests));
  const threshold = mean + sigmas * std;
  return eligible
    .filter((a) => a.cost / a.requests > threshold)
    .map((a) => ({
      source: a.source, session: a.session, project: a.project, costUsd: a.cost, requests: a.requests,
      costPerRequest: a.cost / a.requests, mean, stdDev: std, threshold, firstMs: a.firstMs, lastMs: a.lastMs,
    }))
    .sort((x, y) => y.costPerRequest - x.costPerRequest);
}
