/**
 * A team-scope report's data (issue 17 §2): the team database's facts (session '', plus member and machine) as the
 * report model's `ReportData`, narrowed to the report's sources and project like the local index's. The team
 * database holds no counters, no unknown-usage sessions, no estimated days, no agents' own costs and no quota:
 * those parts stay empty. Used by `agentmeter report --team` and by the index worker's team report.
 */
import type { TeamFact } from '../../core/team/types';
import { scopedSources, type ReportData, type ReportScope } from './gather';

export function teamReportData(facts: readonly TeamFact[], scope: ReportScope = { sources: [] }): ReportData {
  const sources = scopedSources(scope);
  let kept = scope.sources.length ? facts.filter((f) => sources.includes(f.source)) : [...facts];
  if (scope.project !== undefined) kept = kept.filter((f) => f.project === scope.project);
  return {
    facts: kept,
    displayPaths: {},
    skipped: { malformedLines: 0, duplicateLines: 0 },
    unknownUsage: {},
    estimatedDays: [],
    agentCostUSD: {},
    latestQuota: null,
  };
}
