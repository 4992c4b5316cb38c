/**
 * Retention (issue 17 §4): 15-minute `usage` rows older than the kept detail are rolled up into one row per (local
 * day, dims row) at the day's start, kept forever. Days are those of the user's time zone when the roll-up runs (a
 * local midnight is a multiple of 15 minutes in every zone), so daily, weekly and monthly views in that zone stay
 * exact; a UTC day would move up to 14 hours of each old day into its neighbour for most users. The roll-up adds the
 * rows' sums (tokens, requests) exactly, keeps the first and last entry time, and leaves every total — all-time, per
 * session, model, project, source, local day — the same to the token. The derived tables follow in the same
 * transaction: `usage_hours` of every UTC hour a moved row left or joined is summed again from usage (a day's usage
 * then sits in the hour of its start), `session_totals` of the rolled-up dims rows recomputed (their first/last
 * bucket become day starts). Claude's stored 5-hour blocks are brought up to date first and are not cut again (no
 * watermark is set): blocks before the cut-off stay as cut from the detail.
 *
 * The cut-off is kept in `meta` (`retentionDetailFrom`, epoch ms of a local day start): views finer than a day show
 * where detail ends. A late write into an older bucket (a log found late, a keyed source's re-read) lands as a
 * 15-minute row again and is rolled into its day by the next run. After a change of time zone, the next run regroups
 * the rolled-up rows by the new zone's days (totals unchanged).
 * Never runs without the setting (the caller's): no setting, no call.
 */
import type { Database } from 'sql.js';
import { updateClaudeBlocks } from './claudeBlocks';
import { markIdleGapsDirty } from './idleGaps';
import { HOUR_KEY_JOIN, HOUR_SUMS, SESSION_SUMS } from './aggregates';
import { addDays, localDayStarts, localParts, safeTimeZone, startOfLocalDay } from '../report/tz';
import { BUCKET_MS } from '../types';

export const RETENTION_META_KEY = 'retentionDetailFrom';
/**
 * The least detail that may be kept: longer than the Claude de-dup window of per-call rows (35 days), whose
 * corrections are written to the call's own 15-minute bucket.
 */
export const MIN_DETAIL_DAYS = 60;

const SUMS = ['input', 'output', 'cw5m', 'cw1h', 'cache_read', 'reasoning', 'web_search', 'requests'] as const;

/** The start of the local day (in `timeZone`) before which detail is rolled up when `detailDays` are kept at `nowMs`. */
export function retentionCutoff(detailDays: number, nowMs: number, timeZone = 'UTC'): number {
  const tz = safeTimeZone(timeZone);
  return startOfLocalDay(addDays(localParts(nowMs, tz), -Math.max(MIN_DETAIL_DAYS, Math.floor(detailDays))), tz);
}


/** Where 15-minute detail begins (null: all of it is kept). */
export function retentionDetailFrom(db: Database): number | null {
  const v = db.exec('SELECT value FROM meta WHERE key = ?', [RETENTION_META_KEY])[0]?.values[0]?.[0];
  const n = Number(v);
  return v === undefined || v === null || !Number.isFinite(n) ? null : n;
}

export interface RollUpResult {
  /** 15-minute rows folded into day rows */
  rowsBefore: number;
  /** day rows they became */
  rowsAfter: number;
  /** the local days touched */
  days: number;
  cutoffMs: number;
}

/**
 * Rolls up every usage row in a bucket before `cutoffMs` (a local day start in `timeZone`) into its local day's row;
 * one transaction (must not run inside another). Returns what it did; `rowsBefore` 0 when nothing was left to roll up.
 */
