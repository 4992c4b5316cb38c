import { hourOf } from '../query/activityFacts';
import type { Fact, Source, Tier } from '../types';
import type { TeamQueryable } from './types';
import { SUM_COLUMNS, tokenCountsOf, type TokenColumns } from './sumColumns';

/**
 * Reads of the team database's cost by activity (activity_hours, team schema 2), summed on the server per (source,
 * model, tier, activity) over the hours of a range — without member and machine, so a lead's read of 100 members
 * costs a row per activity and model, not per member, machine and hour. Sums are exact (bigint `sum`). Row-level
 * security decides which rows a login reads. The range's bounds move to the start of the UTC hour that holds them,
 * as the local read does (core/query/activityFacts.ts `loadActivityFacts`), so one machine's team read equals its
 * local one.
 */
export interface TeamActivityFilter {
  /** hours starting at or after the UTC hour that holds sinceMs */
  sinceMs?: number;
  /** hours starting before the UTC hour that holds untilMs */
  untilMs?: number;
  /** only this member's rows (every row the login may read when absent) */
  member?: string;
}

const HOUR_MS = 3_600_000;

interface ActivityRow extends TokenColumns {
  source: string; model: string; tier: string; activity: string; first_hour: string; last_hour: string;
}

/**
 * One fact per (source, model, tier, activity), as `loadActivityFacts` gives them: bucketStartMs/firstMs its first
 * hour's start, lastMs the end of its last hour; project, session and branch ''. Ordered by first hour, then the key.
 */
export async function loadTeamActivityFacts(c: TeamQueryable, f: TeamActivityFilter = {}): Promise<Fact[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.sinceMs !== undefined) {
    params.push(hourOf(f.sinceMs));
    where.push(`hour_ms >= $${params.length}`);
  }
  if (f.untilMs !== undefined) {
    params.push(hourOf(f.untilMs));
    where.push(`hour_ms < $${params.length}`);
  }
  if (f.member !== undefined) {
    params.push(f.member);
    where.push(`member = $${params.length}`);
  }
  const r = await c.query<ActivityRow>(
    `SELECT source, model, tier, activity, min(hour_ms) AS first_hour, max(hour_ms) AS last_hour,
       ${SUM_COLUMNS}
     FROM agentmeter.activity_hours ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     GROUP BY source, model, tier, activity
     ORDER BY first_hour, source, model, tier, activity`,
    params,
  );
  return r.rows.map((x) => ({
    bucketStartMs: Number(x.first_hour), firstMs: Number(x.first_hour), lastMs: Number(x.last_hour) + HOUR_MS - 1,
    source: x.source as Source, model: x.model, project: '', session: '', branch: '', tier: x.tier as Tier, activity: x.activity,
    ...tokenCountsOf(x),
  }));
}
