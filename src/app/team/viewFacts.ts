/**
 * What the dashboard's team scopes read from the team database: the facts a snapshot needs, summed on the server to
 * the grain shown — whole local days (of the dashboard's zone) before the last TEAM_DETAIL_DAYS, hours (or the pushed
 * 15-minute buckets where the zone's offsets are not whole hours) within them — and the all-time groups. A lead's
 * view of a large team then reads rows per day and member, not per bucket, branch and activity; every day's, week's
 * and month's sums stay exact. Finer views before the detail show those days as daily rows (as after retention).
 */
import { hourRowsExact } from '../../core/query/hourRowsExact';
import { addDays, localParts, startOfLocalDay, zoneCalendar, type LocalDate } from '../../core/report/tz';
import type { TeamFact } from '../../core/team/types';
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

/** The starts of the local days from the one holding `fromMs` up to `toMs` (a day start), `toMs` last. */
export function localDayStarts(fromMs: number, toMs: number, timeZone: string): number[] {
  const tz = zoneCalendar(timeZone).timeZone;
  let date: LocalDate = localParts(fromMs, tz);
  let start = startOfLocalDay(date, tz);
  const out: number[] = [];
  while (start < toMs) {
    out.push(start);
    date = addDays(date, 1);
    start = startOfLocalDay(date, tz);
  }
  out.push(toMs);
  return out;
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

/** The all-time groups of one member or of every row the login may read. */
export function readTeamHistory(conn: TeamConnection, member?: string): Promise<TeamHistoryRow[]> {
  return loadTeamHistory(conn.client, { member });
}
