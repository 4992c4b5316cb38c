/**
 * Builds the dashboard's `DashboardSnapshot` from usage facts (pure: no vscode, no database; tested).
 * Every number the webview shows is computed here; the webview only formats.
 * Filters: source/project/model narrow everything except budgets (which are about total spend); the date range
 * narrows charts and tables, while the summary cards always show today / last 7 days / this month / all time.
 */
import { SOURCE_IDS } from '../../core/sources/registry';
import type { PriceTable } from '../../core/pricing/priceTable';
import type { Fact, RateLimitSnapshot, Source, TokenCounts } from '../../core/types';
import type {
  DashboardFilters, DashboardSnapshot, DailyChart, Heatmap, LabeledValue, SourceSplit, SummaryCard, TokensByType,
} from '../../shared/protocol';
import { addRow, cacheHitRatio, enrich, safeCost, zeroSum, type FactCost, type Labeler, type Row, type Sum } from './enrich';
import { resolveRange } from './range';
import { addDaysToKey, dayKeyRange, zoneClock, type ClockParts } from '../../core/report/tz';
import { modelRows, projectRows, rangeGroups, type ProjectGroup, type SessionGroup } from './tables';
import { markWebSearchReasons, unpricedWebSearchesOf } from './unpricedWebSearches';
import type { KeptGroups } from './keptGroups';
import { SessionTable, sessionRows } from './sessionTable';
import type { SessionSort } from '../../shared/sessionsTable';
import { anomalies, budgetBars, cacheEconomics, comparisons, peakSentence } from './insights';
import { codexQuotaView } from './quota';
import { idleGapsBySession, type CacheParts, type IdleRewrites, type SessionIdleGaps } from '../../core/limits/cacheEconomics';
import { SOURCE_INFO } from './sourceInfo';
import { rowsCost, type RowsCost } from './rowCost';
import { allTimeSum, byProjectLabel, filterOptionsOf, firstDayOf, firstSpendDayOf, recentSinceMs, type SnapshotHistory } from './history';

export interface SnapshotStatus {
  indexing: boolean;
  lastUpdatedMs: number | null;
  /** folders looked in per source id */
  searched: Record<string, string[]>;
  notes: string[];
  error?: string;
}

import type { SnapshotBudgets } from './insights';
import { createTranslator } from '../i18n/translator';
export type { SnapshotBudgets };

/** The part of `AgentMeterSettings` the dashboard reads (structurally compatible with it). */
export interface SnapshotSettings {
  timeZone: string;
  weekStart: number;
  /** `rateToUsd` = units of `code` per 1 USD (1 for USD) */
  currency: { code: string; rateToUsd: number };
  budgets?: SnapshotBudgets;
}

export interface SnapshotInput {
  /** all facts, unfiltered (filters are applied here) */
  facts: readonly Fact[];
  /** display path of a project key, when known */
  projectLabel?: (project: string, source: Source) => string | undefined;
  filters: DashboardFilters;
  nowMs: number;
  locale: string;
  settings: SnapshotSettings;
  cost: FactCost;
  /** the price table `cost` prices with, when the caller has one: the unpriced models then say why (web searches) */
  prices?: PriceTable;
  priceTableDate: string | null;
  status: SnapshotStatus;
  /** Codex rate-limit samples, any order */
  rateLimits?: readonly RateLimitSnapshot[];
  /** newest sessions kept in the table (default 500), when it is not paged (`sessionPages`) */
  sessionLimit?: number;
  /**
   * The sessions table paged: every session of the range goes into a `SessionTable` with this id, handed to `keep`
   * (the worker answers the webview's pages from it), and the snapshot carries the page of `sort` holding `offset`.
   */
  sessionPages?: SessionPagesInput;
  /** the range's sessions and projects of the last snapshots, when the caller keeps them (keptGroups.ts) */
  groups?: KeptGroups;
  /**
   * Usage summed by dims over the whole history. When given, `facts` need only hold the facts from
   * `factsSinceMs(filters, today, firstDay)` on (history.ts): the all-time figures come from the sums.
   */
  history?: SnapshotHistory;
  /** `enrich(facts, zoneClock(settings.timeZone), cost)`, when the caller keeps them across snapshots */
  rows?: Row[];
  /**
   * The range's views from coarser rows (fromDatabase.ts), never with a project filter (the hourly rows have no
   * project). Then `facts` need only hold the facts from `recentSinceMs(today)` on (history.ts).
   */
  ranged?: RangedRows;
  /** `cacheParts(f, cost)` of core limits/cacheEconomics.ts, when the caller keeps them per fact (keptCacheParts.ts) */
  cacheParts?: (f: Fact) => CacheParts;
  /** `priceIdleGaps(gaps, cost)` of core limits/cacheEconomics.ts, when the caller keeps them per events (keptIdlePrices.ts) */
  idlePrices?: (gaps: readonly SessionIdleGaps[]) => IdleRewrites;
}

