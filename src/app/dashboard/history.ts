/**
 * The dashboard's all-time figures from usage summed by dims (core `loadDimTotals`), so that a snapshot only loads
 * the facts of the days it shows: the filter options, the first day with data, the all-time card, the first day
 * with spend (the anomaly baseline's start), and the first bucket a snapshot needs facts from.
 */
import { SOURCE_IDS } from '../../core/sources/registry';
import type { Dim, DimTotal } from '../../core/query/dimTotals';
import { addDaysToKey, type ClockParts } from '../../core/report/tz';
import { totalTokens, type Fact, type Source, type Tier, type TokenCounts } from '../../core/types';
import type { DashboardFilters, DashboardSnapshot } from '../../shared/protocol';
import { safeCost, zeroSum, type FactCost, type Labeler, type Sum } from './enrich';
import { resolveRange } from './range';

/** Usage of one (source, project, model, tier) over the whole history. */
export interface UsageGroup extends TokenCounts {
  source: Source;
  project: string;
  model: string;
  tier: Tier;
  firstBucketMs: number;
  /** orders groups with the same first bucket as their first facts are: the smallest dim id with usage in that bucket
   * (facts are ordered by bucket, then dim), or the first fact's index in the full list */
  firstDim: number;
  firstBilledBucketMs: number | null;
}

export interface SnapshotHistory {
  /** the groups in the order of their first facts (by first bucket, then dim) */
  groups: readonly UsageGroup[];
}

/**
 * The key of a (source, project, model, tier) group, one string per group: found through the dims' own strings (the
 * same string objects for every dims row of a text, store/strs.ts, so their hashes are kept) instead of joining and
 * hashing four strings per dims row, which was most of folding a year's ~29k dims rows.
 */
export class GroupKeys {
  private readonly bySource = new Map<string, Map<string, Map<string, Map<string, string>>>>();

  of(d: Pick<Dim, 'source' | 'project' | 'model' | 'tier'>): string {
    const byTier = inner(inner(inner(this.bySource, d.source), d.project), d.model);
    let key = byTier.get(d.tier);
    if (key === undefined) {
      key = `${d.source}\u0000${d.project}\u0000${d.model}\u0000${d.tier}`;
      byTier.set(d.tier, key);
    }
    return key;
  }
}

/** The map under `key`, added when there is none. */
function inner<V>(m: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let v = m.get(key);
  if (!v) {
    v = new Map();
    m.set(key, v);
  }
  return v;
}

/** Folds the sums by dim (core `loadDimTotals`) into groups without session and branch. */
export function historyOf(totals: readonly DimTotal[], dims: ReadonlyMap<number, Dim>, keys = new GroupKeys()): SnapshotHistory {
  const by = new Map<string, UsageGroup>();
  for (const t of totals) {
    const d = dims.get(t.dim);
    if (!d) continue; // a usage row without its dim is left out, as every fact query leaves it out
    const key = keys.of(d);
    let g = by.get(key);
    if (!g) {
      g = { source: d.source, project: d.project, model: d.model, tier: d.tier, firstBucketMs: t.firstBucketMs, firstDim: t.dim,
        firstBilledBucketMs: null, input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0 };
      by.set(key, g);
    } else if (t.firstBucketMs < g.firstBucketMs || (t.firstBucketMs === g.firstBucketMs && t.dim < g.firstDim)) {
      g.firstBucketMs = t.firstBucketMs;
      g.firstDim = t.dim;
    }
    if (t.firstBilledBucketMs !== null && (g.firstBilledBucketMs === null || t.firstBilledBucketMs < g.firstBilledBucketMs)) g.firstBilledBucketMs = t.firstBilledBucketMs;
    g.input += t.input; g.output += t.output; g.cacheWrite5m += t.cacheWrite5m; g.cacheWrite1h += t.cacheWrite1h;
    g.cacheRead += t.cacheRead; g.reasoning += t.reasoning; g.webSearch += t.webSearch; g.requests += t.requests;
  }
  return { groups: [...by.values()].sort((a, b) => a.firstBucketMs - b.firstBucketMs || a.firstDim - b.firstDim) };
}

/** The same groups from every fact of history (`loadAllFacts`: ordered by bucket, then dim), when they are loaded. */
export function historyOfFacts(facts: readonly Fact[]): SnapshotHistory {
  const by = new Map<string, UsageGroup>();
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i];
    const key = `${f.source}\u0000${f.project}\u0000${f.model}\u0000${f.tier}`;
    let g = by.get(key);
    if (!g) {
      g = { source: f.source, project: f.project, model: f.model, tier: f.tier, firstBucketMs: f.bucketStartMs, firstDim: i,
        firstBilledBucketMs: null, input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0 };
      by.set(key, g);
    }
    if (g.firstBilledBucketMs === null && f.input + f.output + f.cacheWrite5m + f.cacheWrite1h + f.cacheRead > 0) g.firstBilledBucketMs = f.bucketStartMs;
    g.input += f.input; g.output += f.output; g.cacheWrite5m += f.cacheWrite5m; g.cacheWrite1h += f.cacheWrite1h;
    g.cacheRead += f.cacheRead; g.reasoning += f.reasoning; g.webSearch += f.webSearch; g.requests += f.requests;
  }
  return { groups: [...by.values()] };
}

/** Days before the range's first day whose facts the snapshot reads: the anomaly baseline (30 days) and one spare. */
const BASELINE_DAYS = 31;
/** Days before today whose facts the snapshot reads: last month (comparisons), the billing month, the last 4 weeks. */
const RECENT_DAYS = 70;
const DAY_MS = 24 * 3600 * 1000;

