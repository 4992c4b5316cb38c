/**
 * Codex rate-limit samples in `rate_limits` (at most one per 15-minute bucket, the newest observed in it). Since
 * schema 7 in typed columns instead of a ~260-byte JSON text per row: the primary (5-hour) and secondary (weekly)
 * windows' used percent, window minutes and reset time (`pu pw pr`, `su sw sr`; a window the sample did not carry has
 * a NULL used percent), the plan type and the limit id. A row reads back as the same RateLimitSnapshot value.
 */
import type { Database, SqlValue } from 'sql.js';
import type { RateLimitSnapshot, RateLimitWindow } from '../types';
import { insertRows } from './batchInsert';

/** The columns after `bucket`, in the order rowOf writes them. */
export const RATE_LIMIT_COLS = 'observed_ms, pu, pw, pr, su, sw, sr, plan, lim';

/** The values of one sample for RATE_LIMIT_COLS. */
export function rateLimitRow(s: RateLimitSnapshot): SqlValue[] {
  const w = (x: RateLimitWindow | null): SqlValue[] => (x ? [x.usedPercent, x.windowMinutes, x.resetsAtMs] : [null, null, null]);
  return [s.observedMs, ...w(s.primary), ...w(s.secondary), s.planType, s.limitId];
}

/** A sample from the values of RATE_LIMIT_COLS. */
export function snapshotOfRow(v: readonly SqlValue[]): RateLimitSnapshot {
  const num = (x: SqlValue) => (x === null ? null : Number(x));
  const w = (i: number): RateLimitWindow | null => (v[i] === null ? null : { usedPercent: Number(v[i]), windowMinutes: num(v[i + 1]), resetsAtMs: num(v[i + 2]) });
  return {
    observedMs: Number(v[0]), primary: w(1), secondary: w(4),
    planType: v[7] === null ? null : String(v[7]), limitId: v[8] === null ? null : String(v[8]),
  };
}

/**
 * Writes samples by bucket: a bucket keeps the newest sample observed in it. Multi-row statements (a first index of
 * a year of Codex rollouts writes ~35k buckets; a statement run per row crossed into wasm for each).
 */
export function putRateLimits(db: Database, samples: Iterable<[number, RateLimitSnapshot]>): void {
  const values: SqlValue[] = [];
  for (const [b, s] of samples) values.push(b, ...rateLimitRow(s));
  insertRows(
    db,
    `INSERT INTO rate_limits (bucket, ${RATE_LIMIT_COLS})`,
    10,
    values,
    `ON CONFLICT (bucket) DO UPDATE SET ${RATE_LIMIT_COLS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE excluded.observed_ms > rate_limits.observed_ms`,
  );
}

/** The samples a query over rate_limits returns (its columns: RATE_LIMIT_COLS). */
export function readRateLimits(db: Database, sql: string, params: SqlValue[] = []): RateLimitSnapshot[] {
  return (db.exec(sql, params)[0]?.values ?? []).map(snapshotOfRow);
}