/** Rows that give a snapshot's range views the same figures as the 15-minute facts they sum. */
export interface RangedRows {
  /** enriched hourly facts (usage summed per UTC hour, source, model and tier) from `factsSinceMs` on, for views by
   * time, model and source and the anomaly baseline; only for a zone whose hours are whole (hourRowsExact) */
  hours: Row[];
  /** enriched facts of the range per dims row (session_totals; 15-minute facts of those straddling its bounds), for
   * the views by session and project */
  sessions: Row[];
  /**
   * the range's idle re-write events per session under the filters, as the index keeps them (store/idleGaps.ts), or
   * null when it cannot answer (a session whose buckets by first entry are not in bucket order): then `bucketFacts`
   */
  idleGaps(filters: DashboardFilters): readonly SessionIdleGaps[] | null;
  /** the range's 15-minute facts, for the idle re-writes (gaps between a session's buckets) when `idleGaps` is null */
  bucketFacts(): readonly Fact[];
}

export interface SessionPagesInput {
  id: number;
  sort: SessionSort;
  offset: number;
  keep(table: SessionTable): void;
}

const TOP_MODELS = 8;
const TOP_PROJECTS = 10;

export function buildSnapshot(input: SnapshotInput): DashboardSnapshot {
  const { filters, settings } = input;
  const clock = zoneClock(settings.timeZone);
  const today = clock(input.nowMs).day;
  const label = makeLabeler(input.projectLabel);
  const t = createTranslator(input.locale);

  const all = input.rows ?? enrich(input.facts, clock, input.cost);
  const filtered = filterRows(all, filters);
  const history = input.history;
  let firstDay: string | null = null;
  if (history) firstDay = firstDayOf(history, filters, clock);
  else for (const r of filtered) if (firstDay === null || r.at.day < firstDay) firstDay = r.at.day;
  const range = resolveRange(filters, today, firstDay);
  const inRange = daysOf(filtered, range.from, range.to);
  // the rows each range view reads: by time, model and source (`timeRows` from the baseline's start on); by session
  // and project; the idle re-writes' 15-minute facts — all the same 15-minute rows unless the caller has coarser ones
  const ranged = input.ranged;
  if (ranged && filters.project !== null) throw new Error('the hourly rows have no project: a project filter reads the 15-minute facts');
  const timeRows = ranged ? filterRows(ranged.hours, filters) : filtered;
  const timeInRange = ranged ? daysOf(timeRows, range.from, range.to) : inRange;
  const sessionsInRange = ranged ? filterRows(ranged.sessions, filters) : inRange;
  // the sessions and the projects of the range in one pass, kept across snapshots by the caller (only those a change
  // touched made again)
  const { sessions, projects } = input.groups ? input.groups.of(sessionsInRange, label) : rangeGroups(sessionsInRange, label);

  const snapshot: DashboardSnapshot = {
    generatedMs: input.nowMs,
    locale: input.locale || 'en',
    timeZone: settings.timeZone,
    weekStart: settings.weekStart,
    currency: { code: settings.currency.code || 'USD', perUsd: settings.currency.rateToUsd > 0 ? settings.currency.rateToUsd : 1 },
    priceTableDate: input.priceTableDate,
    status: { indexing: input.status.indexing, lastUpdatedMs: input.status.lastUpdatedMs, error: input.status.error ?? null },
    filters: filters.range === 'custom' ? { ...filters, sinceDay: range.from, untilDay: range.to } : filters,
    rangeFromDay: range.from,
    rangeToDay: range.to,
    sourceInfo: SOURCE_INFO,
    filterOptions: history ? filterOptionsOf(history, label) : filterOptions(all, label),
    empty: (history ? history.groups.length === 0 : all.length === 0)
      ? { searched: Object.entries(input.status.searched).map(([source, dirs]) => ({ source, dirs })), notes: input.status.notes, indexing: input.status.indexing }
      : null,
    // the all-time card from the history's sums when given (then not summed over the recent rows)
    cards: cards(filtered, today, history ? () => allTimeCard(history, filters, input.cost, clock, today) : undefined),
    daily: dailyChart(timeInRange, range.from, range.to, t('snapshot.other')),
    tokensByType: tokensByType(timeInRange),
    costByProject: costByProject(projects, t('snapshot.other')),
    bySource: bySource(timeInRange),
    heatmap: heatmap(timeInRange, settings.weekStart),
    ...sessionsOf(sessions, label, input),
    projects: projectRows(projects),
    models: markWebSearchReasons(modelRows(timeInRange), timeInRange, input.prices),
    unpricedModels: [...new Set(timeInRange.filter((r) => r.cost === null && r.tokens > 0).map((r) => r.f.model))].sort(),
    unpricedWebSearches: unpricedWebSearchesOf(timeInRange, input.prices),
  };
  // the core's limits rules take facts and a price function: the costs enrich already computed (rowCost.ts), and
  // parts of facts
  const tokenCost = (t: TokenCounts, f: Fact) => safeCost(input.cost, t, f);
  snapshot.heatmap.peak = peakSentence(snapshot.heatmap, t);
  // comparisons and budgets are about the last two months: with the history's sums, the facts are read from
  // `recentSinceMs` on, and a longer range's older facts are left out of them
  const recentCut = history ? recentSinceMs(today) : -Infinity;
  // the rows are often all recent (the caller read them from `recentSinceMs` on) and `filtered` is often `all` (no
  // filter): then the same rows' costs serve both
  const costs = new Map<readonly Row[], RowsCost>();
  const recent = (rows: readonly Row[]) => {
    const kept = history ? rowsFrom(rows, recentCut) : rows;
    const c = costs.get(kept) ?? rowsCost(kept);
    costs.set(kept, c);
    return c;
  };
  const recentFiltered = recent(filtered);
  snapshot.comparisons = comparisons(recentFiltered.facts, recentFiltered.cost, input.nowMs, settings.timeZone, settings.weekStart);
  // a project's display path (by its first row's source), made when a project budget asks
  let displayPath: Map<string, string | undefined> | undefined;
  const displayPathOf = (project: string) => {
    if (!displayPath) {
      displayPath = new Map();
      for (const r of all) if (!displayPath.has(r.f.project)) displayPath.set(r.f.project, input.projectLabel?.(r.f.project, r.f.source) || undefined);
    }
    return displayPath.get(project);
  };
  const recentAll = settings.budgets ? recent(all) : undefined;
  snapshot.budgets = settings.budgets && recentAll
    ? budgetBars(recentAll.facts, recentAll.cost, settings.budgets, settings.timeZone, settings.weekStart, input.nowMs, displayPathOf, t)
    : [];
  // the idle re-writes: the events the index keeps, else the rule over the range's 15-minute facts
  const idleGaps = ranged?.idleGaps(filters) ?? idleGapsBySession(ranged ? ranged.bucketFacts().filter((f) => matches(f, filters)) : inRange.map((r) => r.f));
  snapshot.cache = cacheEconomics(timeInRange.map((r) => r.f), snapshot.daily.labels, tokenCost, settings.timeZone, idleGaps, t, input.cacheParts, input.idlePrices);
  const firstSpendDay = history ? firstSpendDayOf(history, filters, input.cost, clock) ?? undefined : undefined;
  snapshot.anomalies = anomalies(ranged ? timeRows : filtered, sessions, settings.timeZone, range.from, range.to, label, firstSpendDay);
  snapshot.codexQuota = input.rateLimits ? codexQuotaView(input.rateLimits, input.nowMs) : null;
  return snapshot;
}

