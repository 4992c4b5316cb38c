import type { Database, SqlValue } from 'sql.js';
import type { Fact, Source, Tier } from '../types';
import { NO_SESSION } from './aggregates';

/**
 * Reads of the cost-by-activity aggregate (store/usageActivity.ts): usage summed per (UTC hour, source, model, tier,
 * activity). It has no project, session or branch: a report by activity can be filtered by period, source and model
 * only.
 */
export interface ActivityFilter {
  /** hours starting at or after the UTC hour that holds sinceMs */
  sinceMs?: number;
  /** hours starting before the UTC hour that holds untilMs */
  untilMs?: number;
  /** these sources only (all when absent) */
  sources?: readonly Source[];
  model?: string;
}

const HOUR_MS = 3_600_000;

/** The UTC hour that holds `ms`: a range bound inside an hour (a time zone with a half-hour offset) moves to it. */
export const hourOf = (ms: number): number => ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS);

/**
 * One fact per (source, model, tier, activity) over the hours of the range, ordered by its first hour (then its
 * hour key and activity id): bucketStartMs/firstMs its first hour's start, lastMs the end of its last hour; project,
 * session and branch are ''; `activity` the activity key ('' unknown). A range bound inside a UTC hour is taken to
 * the start of that hour (an hour is counted whole, in the range its start is moved to): in a zone with a half-hour
 * offset the activity split at a day's edge is by UTC hour.
 */
export function loadActivityFacts(db: Database, f: ActivityFilter = {}): Fact[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.sinceMs !== undefined) {
    where.push('hour >= ?');
    params.push(hourOf(f.sinceMs));
  }
  if (f.untilMs !== undefined) {
    where.push('hour < ?');
    params.push(hourOf(f.untilMs));
  }
  const group = activityGrouper(db, f);
  const stmt = db.prepare(`SELECT ${ACT_COLS} FROM usage_acts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`);
  try {
    stmt.bind(params);
    while (stmt.step()) group.add(stmt.get() as number[]);
  } finally {
    stmt.free();
  }
  return group.facts();
}

/** The columns of a usage_acts row as `activityFactsOfRows` takes them (and in the order of its primary key). */
export const ACT_COLS = 'hour, key, act, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests';

/**
 * `loadActivityFacts` over usage_acts rows already read (`ACT_COLS`, in primary-key order: hour, key, act), e.g. the
 * rows the dashboard keeps (keptHours.ts): those of the filter's hours, sources and model, grouped the same way.
 */
export function activityFactsOfRows(db: Database, rows: readonly (readonly number[])[], f: ActivityFilter = {}): Fact[] {
  const since = f.sinceMs === undefined ? -Infinity : hourOf(f.sinceMs);
  const until = f.untilMs === undefined ? Infinity : hourOf(f.untilMs);
  const group = activityGrouper(db, f);
  for (const h of rows) if (h[0] >= since && h[0] < until) group.add(h);
  return group.facts();
}

/** Sums usage_acts rows (`ACT_COLS`) per (hour key, activity) in the order first seen, for the filter's sources and model. */
function activityGrouper(db: Database, f: ActivityFilter): { add(h: readonly number[]): void; facts(): Fact[] } {
  const keys = new Map<number, Pick<Fact, 'source' | 'model' | 'tier'>>();
  for (const v of db.exec('SELECT id, source, model, tier FROM hour_keys')[0]?.values ?? []) {
    keys.set(Number(v[0]), { source: v[1] as Source, model: String(v[2]), tier: v[3] as Tier });
  }
  const names = new Map<number, string>();
  for (const v of db.exec('SELECT id, name FROM act_keys')[0]?.values ?? []) names.set(Number(v[0]), String(v[1]));
  const sources = f.sources ? new Set<string>(f.sources) : undefined;
  // per hour key id, then activity id (no key string per row); `facts` in the order first seen
  const groups = new Map<number, Map<number, Fact>>();
  const facts: Fact[] = [];
  return {
    add(h) {
      const k = keys.get(h[1]);
      if (!k || (sources && !sources.has(k.source)) || (f.model !== undefined && k.model !== f.model)) return;
      let byAct = groups.get(h[1]);
      if (!byAct) {
        byAct = new Map();
        groups.set(h[1], byAct);
      }
      const x = byAct.get(h[2]);
      if (!x) {
        const fact: Fact = {
          bucketStartMs: h[0], firstMs: h[0], lastMs: h[0] + HOUR_MS - 1, source: k.source, model: k.model, project: NO_SESSION,
          session: NO_SESSION, branch: NO_SESSION, tier: k.tier, activity: names.get(h[2]) ?? '', input: h[3], output: h[4],
          cacheWrite5m: h[5], cacheWrite1h: h[6], cacheRead: h[7], reasoning: h[8], webSearch: h[9], requests: h[10],
        };
        byAct.set(h[2], fact);
        facts.push(fact);
        return;
      }
      if (h[0] + HOUR_MS - 1 > x.lastMs) x.lastMs = h[0] + HOUR_MS - 1;
      x.input += h[3]; x.output += h[4]; x.cacheWrite5m += h[5]; x.cacheWrite1h += h[6];
      x.cacheRead += h[7]; x.reasoning += h[8]; x.webSearch += h[9]; x.requests += h[10];
    },
    facts: () => facts,
  };
}
