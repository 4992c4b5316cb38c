/**
 * Estimated days (Claude Code's stats cache, query/estimatedDays.ts) in reports: as facts for `groupFacts`, and their
 * rows merged with the exact rows. Estimated rows stay rows of their own (`estimated: true`): an exact row's figures
 * never include an estimate.
 */
import type { EstimatedDayUsage } from '../sources/claude/statsCache';
import { bucketOf, type Fact } from '../types';
import type { GroupBy, GroupedRow } from './group';
import { zoneCalendar } from './tz';

/** The groupings estimated days can be shown in (they have a date and a model, no session, project, branch or hour). */
export const ESTIMATE_GROUPINGS: ReadonlySet<GroupBy> = new Set(['day', 'week', 'month', 'model', 'source']);

const HOUR_MS = 3_600_000;

/** Estimated days whose date lies in [since, until] (`YYYY-MM-DD`, either open), compared as dates. */
export function estimatedDaysIn<T extends { date: string }>(days: readonly T[], since?: string, until?: string): T[] {
  return days.filter((d) => (!since || d.date >= since) && (!until || d.date <= until));
}

/**
 * Estimated days as Claude facts: each at local noon of its date in `timeZone`, so that its day, week and month keys
 * are the date as Claude Code wrote it (a UTC day) in any zone, not shifted by the zone's offset; no entry time
 * (`firstMs`/`lastMs` 0: JSON `firstTimestamp` null), no request count (0: unknown), cache writes priced as 5-minute
 * writes (the stats cache does not split them by TTL), tier standard; no project, session or branch.
 */
export function estimatedFacts(days: readonly EstimatedDayUsage[], timeZone: string): Fact[] {
  const cal = zoneCalendar(timeZone);
  return days.map((d) => ({
    source: 'claude',
    model: d.model,
    project: '',
    session: '',
    branch: '',
    tier: 'standard',
    bucketStartMs: bucketOf(cal.startOfDay(d.date) + 12 * HOUR_MS),
    firstMs: 0,
    lastMs: 0,
    input: d.input,
    output: d.output,
    cacheWrite5m: d.cacheCreation,
    cacheWrite1h: 0,
    cacheRead: d.cacheRead,
    reasoning: 0,
    webSearch: 0,
    requests: 0,
  }));
}

const TIME_GRAINS: ReadonlySet<GroupBy> = new Set(['day', 'week', 'month']);

/**
 * Exact rows (marked `estimated: false`) and estimated rows (`estimated: true`) in one list: by time grain, merged by
 * key (an exact row before an estimated row of the same key); otherwise the estimated rows after the exact ones, each
 * list in its own order.
 */
export function mergeEstimatedRows(exact: readonly GroupedRow[], estimated: readonly GroupedRow[], by: GroupBy): GroupedRow[] {
  const ex = exact.map((r) => ({ ...r, estimated: false }));
  const es = estimated.map((r) => ({ ...r, estimated: true }));
  if (!TIME_GRAINS.has(by)) return [...ex, ...es];
  const out: GroupedRow[] = [];
  let i = 0;
  let j = 0;
  while (i < ex.length || j < es.length) {
    if (j >= es.length || (i < ex.length && ex[i].key <= es[j].key)) out.push(ex[i++]);
    else out.push(es[j++]);
  }
  return out;
}
