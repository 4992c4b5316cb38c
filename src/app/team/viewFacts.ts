/**
 * What the dashboard's team scopes read from the team database: the facts a snapshot needs, summed on the server to
 * the grain shown — whole local days (of the dashboard's zone) before the last TEAM_DETAIL_DAYS, hours (or the pushed
 * 15-minute buckets where the zone's offsets are not whole hours) within them — and the all-time groups. A lead's
 * view of a large team then reads rows per day and member, not per bucket, branch and activity; every day's, week's
 * and month's sums stay exact. Finer views before the detail show those days as daily rows (as after retention).
 */
import { hourRowsExact } from '../../core/query/hourRowsExact';
import { addDays, localDayStarts, localParts, startOfLocalDay, zoneCalendar } from '../../core/report/tz';
import type { TeamFact } from '../../core/team/types';
import { addTokens } from '../../core/types';
import { firstFactAtOrAfter } from '../../core/report/factsFrom';
import { historyOfFacts } from '../dashboard/history';
import { loadTeamDayFacts, loadTeamHistory, loadTeamStepFacts, type TeamHistoryRow } from '../../core/team/viewRead';
import type { TeamConnection } from './connect';

/** Local days (today included) read at hourly or 15-minute grain; older days are read as days. */
export const TEAM_DETAIL_DAYS = 8;
const HOUR_MS = 3_600_000;

export interface TeamViewFacts {
  /** ordered by bucket start (day rows at their local day's start, then the detail) */
  facts: TeamFact[];
  /** where the detail begins (a local day start) */
  detailFromMs: number;
  /** the first instant the facts cover (a local day start at or before the `sinceMs` asked for) */
  sinceMs: number;
}

/** The start of the local day TEAM_DETAIL_DAYS - 1 days before the one holding `nowMs`. */
export function teamDetailFrom(nowMs: number, timeZone: string): number {
  const tz = zoneCalendar(timeZone).timeZone;
  return startOfLocalDay(addDays(localParts(nowMs, tz), -(TEAM_DETAIL_DAYS - 1)), tz);
}

/** The facts from `sinceMs` on for one member (`member`) or every row the login may read. */
export async function readTeamViewFacts(
  conn: TeamConnection, q: { member?: string; sinceMs: number; nowMs: number; timeZone: string },
): Promise<TeamViewFacts> {
  const detailFromMs = teamDetailFrom(q.nowMs, q.timeZone);
  const cal = zoneCalendar(q.timeZone);
  const hourly = hourRowsExact(cal, { sinceMs: detailFromMs }, true, { fromMs: detailFromMs, toMs: Math.ceil((q.nowMs + 1) / HOUR_MS) * HOUR_MS + HOUR_MS }) !== null;
  const member = q.member;
  let days: TeamFact[] = [];
  let sinceMs = detailFromMs;
  if (q.sinceMs < detailFromMs) {
    const starts = localDayStarts(q.sinceMs, detailFromMs, q.timeZone);
    sinceMs = starts[0]!;
    days = await loadTeamDayFacts(conn.client, { member, dayStarts: starts });
  }
  const detail = await loadTeamStepFacts(conn.client, { member, sinceMs: detailFromMs, stepMs: hourly ? HOUR_MS : 900_000 });
  return { facts: days.concat(detail), detailFromMs, sinceMs };
}

/** The groups of one member's buckets, or of every bucket the login may read, before `untilMs` (all when absent). */
export function readTeamHistory(conn: TeamConnection, member?: string, untilMs?: number): Promise<TeamHistoryRow[]> {
  return loadTeamHistory(conn.client, { member, untilMs });
}

/**
 * Where the team view's all-time groups split: buckets before it are summed by one scan kept for a while (their rows
 * change only when a machine pushes its history for the first time or corrects a bucket that old), buckets from it
 * on come from the facts every snapshot reads anyway. The start of the local day 70 days before today: never before
 * the facts' first bucket (history.ts `recentSinceMs`: 72 UTC days back), in any zone.
 */
export function teamHistoryCut(nowMs: number, timeZone: string): number {
  const tz = zoneCalendar(timeZone).timeZone;
  return startOfLocalDay(addDays(localParts(nowMs, tz), -70), tz);
}

const groupKey = (g: { source: string; project: string; model: string; tier: string }) => `${g.source}\u0000${g.project}\u0000${g.model}\u0000${g.tier}`;

/**
 * The all-time groups: `old` (the buckets before `cutMs`) plus the groups of the facts from `cutMs` on (the
 * dashboard's `historyOfFacts`), which must cover every bucket from there (a day row counts from its local day's
 * start: first buckets are used to the day). Ordered by first bucket, then source, project, model and tier.
 */
export function withRecentGroups(old: readonly TeamHistoryRow[], facts: readonly TeamFact[], cutMs: number): TeamHistoryRow[] {
  const by = new Map<string, TeamHistoryRow>(old.map((g) => [groupKey(g), { ...g }]));
  for (const { firstDim: _order, ...r } of historyOfFacts(facts.slice(firstFactAtOrAfter(facts, cutMs))).groups) {
    const g = by.get(groupKey(r));
    if (!g) {
      by.set(groupKey(r), r);
      continue;
    }
    addTokens(g, r);
    g.firstBucketMs = Math.min(g.firstBucketMs, r.firstBucketMs);
    if (r.firstBilledBucketMs !== null && (g.firstBilledBucketMs === null || r.firstBilledBucketMs < g.firstBilledBucketMs)) g.firstBilledBucketMs = r.firstBilledBucketMs;
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...by.values()].sort((a, b) => a.firstBucketMs - b.firstBucketMs || cmp(groupKey(a), groupKey(b)));
}
