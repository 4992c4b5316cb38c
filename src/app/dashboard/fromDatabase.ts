/**
 * Reads what the dashboard needs from the index (read-only) and builds the snapshot. No vscode import: tested
 * with a real sql.js database. Facts are loaded once per data version and reused for filter changes.
 */
import type { Database } from 'sql.js';
import { loadAllFacts } from '../../core/query/allFacts';
import { findSessionLogPath } from '../../core/query/files';
import { loadLimitResets, loadProjects, loadRateLimitSamples } from '../../core/query/facts';
import { costOf } from '../../core/pricing/costOf';
import type { PriceTable } from '../../core/pricing/priceTable';
import type { Fact, LimitReset, RateLimitSnapshot, Source } from '../../core/types';
import type { DashboardFilters, DashboardSnapshot } from '../../shared/protocol';
import type { AgentMeterSettings, UsageStatus } from '../settings';
import { buildSnapshot } from './snapshot';
import { claudeBlocks } from './claudeBlocks';

const QUOTA_HISTORY_MS = 8 * 24 * 3600 * 1000;

export interface DashboardData {
  facts: Fact[];
  labels: Map<string, string>;
  rateLimits: RateLimitSnapshot[];
  limitResets: LimitReset[];
}

/** Loads facts, project display paths and recent Codex rate-limit samples; empty data when there is no database. */
export function loadDashboardData(db: Database | undefined, nowMs: number): DashboardData {
  if (!db) return { facts: [], labels: new Map(), rateLimits: [], limitResets: [] };
  const labels = new Map<string, string>();
  for (const p of loadProjects(db)) labels.set(p.source + '\u0000' + p.project, p.displayPath);
  return { facts: loadAllFacts(db), labels, rateLimits: loadRateLimitSamples(db, nowMs - QUOTA_HISTORY_MS), limitResets: loadLimitResets(db, nowMs - QUOTA_HISTORY_MS) };
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
  const snapshot = buildSnapshot({
    facts: data.facts,
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
    snapshot.claudeBlocks = claudeBlocks(data.facts, c.table, c.nowMs, s.claudePlan, data.limitResets, { timeZone: s.timeZone, weekStart: s.weekStart });
  } catch {
    snapshot.claudeBlocks = null;
  }
  return snapshot;
}

/** Finds the log file of a session in the index's file list (read-only query): `<session>.jsonl` of that source. */
export function sessionLogPath(db: Database | undefined, source: Source, session: string): string | null {
  return db ? findSessionLogPath(db, source, session) : null;
}
