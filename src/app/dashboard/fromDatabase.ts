/**
 * Reads what the dashboard needs from the index (read-only, but for bringing the stored Claude blocks up to date)
 * and builds the snapshot. No vscode import: tested with a real sql.js database. Per data version: usage summed by
 * dims (the all-time figures), the facts of the recent days a snapshot shows (reused for filter and range
 * changes that need no older ones) and the index's stored Claude blocks (brought up to date once; priced and judged
 * active per snapshot, as core `loadClaudeBlockLikes` does).
 */
import type { Database } from 'sql.js';
import { loadAllFacts } from '../../core/query/allFacts';
import type { BlockLike } from '../../core/limits/blockLike';
import { blockLikeFromStored } from '../../core/limits/fromStoredBlock';
import type { StoredBlock } from '../../core/store/claudeBlocks';
import { storedClaudeBlocks } from '../../core/query/claudeBlocks';
import { loadDimTotals } from '../../core/query/dimTotals';
import { committedDims } from '../../core/query/committedDims';
import { findSessionLogPath } from '../../core/query/files';
import { loadLimitResets, loadProjects, loadRateLimitSamples } from '../../core/query/facts';
import { costOf } from '../../core/pricing/costOf';
import type { PriceTable } from '../../core/pricing/priceTable';
import { zoneClock } from '../../core/report/tz';
import type { Fact, LimitReset, RateLimitSnapshot, Source } from '../../core/types';
import type { DashboardFilters, DashboardSnapshot } from '../../shared/protocol';
import type { AgentMeterSettings, UsageStatus } from '../settings';
import { buildSnapshot } from './snapshot';
import { enrich, type Row } from './enrich';
import { claudeBlocksView, isPlanFact } from './claudeBlocks';
import { factsSinceMs, firstDayOf, historyOf, historyOfFacts, recentSinceMs, type SnapshotHistory } from './history';
import { firstFactAtOrAfter } from '../../core/report/factsFrom';

const QUOTA_HISTORY_MS = 8 * 24 * 3600 * 1000;

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
  /** every Claude block of history (no gap blocks), priced with `table`, active or not as of `nowMs` */
  claudeBlocks(table: PriceTable, nowMs: number): BlockLike[];
}

/** Loads project display paths, usage summed by dims and recent Codex rate-limit samples; empty data when there is no database. */
export function loadDashboardData(db: Database | undefined, nowMs: number): DashboardData {
  const labels = new Map<string, string>();
  if (!db) {
    return {
      facts: [], labels, rateLimits: [], limitResets: [], history: { groups: [] }, factsSince: () => [],
      rowsSince: () => ({ facts: [], rows: [] }), claudeBlocks: () => [],
    };
  }
  for (const p of loadProjects(db)) labels.set(p.source + '\u0000' + p.project, p.displayPath);
  const dims = committedDims(db);
  let all: Fact[] | undefined;
  let history: SnapshotHistory | undefined;
  let recent: { sinceMs: number; facts: Fact[] } | undefined;
  let stored: StoredBlock[] | undefined;
  let enriched: { sinceMs: number; timeZone: string; table: PriceTable; facts: Fact[]; rows: Row[] } | undefined;
  return {
    get facts() {
      return (all ??= loadAllFacts(db, undefined, dims));
    },
    labels,
    rateLimits: loadRateLimitSamples(db, nowMs - QUOTA_HISTORY_MS),
    limitResets: loadLimitResets(db, nowMs - QUOTA_HISTORY_MS),
    // usage summed by dims, or from every fact when they are loaded anyway (a range from the first day with data)
    get history() {
      return (history ??= all ? historyOfFacts(all) : historyOf(loadDimTotals(db), dims));
    },
    factsSince(sinceMs) {
      if (!recent || sinceMs < recent.sinceMs) recent = { sinceMs, facts: all ? all.slice(firstFactAtOrAfter(all, sinceMs)) : loadAllFacts(db, sinceMs, dims) };
      return recent.facts.slice(firstFactAtOrAfter(recent.facts, sinceMs));
    },
    rowsSince(sinceMs, timeZone, table) {
      const e = enriched;
      if (e && e.sinceMs === sinceMs && e.timeZone === timeZone && e.table === table) return e;
      const facts = this.factsSince(sinceMs);
      enriched = { sinceMs, timeZone, table, facts, rows: enrich(facts, zoneClock(timeZone), (t, f) => costOf(t, f.model, f.tier, table)) };
      return enriched;
    },
    claudeBlocks(table, now) {
      stored ??= storedClaudeBlocks(db);
      return stored.map((b) => blockLikeFromStored(b, table, now));
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
}

export function snapshotFrom(data: DashboardData, c: SnapshotContext): DashboardSnapshot {
  const s = c.settings;
  const clock = zoneClock(s.timeZone);
  const today = clock(c.nowMs).day;
  // a range from the first day with data reads every fact: load them first, the all-time sums come from them
  if (c.filters.range === 'all' || (c.filters.range === 'custom' && !c.filters.sinceDay)) void data.facts;
  const { facts, rows } = data.rowsSince(factsSinceMs(c.filters, today, firstDayOf(data.history, c.filters, clock)), s.timeZone, c.table);
  const snapshot = buildSnapshot({
    facts,
    rows,
    history: data.history,
    projectLabel: (project: string, source: Source) => data.labels.get(source + '\u0000' + project),
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
    priceTableDate: c.priceTableDate,
    status: { ...c.status, claudeRoots: c.status.claudeRoots, codexRoots: c.status.codexRoots },
    rateLimits: data.rateLimits,
  });
  try {
    const recentCut = recentSinceMs(today);
    const claude = facts.filter((f) => f.bucketStartMs >= recentCut && isPlanFact(f));
    snapshot.claudeBlocks = claudeBlocksView(data.claudeBlocks(c.table, c.nowMs), claude, c.table, c.nowMs, s.claudePlan,
      data.limitResets, { timeZone: s.timeZone, weekStart: s.weekStart });
  } catch {
    snapshot.claudeBlocks = null;
  }
  return snapshot;
}

/** Finds the log file of a session in the index's file list (read-only query): `<session>.jsonl` of that source. */
export function sessionLogPath(db: Database | undefined, source: Source, session: string): string | null {
  return db ? findSessionLogPath(db, source, session) : null;
}
