/**
 * Reads what the dashboard needs from the index (read-only, but for bringing the stored Claude blocks up to date)
 * and builds the snapshot. No vscode import: tested with a real sql.js database. Per data version: usage summed by
 * dims (the all-time figures), the facts of the recent days a snapshot shows (reused for filter and range
 * changes that need no older ones) and the index's stored Claude blocks (brought up to date once; priced and judged
 * active per snapshot, as core `loadClaudeBlockLikes` does).
 */
import { retentionDetailFrom } from '../../core/store/retention';
import { loadEstimatedDays, type EstimatedDays } from '../../core/query/estimatedDays';
import { estimatesView } from './estimates';
import { agentCostBySource } from '../../core/store/keyedCalls';
import type { Database } from 'sql.js';
import { loadAllFacts } from '../../core/query/allFacts';
import type { BlockLike } from '../../core/limits/blockLike';
import { blockLikeFromStored } from '../../core/limits/fromStoredBlock';
import type { StoredBlock } from '../../core/store/claudeBlocks';
import { storedClaudeBlocks } from '../../core/query/claudeBlocks';
import { forgetKeptClaudeBlocks, keptStoredClaudeBlocks } from '../../core/query/keptClaudeBlocks';
import { loadDimTotals } from '../../core/query/dimTotals';
import { forgetDimTotals, keptDimTotalsState } from '../../core/query/keptDimTotals';
import { keptHistoryOf } from './keptHistory';
import { forgetKeptSessionFacts, keptSessionFacts } from '../../core/query/keptSessionFacts';
import { keptRows } from './keptRows';
import { forgetKeptFacts, keptFactsSince } from '../../core/query/keptFacts';
import { committedDims } from '../../core/query/committedDims';
import { loadIdleGaps, pendingIdleGaps, updateIdleGaps, type PendingIdleGaps } from '../../core/store/idleGaps';
import { forgetKeptIdleGaps, keptIdleGaps } from '../../core/store/keptIdleGaps';
import type { SessionIdleGaps } from '../../core/limits/cacheEconomics';
import { findSessionLogPath } from '../../core/query/files';
import { loadLimitResets, loadRateLimitSamples } from '../../core/query/facts';
import { projectLabels } from '../../core/query/projectPaths';
import { costOf } from '../../core/pricing/costOf';
import type { PriceTable } from '../../core/pricing/priceTable';
import { zoneCalendar, zoneClock } from '../../core/report/tz';
import { hourSpan, loadSessionFacts } from '../../core/query/aggregates';
import { keptHourFacts } from '../../core/query/keptHours';
import { hourRowsExact } from '../../core/query/hourRowsExact';
import type { Fact, LimitReset, RateLimitSnapshot, Source, TokenCounts } from '../../core/types';
import type { DashboardFilters, DashboardSnapshot } from '../../shared/protocol';
import type { AgentMeterSettings, UsageStatus } from '../settings';
import { buildSnapshot, type RangedRows, type SessionPagesInput } from './snapshot';
import { enrich, safeCost, type Row } from './enrich';
import { keptCacheParts } from './keptCacheParts';
import { keptIdlePrices } from './keptIdlePrices';
import type { KeptGroups } from './keptGroups';
import { rowsCost } from './rowCost';
import { claudeBlocksView, isPlanFact } from './claudeBlocks';
import { factsSinceMs, firstDayOf, historyOf, historyOfFacts, recentSinceMs, type SnapshotHistory } from './history';
import { resolveRange } from './range';
import { firstFactAtOrAfter } from '../../core/report/factsFrom';
import { createTranslator } from '../i18n/translator';

const QUOTA_HISTORY_MS = 8 * 24 * 3600 * 1000;
const HOUR_MS = 3_600_000;