export function groupMatches(d: UsageGroup, q: DashboardFilters): boolean {
  return (q.source === 'all' || d.source === q.source) && (q.project === null || d.project === q.project) && (q.model === null || d.model === q.model);
}

/** The first local day with data under the filters (null when none). */
export function firstDayOf(h: SnapshotHistory, q: DashboardFilters, clock: (ms: number) => ClockParts): string | null {
  let first: number | null = null;
  for (const d of h.groups) if (groupMatches(d, q) && (first === null || d.firstBucketMs < first)) first = d.firstBucketMs;
  return first === null ? null : clock(first).day;
}

/**
 * The first bucket whose facts a snapshot of `filters` needs: every view but the all-time ones reads the range, the
 * 30 days before it, or the last 70 days. Two days more than the local days cover, whatever the zone.
 */
export function factsSinceMs(filters: DashboardFilters, today: string, firstDay: string | null): number {
  const range = resolveRange(filters, today, firstDay);
  return Math.min(dayStartBefore(addDaysToKey(range.from, -BASELINE_DAYS)), recentSinceMs(today));
}

/**
 * The first bucket of the last 70 days (and two more): the facts the views of recent periods read — comparisons
 * (this and last month), budgets (the billing month), the Claude weekly totals (the last 4 weeks).
 */
export function recentSinceMs(today: string): number {
  return dayStartBefore(addDaysToKey(today, -RECENT_DAYS));
}

/** Two days before the UTC start of a day key: before the day's start in any zone, a bucket boundary. */
function dayStartBefore(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - 2 * DAY_MS;
}

/**
 * The order of the project filter options: by label, then by key (two keys can share a label: a Claude project and
 * the Codex cwd it was started in), so the order never depends on which log the index read first.
 */
export function byProjectLabel(a: { key: string; label: string }, b: { key: string; label: string }): number {
  return a.label.localeCompare(b.label) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Filter options over the whole history; a project's label is that of its first fact's source. */
export function filterOptionsOf(h: SnapshotHistory, label: Labeler): DashboardSnapshot['filterOptions'] {
  const projects = new Map<string, string>();
  const models = new Set<string>();
  const sources = new Set<Source>();
  for (const d of h.groups) {
    if (!projects.has(d.project)) projects.set(d.project, label(d.project, d.source));
    models.add(d.model);
    sources.add(d.source);
  }
  return {
    projects: [...projects].map(([key, l]) => ({ key, label: l })).sort(byProjectLabel),
    models: [...models].sort(),
    sources: SOURCE_IDS.filter((s) => sources.has(s)),
  };
}

/** A dim as the fact the price function reads (model and tier). */
function asFact(d: UsageGroup): Fact {
  return { ...d, session: '', branch: '', bucketStartMs: d.firstBucketMs, firstMs: d.firstBucketMs, lastMs: d.firstBucketMs };
}

/**
 * All-time sums under the filters: token counts added exactly, each (model, tier)'s tokens priced once. The first
 * bucket with data is `firstBucketMs` (null when there is none).
 */
export function allTimeSum(h: SnapshotHistory, q: DashboardFilters, cost: FactCost): { sum: Sum; firstBucketMs: number | null } {
  const groups = new Map<string, { d: UsageGroup; t: TokenCounts }>();
  let first: number | null = null;
  for (const d of h.groups) {
    if (!groupMatches(d, q)) continue;
    if (first === null || d.firstBucketMs < first) first = d.firstBucketMs;
    const key = `${d.model}\u0000${d.tier}`;
    let g = groups.get(key);
    if (!g) {
      g = { d, t: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0 } };
      groups.set(key, g);
    }
    g.t.input += d.input; g.t.output += d.output; g.t.cacheWrite5m += d.cacheWrite5m; g.t.cacheWrite1h += d.cacheWrite1h;
    g.t.cacheRead += d.cacheRead; g.t.reasoning += d.reasoning; g.t.webSearch += d.webSearch; g.t.requests += d.requests;
  }
  const s = zeroSum();
  for (const { d, t } of groups.values()) {
    const tokens = totalTokens(t);
    const c = safeCost(cost, t, asFact(d));
    if (c === null) s.unpricedTokens += tokens;
    else s.costUSD += c;
    s.tokens += tokens;
    s.requests += t.requests;
    s.input += t.input; s.output += t.output; s.cacheWrite5m += t.cacheWrite5m; s.cacheWrite1h += t.cacheWrite1h;
    s.cacheRead += t.cacheRead; s.reasoning += t.reasoning;
  }
  return { sum: s, firstBucketMs: first };
}

/**
 * The first local day with spend under the filters (the anomaly baseline never reaches before it): the first bucket
 * with billed tokens of a dim whose usage has a price above 0. Null when nothing has spend.
 */
export function firstSpendDayOf(h: SnapshotHistory, q: DashboardFilters, cost: FactCost, clock: (ms: number) => ClockParts): string | null {
  let first: number | null = null;
  for (const d of h.groups) {
    if (d.firstBilledBucketMs === null || !groupMatches(d, q) || (first !== null && d.firstBilledBucketMs >= first)) continue;
    const c = safeCost(cost, d, asFact(d));
    if (c !== null && c > 0) first = d.firstBilledBucketMs;
  }
  return first === null ? null : clock(first).day;
}
