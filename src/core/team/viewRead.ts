import type { Source, Tier, TokenCounts } from '../types';
import type { TeamFact, TeamQueryable } from './types';
import { SUM_COLUMNS, tokenCountsOf, type TokenColumns } from './sumColumns';

/**
 * The team view's reads (the dashboard's Team and Me-all scopes): the team database summed on the server to the
 * grain the view shows, so that a lead's view of 100 members' year costs rows per (day, member, machine, source,
 * model, project, tier), not per 15-minute bucket, branch and activity. Sums are exact (bigint `sum`); only the grain
 * changes. Row-level security still decides which rows a login reads.
 */

/** Whose rows: every row the login may read, or one member's. */
export interface TeamViewFilter {
  member?: string;
}

/** Which buckets: those starting before `untilMs` (all when absent). */
export interface TeamHistoryFilter extends TeamViewFilter {
  untilMs?: number;
}

/** All-time sums of one (source, project, model, tier), with its first bucket and its first bucket with billed tokens. */
export interface TeamHistoryRow extends TokenCounts {
  source: Source;
  project: string;
  model: string;
  tier: Tier;
  firstBucketMs: number;
  firstBilledBucketMs: number | null;
}

function memberWhere(f: TeamViewFilter, params: unknown[]): string {
  if (f.member === undefined) return '';
  params.push(f.member);
  return ` AND member = $${params.length}`;
}

/**
 * The groups of every bucket before `untilMs` (the dashboard's filter options, first day and all-time card), ordered
 * by first bucket. A scan of those rows: the team view keeps them for a while (app/team/viewFacts.ts).
 */
export async function loadTeamHistory(c: TeamQueryable, f: TeamHistoryFilter = {}): Promise<TeamHistoryRow[]> {
  const params: unknown[] = [];
  let where = memberWhere(f, params);
  if (f.untilMs !== undefined) {
    params.push(f.untilMs);
    where += ` AND bucket_ms < $${params.length}`;
  }
  const r = await c.query<TokenColumns & { source: string; project: string; model: string; tier: string; first_bucket: string; first_billed: string | null }>(
    `SELECT source, project, model, tier, ${SUM_COLUMNS}, min(bucket_ms) AS first_bucket,
       min(bucket_ms) FILTER (WHERE input + output + cw5m + cw1h + cache_read > 0) AS first_billed
     FROM agentmeter.usage WHERE true${where}
     GROUP BY source, project, model, tier
     ORDER BY first_bucket, source, project, model, tier`,
    params,
  );
  return r.rows.map((x) => ({
    source: x.source as Source, project: x.project, model: x.model, tier: x.tier as Tier, ...tokenCountsOf(x),
    firstBucketMs: Number(x.first_bucket), firstBilledBucketMs: x.first_billed === null ? null : Number(x.first_billed),
  }));
}

type FactRow = TokenColumns & { member: string; machine: string; b: string; source: string; model: string; project: string; tier: string; first_ms: string; last_ms: string };

function toFact(x: FactRow, bucketStartMs: number): TeamFact {
  return {
    bucketStartMs, firstMs: Number(x.first_ms), lastMs: Number(x.last_ms),
    source: x.source as Source, model: x.model, project: x.project, session: '', branch: '', tier: x.tier as Tier,
    ...tokenCountsOf(x), member: x.member, machine: x.machine, activity: '',
  };
}

/** grouped by these; ordered by bucket first (the snapshot's facts are ordered by bucket) */
const GROUP = 'b, member, machine, source, model, project, tier';

/**
 * Usage summed per day: `dayStarts` are the instants where the days begin, ascending, the last one the end of the
 * last day. A fact per (day, member, machine, source, model, project, tier) at its day's start, branch and activity
 * summed; ordered by day, then the grouping columns.
 */
export async function loadTeamDayFacts(c: TeamQueryable, f: TeamViewFilter & { dayStarts: readonly number[] }): Promise<TeamFact[]> {
  const starts = f.dayStarts;
  if (starts.length < 2) return [];
  const params: unknown[] = [starts.slice(0, -1), starts[0], starts[starts.length - 1]];
  const where = memberWhere(f, params);
  const r = await c.query<FactRow>(
    `SELECT member, machine, width_bucket(bucket_ms, $1::bigint[]) AS b, source, model, project, tier, ${SUM_COLUMNS},
       min(first_ms) AS first_ms, max(last_ms) AS last_ms
     FROM agentmeter.usage WHERE bucket_ms >= $2 AND bucket_ms < $3${where}
     GROUP BY ${GROUP} ORDER BY ${GROUP}`,
    params,
  );
  // width_bucket: 1 for [starts[0], starts[1]), … (bucket_ms ≥ starts[0], so never 0)
  return r.rows.map((x) => toFact(x, starts[Number(x.b) - 1]!));
}

/**
 * Usage from `sinceMs` on, summed per `stepMs` (900 000: the 15-minute buckets as pushed; 3 600 000: UTC hours, where
 * the zone's offsets are whole hours) and per (member, machine, source, model, project, tier); ordered by bucket.
 */
export async function loadTeamStepFacts(c: TeamQueryable, f: TeamViewFilter & { sinceMs: number; stepMs: 900_000 | 3_600_000 }): Promise<TeamFact[]> {
  const params: unknown[] = [f.sinceMs, f.stepMs];
  const where = memberWhere(f, params);
  const r = await c.query<FactRow>(
    `SELECT member, machine, bucket_ms - bucket_ms % $2::bigint AS b, source, model, project, tier, ${SUM_COLUMNS},
       min(first_ms) AS first_ms, max(last_ms) AS last_ms
     FROM agentmeter.usage WHERE bucket_ms >= $1${where}
     GROUP BY ${GROUP} ORDER BY ${GROUP}`,
    params,
  );
  return r.rows.map((x) => toFact(x, Number(x.b)));
}
