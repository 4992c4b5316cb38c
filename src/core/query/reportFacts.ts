import type { Database } from 'sql.js';
import type { GroupBy } from '../report/group';
import { zoneCalendar } from '../report/tz';
import type { Fact, Source } from '../types';
import { hourSpan, loadGroupableFacts, loadSessionFacts, type HourGrain } from './aggregates';
import { loadFacts } from './facts';
import { hourRowsExact } from './hourRowsExact';

const HOUR_MS = 3_600_000;

/** Groupings keyed by local time (their keys depend on the zone's offsets). */
const LOCAL_KEYS: ReadonlySet<GroupBy> = new Set(['day', 'week', 'month', 'hour', 'weekday']);

export interface ReportFactsQuery {
  by: GroupBy;
  timeZone: string;
  sinceMs?: number;
  untilMs?: number;
  source?: Source;
}

/** Groupings answered from session_totals (they read the project or the branch, which the hourly rows do not have). */
const SESSION_KEYS: ReadonlySet<GroupBy> = new Set(['session', 'project', 'branch']);

/** Which rows answered: the hourly aggregates, the per-session totals, or the 15-minute usage rows. */
export type FactsPath = 'hours' | 'sessions' | 'buckets';

/**
 * The facts a grouped report (report/group.ts `groupFacts`) needs, read from the smallest table that gives the same
 * report rows: `--by session`, `project` and `branch` from session_totals (and the 15-minute rows of the dims rows that
 * straddle a range bound); the other groupings from usage_hours, summed per grouping, when hourRowsExact allows it,
 * else from the 15-minute rows (loadFacts).
 */
export function loadReportFacts(db: Database, q: ReportFactsQuery): { facts: Fact[]; path: FactsPath } {
  const filter = { sinceMs: q.sinceMs, untilMs: q.untilMs, source: q.source };
  if (SESSION_KEYS.has(q.by)) return { facts: loadSessionFacts(db, filter), path: 'sessions' };
  const span = hourSpan(db, q.sinceMs, q.untilMs);
  const segments = hourRowsExact(zoneCalendar(q.timeZone), filter, LOCAL_KEYS.has(q.by), {
    fromMs: span?.firstHourMs ?? 0,
    toMs: span ? span.lastHourMs + HOUR_MS : 0,
  });
  if (!segments) return { facts: loadFacts(db, filter), path: 'buckets' };
  return { facts: span ? loadGroupableFacts(db, q.by as HourGrain, filter, segments) : [], path: 'hours' };
}
