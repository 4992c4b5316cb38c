import type { Database, SqlValue } from 'sql.js';
import type { Fact, Source, Tier } from '../types';
import { committedDims } from './committedDims';
import type { Dim } from './dimTotals';
import type { OffsetSegment } from './hourRowsExact';

/**
 * Reads of the aggregates derived from `usage` (store/aggregates.ts). Both return `Fact` rows that group (report/
 * group.ts) to the same report rows as the 15-minute facts they sum, in an order that keeps, within every group, the
 * order in which models and tiers are first seen (so costs are summed in the same order).
 */
export interface AggregateFilter {
  /** usage from sinceMs on; for loadHourFacts a whole UTC hour (see hourRowsExact) */
  sinceMs?: number;
  /** usage before untilMs; for loadHourFacts a whole UTC hour */
  untilMs?: number;
  source?: Source;
  project?: string;
  model?: string;
}

/** The session of facts read from usage_hours (which has none). */
export const NO_SESSION = '';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * One fact per (UTC hour, source, model, tier) in the range: bucketStartMs is the hour start, project, session and
 * branch are NO_SESSION (''). Throws for a range that does not start and end on whole UTC hours (those need the
 * 15-minute rows) and for a project filter (the hourly rows have no project).
 */
export function loadHourFacts(db: Database, f: AggregateFilter = {}): Fact[] {
  for (const ms of [f.sinceMs, f.untilMs]) {
    if (ms !== undefined && ms % HOUR_MS !== 0) throw new RangeError(`usage_hours cannot answer a range bound ${ms} inside an hour`);
  }
  const out: Fact[] = [];
  scanHours(db, f, f.sinceMs, f.untilMs, true, (h, d) => out.push(hourFact(h, d)));
  return out;
}

/** Groupings answered from usage_hours (project, branch and session read session_totals; blocks the 15-minute rows). */
export type HourGrain = 'day' | 'week' | 'month' | 'hour' | 'weekday' | 'model' | 'source';

/**
 * The hourly rows of the range summed further to the fewest facts that group (report/group.ts) to the same rows for
 * `by`: per (local day or local hour of day, source, model, tier) for the time grains, per (source, model, tier) for
 * the others; project, session and branch are ''. bucketStartMs is the fact's first hour
 * (in its local day for the day grains). Facts are ordered by their first usage row, so within every group models and
 * tiers come in the order the 15-minute rows first show them. Summed by SQLite's GROUP BY, one query per segment:
 * a year by day hands over ~2.6k rows instead of ~14.6k hourly ones, and reading a row's 14 columns through sql.js
 * costs more than SQLite's sort of the hourly rows (~13 % less CPU for a year's report by day). The sums are of
 * integers, exact in SQLite's 64 bits as in JS's doubles below 2^53.
 *
 * `segments` (from hourRowsExact, which must allow the hourly rows for this range and grouping) give the zone's
 * offset per stretch of time; for model and source the offset is not used. Throws for a project filter.
 */
export function loadGroupableFacts(db: Database, by: HourGrain, f: AggregateFilter, segments: readonly OffsetSegment[]): Fact[] {
  if (f.project !== undefined) throw new RangeError('usage_hours has no project: a project filter needs session_totals or the 15-minute rows');
  const local = by === 'day' || by === 'week' || by === 'month' || by === 'weekday' || by === 'hour';
  const keys = hourKeys(db);
  const groups: { fact: Fact; ordHi: number; ordLo: number }[] = [];
  for (const seg of segments) {
    const from = Math.max(seg.fromMs, f.sinceMs ?? seg.fromMs);
    const to = Math.min(seg.toMs, f.untilMs ?? seg.toMs);
    if (!(from < to)) continue;
    // the time key of an hour as floor((hour + offset) / unit) (% 24 for the hour of day), floored in SQL too
    const unit = by === 'hour' ? HOUR_MS : DAY_MS;
    const x = `(hour + ${Math.trunc(seg.offsetMs)})`;
    const floorDiv = `((${x} - ((${x} % ${unit}) + ${unit}) % ${unit}) / ${unit})`;
    // (a constant in GROUP BY would name a column: without a time key the rows group by key alone)
    const groupBy = !local ? 'key' : by === 'hour' ? `${floorDiv} % 24, key` : `${floorDiv}, key`;
    const stmt = db.prepare(`SELECT min(hour), key, sum(input), sum(output), sum(cw5m), sum(cw1h), sum(cache_read), sum(reasoning),
        sum(web_search), sum(requests), min(first_ms), max(last_ms), min(ord) >> 32, min(ord) & 4294967295
      FROM usage_hours WHERE hour >= ? AND hour < ? GROUP BY ${groupBy}`);
    try {
      stmt.bind([from, to]);
      while (stmt.step()) {
        const h = stmt.get() as number[];
        const k = keys.get(h[1])!;
        if ((f.source !== undefined && k.source !== f.source) || (f.model !== undefined && k.model !== f.model)) continue;
        groups.push({ fact: hourFact(h, k), ordHi: h[12], ordLo: h[13] });
      }
    } finally {
      stmt.free();
    }
  }
  return groups.sort((a, b) => a.ordHi - b.ordHi || a.ordLo - b.ordLo).map((g) => g.fact);
}