export interface DashboardData {
  /** every fact of history, read on first use (snapshots read `factsSince`; kept for tests and tools) */
  readonly facts: Fact[];
  labels: Map<string, string>;
  rateLimits: RateLimitSnapshot[];
  limitResets: LimitReset[];
  readonly history: SnapshotHistory;
  /** the facts whose bucket starts at or after `sinceMs`, in the order of the full list */
  factsSince(sinceMs: number): Fact[];
  /**
   * `factsSince(sinceMs)` with their zone's clock parts and their cost (`enrich`), kept for the next snapshot of the
   * same start, zone and price table (a filter change)
   */
  rowsSince(sinceMs: number, timeZone: string, table: PriceTable): { facts: Fact[]; rows: Row[] };
  /**
   * The range views' rows from the aggregates (snapshot.ts `RangedRows`): hourly facts from `hoursSinceMs` on, the
   * facts per dims row and the 15-minute facts of [sinceMs, untilMs); null when the zone's offsets over the hourly
   * rows are not whole hours (hourRowsExact: the 15-minute facts answer). Kept for the next snapshot of the same
   * bounds, zone and price table (a filter change).
   */
  rangedRows(hoursSinceMs: number, sinceMs: number, untilMs: number, timeZone: string, table: PriceTable): RangedRows | null;
  /** every Claude block of history (no gap blocks), priced with `table`, active or not as of `nowMs` */
  claudeBlocks(table: PriceTable, nowMs: number): BlockLike[];
  /** the agents' own cost estimates per source over [sinceMs, untilMs) (kept for the last range asked) */
  agentCost(sinceMs: number, untilMs: number): Map<string, number>;
  /** the days no Claude log covers, estimated from Claude Code's stats caches (read once per data change) */
  estimatedDays(): EstimatedDays | null;
  /** where 15-minute detail begins (retention rolled older usage into daily rows); null: all detail kept */
  readonly detailFromMs: number | null;
  /** why detail ends there (default: retention) */
  readonly detailReason?: 'retention' | 'team';
}

/**
 * Loads project display paths, usage summed by dims and recent Codex rate-limit samples; empty data when there is no
 * database. `writable`: the writer's database (it stores the idle re-writes it computes again; a reader's copy does not).
 */