export function rollUpUsage(db: Database, cutoffMs: number, timeZone = 'UTC'): RollUpResult {
  if (cutoffMs % BUCKET_MS !== 0) throw new Error(`retention cut-off ${cutoffMs} is not a 15-minute bucket start`);
  const tz = safeTimeZone(timeZone);
  const drop = () => {
    for (const t of ['ru', 'rd', 'ru_hours', 'ru_dims']) db.run(`DROP TABLE IF EXISTS temp.${t}`);
  };
  db.run('BEGIN');
  try {
    updateClaudeBlocks(db);
    drop();
    const oldest = db.exec('SELECT min(bucket) FROM usage WHERE bucket < ?', [cutoffMs])[0]?.values[0]?.[0];
    let rowsBefore = 0;
    let rowsAfter = 0;
    let days = 0;
    if (typeof oldest === 'number') {
      // the local days before the cut-off, as [start, end)
      db.run('CREATE TEMP TABLE rd (start INTEGER PRIMARY KEY, "end" INTEGER NOT NULL)');
      const ins = db.prepare('INSERT INTO temp.rd VALUES (?, ?)');
      try {
        const starts = localDayStarts(oldest, cutoffMs, tz);
        for (let i = 1; i < starts.length; i++) ins.run([starts[i - 1], starts[i]]);
      } finally {
        ins.free();
      }
      // the (day, dims row) groups not yet one row at the day's start
      db.run(
        `CREATE TEMP TABLE ru AS
        SELECT d.start AS day, d."end" AS day_end, u.dim AS dim, ${SUMS.map((c) => `sum(u.${c}) AS ${c}`).join(', ')},
          min(u.first_ms) AS first_ms, max(u.last_ms) AS last_ms, count(*) AS n
        FROM temp.rd d CROSS JOIN usage u ON u.bucket >= d.start AND u.bucket < d."end"
        GROUP BY d.start, u.dim HAVING count(*) > 1 OR min(u.bucket) <> d.start`,
      );
      [rowsBefore, rowsAfter, days] = (db.exec('SELECT coalesce(sum(n), 0), count(*), count(DISTINCT day) FROM temp.ru')[0]?.values[0] ?? [0, 0, 0]).map(Number);
    }
    if (rowsAfter > 0) {
      db.run('CREATE TEMP TABLE ru_dims AS SELECT DISTINCT dim FROM temp.ru');
      // every UTC hour a moved row leaves or joins: its usage_hours rows are summed again
      db.run(
        `CREATE TEMP TABLE ru_hours AS
        SELECT DISTINCT u.bucket - u.bucket % 3600000 AS hour
        FROM temp.ru r CROSS JOIN usage u ON u.dim = r.dim AND u.bucket >= r.day AND u.bucket < r.day_end
        UNION SELECT day - day % 3600000 FROM temp.ru`,
      );
      db.run(
        `DELETE FROM usage WHERE bucket < ? AND EXISTS (
          SELECT 1 FROM temp.ru r WHERE r.dim = usage.dim AND usage.bucket >= r.day AND usage.bucket < r.day_end)`,
        [cutoffMs],
      );
      db.run(
        `INSERT INTO usage (bucket, dim, ${SUMS.join(', ')}, f, l)
        SELECT day, dim, ${SUMS.join(', ')}, first_ms - day, last_ms - day FROM temp.ru`,
      );
      db.run('DELETE FROM usage_hours WHERE hour IN (SELECT hour FROM temp.ru_hours)');
      db.run(
        `INSERT INTO usage_hours
        SELECT h.hour, k.id, ${HOUR_SUMS('h.hour')}
        FROM temp.ru_hours h CROSS JOIN usage u ON u.bucket >= h.hour AND u.bucket < h.hour + 3600000
        CROSS JOIN dims d ON d.id = u.dim CROSS JOIN ${HOUR_KEY_JOIN('d')}
        GROUP BY 1, 2`,
      );
      // session_totals of the dims rows rolled up (sums unchanged; first/last/first billed bucket now day starts)
      db.run('DELETE FROM session_totals WHERE dim IN (SELECT dim FROM temp.ru_dims)');
      db.run(`INSERT INTO session_totals SELECT u.dim, ${SESSION_SUMS} FROM usage u WHERE u.dim IN (SELECT dim FROM temp.ru_dims) GROUP BY u.dim`);
      markIdleGapsDirty(db, 'temp.ru_dims'); // their sessions' buckets moved: idle re-writes again
    }
    drop();
    const prev = retentionDetailFrom(db);
    if (prev === null || prev < cutoffMs) {
      db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [RETENTION_META_KEY, String(cutoffMs)]);
    }
    db.run('COMMIT');
    return { rowsBefore, rowsAfter, days, cutoffMs };
  } catch (e) {
    db.run('ROLLBACK');
    drop();
    throw e;
  }
}