/** A hour_keys row: what names an hourly row. */
export type HourKey = Pick<Fact, 'source' | 'model' | 'tier'>;

/**
 * Reads usage_hours rows in [fromMs, toMs) as numbers — hour, key, input, output, cw5m, cw1h, cache_read, reasoning,
 * web_search, requests, first_ms, last_ms and `ord` in two safe integers (ord / 2^32, ord % 2^32) — with the
 * hour_keys row that names each, filtered by source and model; along the primary key, or by `ord` when `byOrd`.
 */
function scanHours(db: Database, f: AggregateFilter, fromMs: number | undefined, toMs: number | undefined, byOrd: boolean, row: (h: number[], k: HourKey) => void): void {
  if (f.project !== undefined) throw new RangeError('usage_hours has no project: a project filter needs session_totals or the 15-minute rows');
  const keys = hourKeys(db);
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (fromMs !== undefined) {
    where.push('hour >= ?');
    params.push(fromMs);
  }
  if (toMs !== undefined) {
    where.push('hour < ?');
    params.push(toMs);
  }
  const stmt = db.prepare(`SELECT ${HOUR_COLS} FROM usage_hours ${where.length ? `WHERE ${where.join(' AND ')}` : ''}${byOrd ? ' ORDER BY ord' : ''}`);
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const h = stmt.get() as number[];
      const k = keys.get(h[1])!;
      if ((f.source !== undefined && k.source !== f.source) || (f.model !== undefined && k.model !== f.model)) continue;
      row(h, k);
    }
  } finally {
    stmt.free();
  }
}

/** The columns of a usage_hours row as `hourFact` reads it (`ord` in two safe integers: ord / 2^32, ord % 2^32). */
export const HOUR_COLS = 'hour, key, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms, last_ms, ord >> 32, ord & 4294967295';

/** The hour_keys rows by id. */
export function hourKeys(db: Database): Map<number, HourKey> {
  const keys = new Map<number, HourKey>();
  for (const v of db.exec('SELECT id, source, model, tier FROM hour_keys')[0]?.values ?? []) {
    keys.set(Number(v[0]), { source: v[1] as Source, model: String(v[2]), tier: v[3] as Tier });
  }
  return keys;
}

/** A fact of one hourly row (as scanHours or loadGroupableFacts reads it) named by its hour_keys row. */
export function hourFact(h: readonly number[], k: HourKey): Fact {
  return {
    bucketStartMs: h[0], firstMs: h[10], lastMs: h[11], source: k.source, model: k.model, project: NO_SESSION, session: NO_SESSION,
    branch: NO_SESSION, tier: k.tier, input: h[2], output: h[3], cacheWrite5m: h[4], cacheWrite1h: h[5], cacheRead: h[6],
    reasoning: h[7], webSearch: h[8], requests: h[9],
  };
}

/**
 * Facts for `--by session`, `project` or `branch` over a range: a dims row (one session's source/model/project/branch/
 * tier) whose buckets all lie in the range is one fact (its totals; bucketStartMs = its first bucket); a dims row that
 * straddles a range bound gives its 15-minute facts inside the range. Ordered by (bucket, dim), like loadFacts. Rows
 * are read as numbers; their dims strings come from `dims` (committedDims by default) and are filtered there.
 */