/** The sessions table: one page of the kept table when paged, else the newest `sessionLimit` sessions. */
function sessionsOf(groups: readonly SessionGroup[], label: Labeler, input: SnapshotInput): Pick<DashboardSnapshot, 'sessions' | 'sessionsTotal' | 'sessionsPage'> {
  const paged = input.sessionPages;
  if (!paged) return sessionRows(groups, label, input.sessionLimit ?? 500);
  const table = new SessionTable(paged.id, groups, label);
  paged.keep(table);
  const { rows, total, ...page } = table.page(paged.sort, paged.offset);
  return { sessions: rows, sessionsTotal: total, sessionsPage: page };
}

function matches(f: Fact, q: DashboardFilters): boolean {
  return (q.source === 'all' || f.source === q.source) && (q.project === null || f.project === q.project) && (q.model === null || f.model === q.model);
}

/** The rows under the filters: the same array when no filter narrows (nothing copied). */
function filterRows(rows: Row[], q: DashboardFilters): Row[] {
  return q.source === 'all' && q.project === null && q.model === null ? rows : rows.filter((r) => matches(r.f, q));
}

/** The rows of the days [from, to] in the zone: the same array when all are (all time), else a copy of those. */
function daysOf(rows: Row[], from: string, to: string): Row[] {
  const out = (r: Row) => r.at.day < from || r.at.day > to;
  return rows.some(out) ? rows.filter((r) => !out(r)) : rows;
}