export function loadDashboardData(db: Database | undefined, nowMs: number, writable = true): DashboardData {
  const labels = new Map<string, string>();
  if (!db) {
    return {
      facts: [], labels, rateLimits: [], limitResets: [], history: { groups: [] }, factsSince: () => [],
      rowsSince: () => ({ facts: [], rows: [] }), rangedRows: () => null, claudeBlocks: () => [], agentCost: () => new Map(), estimatedDays: () => null,
      detailFromMs: null,
    };
  }
  for (const [key, label] of projectLabels(db)) labels.set(key, label);
  if (!writable) {
    forgetDimTotals(db);
    forgetKeptFacts(db);
    forgetKeptSessionFacts(db);
    forgetKeptClaudeBlocks(db);
    forgetKeptIdleGaps(db);
  }
  const dims = committedDims(db);
  let all: Fact[] | undefined;
  let history: SnapshotHistory | undefined;
  let recent: { sinceMs: number; facts: Fact[] } | undefined;
  let stored: StoredBlock[] | undefined;
  let enriched: { sinceMs: number; timeZone: string; table: PriceTable; facts: Fact[]; rows: Row[] } | undefined;
  // the last two (the range shown and the one prepared for a range change: both stay)
  let ranged: { key: string; table: PriceTable; rows: RangedRows | null }[] = [];
  let agentCosts: { key: string; bySource: Map<string, number> } | undefined;
  let estimated: EstimatedDays | null | undefined;
  let pending: PendingIdleGaps | null | undefined;
  return {
    get facts() {
      all ??= loadAllFacts(db, undefined, dims);
      return all;
    },
    labels,
    rateLimits: loadRateLimitSamples(db, nowMs - QUOTA_HISTORY_MS),
    limitResets: loadLimitResets(db, nowMs - QUOTA_HISTORY_MS),
    // usage summed by dims, or from every fact when they are loaded anyway (a range from the first day with data)
    get history() {
      history ??= all ? historyOfFacts(all) : writable ? keptHistoryOf(db, keptDimTotalsState(db), dims) : historyOf(loadDimTotals(db), dims);
      return history;
    },
    factsSince(sinceMs) {
      if (!recent || sinceMs < recent.sinceMs) {
        // the writer keeps the facts of the period across data changes (read again only for the dims rows changed)
        const read = () => (writable ? keptFactsSince(db, sinceMs, dims) : loadAllFacts(db, sinceMs, dims));
        recent = { sinceMs, facts: all ? all.slice(firstFactAtOrAfter(all, sinceMs)) : read() };
      }
      return recent.facts.slice(firstFactAtOrAfter(recent.facts, sinceMs));
    },
    rowsSince(sinceMs, timeZone, table) {
      const e = enriched;
      if (e && e.sinceMs === sinceMs && e.timeZone === timeZone && e.table === table) return e;
      const facts = this.factsSince(sinceMs);
      const clock = zoneClock(timeZone);
      const cost = (t: TokenCounts, f: Fact) => costOf(t, f.model, f.tier, table);
      // the writer's facts kept across data changes keep their rows too
      enriched = { sinceMs, timeZone, table, facts, rows: writable && !all ? keptRows(db, facts, timeZone, table, clock, cost) : enrich(facts, clock, cost) };
      return enriched;
    },
    rangedRows(hoursSinceMs, sinceMs, untilMs, timeZone, table) {
      const key = `${hoursSinceMs}/${sinceMs}/${untilMs}/${timeZone}`;
      const hit = ranged.find((r) => r.key === key && r.table === table);
      if (hit) return hit.rows;
      const span = hourSpan(db, hoursSinceMs);
      const exact = hourRowsExact(zoneCalendar(timeZone), { sinceMs: hoursSinceMs }, true, {
        fromMs: span?.firstHourMs ?? 0,
        toMs: span ? span.lastHourMs + HOUR_MS : 0,
      });
      let rows: RangedRows | null = null;
      if (exact) {
        const clock = zoneClock(timeZone);
        const cost = (t: TokenCounts, f: Fact) => costOf(t, f.model, f.tier, table);
        const factsSince = (ms: number) => this.factsSince(ms);
        const idle = new Map<string, readonly SessionIdleGaps[] | null>();
        rows = {
          // kept across data changes (the hours written since read again; core keptHours.ts), and so are the
          // writer's priced rows of the unchanged hours
          hours: writable
            ? keptRows(db, span ? keptHourFacts(db, hoursSinceMs) : [], timeZone, table, clock, cost)
            : enrich(span ? keptHourFacts(db, hoursSinceMs) : [], clock, cost),
          sessions: writable
            ? keptRows(db, keptSessionFacts(db, sinceMs, untilMs, dims), timeZone, table, clock, cost)
            : enrich(loadSessionFacts(db, { sinceMs, untilMs }, dims), clock, cost),
          // the idle re-writes the index keeps (brought up to date once per data version), per source and model filter
          idleGaps(filters) {
            if (pending === undefined) {
              // the writer stores the sessions computed again; a reader's copy only reads (the writer's rows arrive)
              if (writable) updateIdleGaps(db);
              pending = writable ? null : pendingIdleGaps(db);
            }
            const key = `${filters.source}\u0000${filters.model ?? ''}`;
            const filter = { source: filters.source, model: filters.model };
            // the writer's rows kept across snapshots (those of the sessions computed again read again)
            if (!idle.has(key)) idle.set(key, writable ? keptIdleGaps(db, sinceMs, untilMs, filter, committedDims(db)) : loadIdleGaps(db, sinceMs, untilMs, filter, committedDims(db), pending));
            return idle.get(key)!;
          },
          bucketFacts() {
            const since = factsSince(sinceMs);
            return since.slice(0, firstFactAtOrAfter(since, untilMs));
          },
        };
      }
      ranged = [{ key, table, rows }, ...ranged.slice(0, 1)];
      return rows;
    },
    claudeBlocks(table, now) {
      // the writer keeps the blocks across data changes (the newest read again)
      stored ??= writable ? keptStoredClaudeBlocks(db) : storedClaudeBlocks(db);
      return stored.map((b) => blockLikeFromStored(b, table, now));
    },
    estimatedDays() {
      if (estimated === undefined) estimated = loadEstimatedDays(db);
      return estimated;
    },
    detailFromMs: retentionDetailFrom(db),
    agentCost(sinceMs, untilMs) {
      const key = `${sinceMs}/${untilMs}`;
      if (agentCosts?.key !== key) agentCosts = { key, bySource: agentCostBySource(db, sinceMs, untilMs) };
      return agentCosts.bySource;
    },
  };
}

export interface SnapshotContext {
  filters: DashboardFilters;
  nowMs: number;
  locale: string;
  settings: AgentMeterSettings;
  status: UsageStatus;
  table: PriceTable;
  priceTableDate: string | null;
  /** the sessions table paged (snapshot.ts) */
  sessionPages?: SessionPagesInput;
  /**
   * every stored Claude block priced with `table` as of a time, when the caller keeps them already (the index engine's
   * plan-limit blocks, priced at the window's start: planBlocks.ts); else the data's own (`claudeBlocks`)
   */
  claudeBlockLikes?: (nowMs: number) => BlockLike[];
  /** the range's sessions and projects of the last snapshots, kept by the caller (the index engine) */
  groups?: KeptGroups;
}

/** A project's display path from the data's labels: one function per data, not one per snapshot. */
const labelers = new WeakMap<DashboardData, (project: string, source: Source) => string | undefined>();
function projectLabelOf(data: DashboardData): (project: string, source: Source) => string | undefined {
  let f = labelers.get(data);
  if (!f) {
    f = (project, source) => data.labels.get(`${source}\u0000${project}`);
    labelers.set(data, f);
  }
  return f;
}