export function loadSessionFacts(
  db: Database, f: AggregateFilter = {}, dims: ReadonlyMap<number, Dim> = committedDims(db), ids?: number[], onlyDims?: readonly number[],
): Fact[] {
  const inside: string[] = [];
  const params: SqlValue[] = [];
  // `onlyDims`: the rows of those dims rows only (keptSessionFacts.ts); `ids` receives each fact's dims id
  const only = onlyDims ? `s.dim IN (${onlyDims.map((d) => Math.trunc(d)).join(', ')})` : null;
  if (f.sinceMs !== undefined) {
    inside.push('s.first_bucket >= ?');
    params.push(f.sinceMs);
  }
  if (f.untilMs !== undefined) {
    inside.push('s.last_bucket < ?');
    params.push(f.untilMs);
  }
  const whole = only ? [...inside, only] : inside;
  let sql = `SELECT s.first_bucket AS b, s.dim AS d, s.first_ms, s.last_ms, s.input, s.output, s.cw5m, s.cw1h, s.cache_read, s.reasoning,
      s.web_search, s.requests FROM session_totals s ${whole.length ? `WHERE ${whole.join(' AND ')}` : ''}`;
  // dims rows with usage on both sides of a bound: their 15-minute rows in the range, read from the buckets they can
  // lie in only (`straddleSpans`), not from every bucket of the range
  for (const [lo, hi] of inside.length ? straddleSpans(db, f.sinceMs, f.untilMs, only) : []) {
    const part: string[] = [`NOT (${inside.join(' AND ')})`];
    if (only) part.push(only);
    params.push(...params.slice(0, inside.length), lo, hi);
    sql += `
    UNION ALL
    SELECT u.bucket, u.dim, u.first_ms, u.last_ms, u.input, u.output, u.cw5m, u.cw1h, u.cache_read, u.reasoning, u.web_search, u.requests
    FROM usage u CROSS JOIN session_totals s ON s.dim = u.dim WHERE ${part.join(' AND ')} AND u.bucket >= ? AND u.bucket < ?`;
  }
  sql += ' ORDER BY 1, 2';
  const stmt = db.prepare(sql);
  const out: Fact[] = [];
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const v = stmt.get() as number[];
      const d = dims.get(v[1]);
      if (!d) continue; // a row without its dims row is left out, as every fact query leaves it out
      if ((f.source !== undefined && d.source !== f.source) || (f.project !== undefined && d.project !== f.project) || (f.model !== undefined && d.model !== f.model)) continue;
      ids?.push(v[1]);
      out.push({
        bucketStartMs: v[0], firstMs: v[2], lastMs: v[3], source: d.source, model: d.model, project: d.project, session: d.session,
        branch: d.branch, tier: d.tier, input: v[4], output: v[5], cacheWrite5m: v[6], cacheWrite1h: v[7], cacheRead: v[8],
        reasoning: v[9], webSearch: v[10], requests: v[11],
      });
    }
  } finally {
    stmt.free();
  }
  return out;
}

/**
 * The buckets of [sinceMs, untilMs) where the dims rows that straddle a bound have usage: one that starts before
 * `sinceMs` has none after the last of those rows' last buckets, one that ends at or after `untilMs` none before the
 * first of those rows' first buckets. As [lo, hi) spans, disjoint, in order (none: no such dims row has usage in the
 * range). `only`: among these dims rows.
 */
function straddleSpans(db: Database, sinceMs: number | undefined, untilMs: number | undefined, only: string | null): [number, number][] {
  const lo = sinceMs ?? Number.MIN_SAFE_INTEGER;
  const hi = untilMs ?? Number.MAX_SAFE_INTEGER;
  const value = (sql: string, bound: number) => {
    const v = db.exec(`${sql}${only ? ` AND ${only}` : ''}`, [bound])[0]?.values[0]?.[0];
    return v === undefined || v === null ? null : Number(v);
  };
  // the starters before `sinceMs` reach up to their last bucket; the enders after `untilMs` back to their first one
  const last = sinceMs === undefined ? null : value('SELECT max(s.last_bucket) FROM session_totals s WHERE s.first_bucket < ?', sinceMs);
  const first = untilMs === undefined ? null : value('SELECT min(s.first_bucket) FROM session_totals s WHERE s.last_bucket >= ?', untilMs);
  const spans: [number, number][] = [];
  if (last !== null && last >= lo) spans.push([lo, Math.min(last + 1, hi)]);
  if (first !== null && first < hi) {
    const from = Math.max(first, lo);
    const prev = spans[0];
    if (prev && from <= prev[1]) prev[1] = hi;
    else spans.push([from, hi]);
  }
  return spans;
}

/** The first and last hour (start ms) of usage_hours rows in the range, or null when it has none. */
export function hourSpan(db: Database, sinceMs?: number, untilMs?: number): { firstHourMs: number; lastHourMs: number } | null {
  // two ORDER BY … LIMIT 1 reads along the primary key (min() and max() together would scan the range)
  const bounds = [sinceMs ?? Number.MIN_SAFE_INTEGER, untilMs ?? Number.MAX_SAFE_INTEGER];
  const first = db.exec('SELECT hour FROM usage_hours WHERE hour >= ? AND hour < ? ORDER BY hour LIMIT 1', bounds)[0]?.values[0]?.[0];
  const last = db.exec('SELECT hour FROM usage_hours WHERE hour >= ? AND hour < ? ORDER BY hour DESC LIMIT 1', bounds)[0]?.values[0]?.[0];
  return first === undefined || first === null ? null : { firstHourMs: Number(first), lastHourMs: Number(last) };
}
