/**
 * What a report reads from the index: the facts of its period and scope, the project display paths, the index's
 * counters, sessions whose usage is unknown, the days Claude Code's stats cache estimates, the agents' own cost
 * figures and the newest Codex quota sample. The same core queries `agentmeter report` uses; run by the CLI on its
 * opened index and by the index worker on the extension's (never by the host thread).
 */
import type { Database } from 'sql.js';
import { loadCounters, loadFacts, loadLatestRateLimits, loadProjects } from '../../core/query/facts';
import { loadEstimatedDays } from '../../core/query/estimatedDays';
import { estimatedDaysIn } from '../../core/report/estimates';
import { agentCostBySource } from '../../core/store/keyedCalls';
import { unknownUsageSessions } from '../../core/store/unknownUsage';
import { SOURCE_IDS } from '../../core/sources/registry';
import type { EstimatedDayUsage } from '../../core/sources/claude/statsCache';
import type { Fact, RateLimitSnapshot, Source } from '../../core/types';
import type { ReportPeriod } from './period';

export interface ReportScope {
  /** the sources reported; empty or every source = all */
  sources: Source[];
  /** one project (its key or display path), else all */
  project?: string;
}

export interface ReportData {
  facts: Fact[];
  /** `source\0project` → display path */
  displayPaths: Record<string, string>;
  skipped: { malformedLines: number; duplicateLines: number };
  unknownUsage: Record<string, number>;
  /** estimated (day, model) usage of days no Claude log covers, within the period (never in the exact figures) */
  estimatedDays: EstimatedDayUsage[];
  agentCostUSD: Record<string, number>;
  latestQuota: RateLimitSnapshot | null;
}

export function scopedSources(scope: ReportScope): Source[] {
  return scope.sources.length ? SOURCE_IDS.filter((s) => scope.sources.includes(s)) : [...SOURCE_IDS];
}

export function gatherReportData(db: Database, period: ReportPeriod, scope: ReportScope): ReportData {
  const sources = scopedSources(scope);
  const one = sources.length === 1 ? sources[0] : undefined;
  const displayPaths: Record<string, string> = {};
  for (const p of loadProjects(db)) displayPaths[`${p.source}\u0000${p.project}`] = p.displayPath;
  let facts = loadFacts(db, { sinceMs: period.sinceMs, untilMs: period.untilMs, source: one });
  if (sources.length < SOURCE_IDS.length) facts = facts.filter((f) => sources.includes(f.source));
  const project = scope.project;
  if (project !== undefined) facts = facts.filter((f) => f.project === project || displayPaths[`${f.source}\u0000${f.project}`] === project);
  const counters = loadCounters(db);
  const unknownUsage = Object.fromEntries(Object.entries(unknownUsageSessions(db)).filter(([s]) => sources.includes(s)));
  const estimatedDays = sources.includes('claude') && project === undefined ? estimatedDaysIn(loadEstimatedDays(db).days, period.since, period.until) : [];
  const agentCostUSD = Object.fromEntries(
    [...agentCostBySource(db, period.sinceMs ?? Number.MIN_SAFE_INTEGER, period.untilMs ?? Number.MAX_SAFE_INTEGER)].filter(([s]) => sources.includes(s)),
  );
  return {
    facts,
    displayPaths,
    skipped: { malformedLines: counters.malformedLines, duplicateLines: counters.duplicateLines },
    unknownUsage,
    estimatedDays,
    agentCostUSD,
    latestQuota: sources.includes('codex') ? loadLatestRateLimits(db) : null,
  };
}