export function snapshotFrom(data: DashboardData, c: SnapshotContext): DashboardSnapshot {
  const s = c.settings;
  const clock = zoneClock(s.timeZone);
  const today = clock(c.nowMs).day;
  const firstDay = firstDayOf(data.history, c.filters, clock);
  const range = resolveRange(c.filters, today, firstDay);
  const bounds = zoneCalendar(s.timeZone).dayRange(range.from, range.to);
  // the range views read the aggregates where they are exact (no project filter: the hourly rows have none)
  const ranged = c.filters.project === null ? data.rangedRows(factsSinceMs(c.filters, today, firstDay), bounds.sinceMs!, bounds.untilMs!, s.timeZone, c.table) : null;
  // otherwise a range from the first day with data reads every fact: load them first, the all-time sums come from them
  if (!ranged && (c.filters.range === 'all' || (c.filters.range === 'custom' && !c.filters.sinceDay))) void data.facts;
  const { facts, rows } = data.rowsSince(ranged ? recentSinceMs(today) : factsSinceMs(c.filters, today, firstDay), s.timeZone, c.table);
  const snapshot = buildSnapshot({
    facts,
    rows,
    ranged: ranged ?? undefined,
    history: data.history,
    projectLabel: projectLabelOf(data),
    filters: c.filters,
    nowMs: c.nowMs,
    locale: c.locale,
    settings: {
      timeZone: s.timeZone,
      weekStart: s.weekStart,
      currency: s.currency,
      budgets: {
        dailyUsd: s.budgets.dailyUsd, weeklyUsd: s.budgets.weeklyUsd, monthlyUsd: s.budgets.monthlyUsd,
        projectsMonthlyUsd: s.budgets.projectsMonthlyUsd, billingCycleStartDay: s.budgets.billingCycleStartDay,
      },
    },
    cost: (tokens, f) => costOf(tokens, f.model, f.tier, c.table),
    prices: c.table,
    // the cache figures of the facts kept across data changes are priced once per table
    cacheParts: keptCacheParts(c.table, (tokens, f) => safeCost((t, x) => costOf(t, x.model, x.tier, c.table), tokens, f)),
    // the idle re-writes kept across snapshots (the same events while none changed) are priced once per table
    idlePrices: keptIdlePrices(c.table, (tokens, f) => safeCost((t, x) => costOf(t, x.model, x.tier, c.table), tokens, f)),
    priceTableDate: c.priceTableDate,
    status: { ...c.status, searched: c.status.searched },
    rateLimits: data.rateLimits,
    sessionPages: c.sessionPages,
    groups: c.groups,
  });
  const est = data.estimatedDays();
  if (est) {
    const view = estimatesView(est, snapshot, c.filters, c.table);
    if (view) snapshot.estimates = view;
  }
  // the agents' own estimates beside ours (they are per source and time only: not under a project or model filter)
  if (c.filters.project === null && c.filters.model === null) {
    const own = data.agentCost(bounds.sinceMs!, bounds.untilMs!);
    for (const b of snapshot.bySource) {
      const v = own.get(b.source);
      if (v !== undefined) b.agentCostUSD = v;
    }
  }
  // retention: the range reaches back before the detail kept (finer views show those days as daily rows)
  if (data.detailFromMs !== null && (bounds.sinceMs === undefined || bounds.sinceMs < data.detailFromMs)) {
    snapshot.detailFrom = { ms: data.detailFromMs, day: clock(data.detailFromMs).day, reason: data.detailReason ?? 'retention' };
  }
  try {
    const recentCut = recentSinceMs(today);
    // the Claude facts with the costs their rows hold (the same as pricing them again with the table)
    const claude = rowsCost(rows.filter((r) => r.f.bucketStartMs >= recentCut && isPlanFact(r.f)));
    snapshot.claudeBlocks = claudeBlocksView(c.claudeBlockLikes?.(c.nowMs) ?? data.claudeBlocks(c.table, c.nowMs), claude.facts, c.table, c.nowMs, s.claudePlan,
      data.limitResets, { timeZone: s.timeZone, weekStart: s.weekStart }, createTranslator(c.locale), claude.cost);
  } catch {
    snapshot.claudeBlocks = null;
  }
  return snapshot;
}

/** Finds the log file of a session in the index's file list (read-only query): `<session>.jsonl` of that source. */
export function sessionLogPath(db: Database | undefined, source: Source, session: string): string | null {
  return db ? findSessionLogPath(db, source, session) : null;
}