/** The rows whose bucket starts at or after `sinceMs`: the same array when all do. */
function rowsFrom(rows: readonly Row[], sinceMs: number): readonly Row[] {
  return rows.some((r) => r.f.bucketStartMs < sinceMs) ? rows.filter((r) => r.f.bucketStartMs >= sinceMs) : rows;
}

/** Project display label: the known display path, else the key. */
function makeLabeler(fn: SnapshotInput['projectLabel']): Labeler {
  return (project, source) => {
    const l = fn?.(project, source);
    return l && l.length > 0 ? l : project;
  };
}

function filterOptions(all: Row[], label: Labeler): DashboardSnapshot['filterOptions'] {
  const projects = new Map<string, string>();
  const models = new Set<string>();
  const sources = new Set<Source>();
  for (const r of all) {
    if (!projects.has(r.f.project)) projects.set(r.f.project, label(r.f.project, r.f.source));
    models.add(r.f.model);
    sources.add(r.f.source);
  }
  return {
    projects: [...projects].map(([key, l]) => ({ key, label: l })).sort(byProjectLabel),
    models: [...models].sort(),
    sources: SOURCE_IDS.filter((s) => sources.has(s)),
  };
}

function cardOf(id: SummaryCard['id'], rows: Row[], from: string | null, to: string | null): SummaryCard {
  const s = zeroSum();
  let lo: string | null = null;
  for (const r of rows) {
    if (from !== null && r.at.day < from) continue;
    if (to !== null && r.at.day > to) continue;
    addRow(s, r);
    if (lo === null || r.at.day < lo) lo = r.at.day;
  }
  return {
    id, costUSD: s.costUSD, unpricedTokens: s.unpricedTokens, tokens: s.tokens, requests: s.requests,
    cacheHitRatio: cacheHitRatio(s), fromDay: from ?? lo, toDay: to,
  };
}

/** The all-time card from the history's sums (the same figures as `cardOf('all', …)` over every fact). */
function allTimeCard(history: SnapshotHistory, filters: DashboardFilters, cost: FactCost, clock: (ms: number) => ClockParts, today: string): SummaryCard {
  const { sum: s, firstBucketMs } = allTimeSum(history, filters, cost);
  const fromDay = firstBucketMs === null ? null : clock(firstBucketMs).day;
  return {
    id: 'all', costUSD: s.costUSD, unpricedTokens: s.unpricedTokens, tokens: s.tokens, requests: s.requests,
    cacheHitRatio: cacheHitRatio(s), fromDay, toDay: fromDay === null ? null : today,
  };
}

/**
 * Today, the last 7 days (today and the 6 before), this calendar month so far, all time — in the zone. `allTime`:
 * the all-time card from elsewhere (the history's sums), instead of one summed over `rows`.
 */
function cards(rows: Row[], today: string, allTime?: () => SummaryCard): SummaryCard[] {
  let all = allTime?.();
  if (!all) {
    all = cardOf('all', rows, null, null);
    all.toDay = all.fromDay === null ? null : today;
  }
  return [
    cardOf('today', rows, today, today),
    cardOf('last7', rows, addDaysToKey(today, -6), today),
    cardOf('month', rows, `${today.slice(0, 8)}01`, today),
    all,
  ];
}

/** Daily cost stacked by model: the top models by cost get their own series, the rest is "other". */
function dailyChart(rows: Row[], from: string, to: string, otherLabel = 'other'): DailyChart {
  const labels = dayKeyRange(from, to);
  const index = new Map(labels.map((d, i) => [d, i]));
  const byModel = new Map<string, { total: number; tokens: number; values: number[] }>();
  const unpriced = new Set<string>();
  for (const r of rows) {
    const i = index.get(r.at.day);
    if (i === undefined) continue;
    let m = byModel.get(r.f.model);
    if (!m) {
      m = { total: 0, tokens: 0, values: new Array(labels.length).fill(0) };
      byModel.set(r.f.model, m);
    }
    m.tokens += r.tokens;
    if (r.cost === null) { if (r.tokens > 0) unpriced.add(r.at.day); continue; }
    m.total += r.cost;
    m.values[i] += r.cost;
  }
  const ranked = [...byModel].sort((a, b) => b[1].total - a[1].total || b[1].tokens - a[1].tokens);
  const series = ranked.slice(0, TOP_MODELS).map(([label, m]) => ({ label, values: m.values }));
  if (ranked.length > TOP_MODELS) {
    const other = new Array(labels.length).fill(0);
    for (const [, m] of ranked.slice(TOP_MODELS)) m.values.forEach((v, i) => {
      other[i] += v;
    });
    series.push({ label: otherLabel, values: other });
  }
  return { labels, series, unpricedDays: [...unpriced].sort() };
}

function tokensByType(rows: Row[]): TokensByType {
  const s = zeroSum();
  for (const r of rows) addRow(s, r);
  return { input: s.input, output: s.output, cacheWrite5m: s.cacheWrite5m, cacheWrite1h: s.cacheWrite1h, cacheRead: s.cacheRead, reasoning: s.reasoning };
}

/** Cost by project: the 10 most expensive projects, then one "other" slice with the rest (the priced rows' costs). */
function costByProject(groups: readonly ProjectGroup[], otherLabel = 'other'): LabeledValue[] {
  const ranked = groups.map((p) => ({ key: p.project, label: p.label, value: p.sum.costUSD })).filter((p) => p.value > 0).sort((a, b) => b.value - a.value);
  const top = ranked.slice(0, TOP_PROJECTS);
  const rest = ranked.slice(TOP_PROJECTS).reduce((a, p) => a + p.value, 0);
  if (ranked.length > TOP_PROJECTS) top.push({ key: '', label: otherLabel, value: rest });
  return top;
}

function bySource(rows: Row[]): SourceSplit[] {
  const sums = new Map<Source, Sum>();
  for (const r of rows) {
    let s = sums.get(r.f.source);
    if (!s) {
      s = zeroSum();
      sums.set(r.f.source, s);
    }
    addRow(s, r);
  }
  return SOURCE_IDS.filter((s) => sums.has(s)).map((source) => {
    const s = sums.get(source)!;
    return { source, costUSD: s.costUSD, tokens: s.tokens, requests: s.requests, unpricedTokens: s.unpricedTokens };
  });
}

/** Hour-of-day × weekday in the zone; rows start at the configured week start. */
function heatmap(rows: Row[], weekStart: number): Heatmap {
  const weekdays = Array.from({ length: 7 }, (_, i) => (weekStart + i) % 7);
  const rowOf = new Map(weekdays.map((w, i) => [w, i]));
  const cost = weekdays.map(() => new Array<number>(24).fill(0));
  const tokens = weekdays.map(() => new Array<number>(24).fill(0));
  for (const r of rows) {
    const i = rowOf.get(r.at.weekday)!;
    if (r.cost !== null) cost[i][r.at.hour] += r.cost;
    tokens[i][r.at.hour] += r.tokens;
  }
  return { weekdays, costUSD: cost, tokens, maxCostUSD: Math.max(0, ...cost.flat()), maxTokens: Math.max(0, ...tokens.flat()), peak: null };
}

