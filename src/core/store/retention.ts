/**
 * Retention (issue 17 §4): 15-minute `usage` rows older than the kept detail are rolled up into one row per (UTC
 * day, dims row) at the day's start, kept forever. The roll-up adds the rows' sums (tokens, requests) exactly, keeps
 * the first and last entry time, and leaves every total — all-time, per session, model, project, source, UTC day —
 * the same to the token. The derived tables follow in the same transaction: `usage_hours` of the rolled-up days is
 * summed again from their rows (a day's usage then sits in its first hour), `session_totals` of the rolled-up dims
 * rows recomputed (their first/last bucket become day starts). Claude's stored 5-hour blocks are brought up to date
 * first and are not cut again (no watermark is set): blocks before the cut-off stay as cut from the detail.
 *
 * The cut-off is kept in `meta` (`retentionDetailFrom`, epoch ms of a UTC day start): views finer than a day show
 * where detail ends. A late write into an older bucket (a log found late, a keyed source's re-read) lands as a
 * 15-minute row again and is rolled into its day by the next run.
 * Never runs without the setting (the caller's): no setting, no call.
 */
import type { Database } from 'sql.js';
import { updateClaudeBlocks } from './claudeBlocks';

export const DAY_MS = 86_400_000;
export const RETENTION_META_KEY = 'retentionDetailFrom';
/**
 * The least detail that may be kept: longer than the Claude de-dup window of per-call rows (35 days), whose
 * corrections are written to the call's own 15-minute bucket.
 */
export const MIN_DETAIL_DAYS = 60;

const SUMS = ['input', 'output', 'cw5m', 'cw1h', 'cache_read', 'reasoning', 'web_search', 'requests'] as const;
const HOUR_SUMS = `sum(u.input), sum(u.output), sum(u.cw5m), sum(u.cw1h), sum(u.cache_read), sum(u.reasoning),
  sum(u.web_search), sum(u.requests), min(u.first_ms), max(u.last_ms), min((u.bucket / 900000) * 4294967296 + u.dim)`;
const SESSION_SUMS = `sum(u.input), sum(u.output), sum(u.cw5m), sum(u.cw1h), sum(u.cache_read), sum(u.reasoning),
  sum(u.web_search), sum(u.requests), min(u.first_ms), max(u.last_ms), min(u.bucket), max(u.bucket),
  min(CASE WHEN u.input + u.output + u.cw5m + u.cw1h + u.cache_read > 0 THEN u.bucket END)`;

/** The UTC day start before which detail is rolled up when `detailDays` of detail are kept at `nowMs`. */
export function retentionCutoff(detailDays: number, nowMs: number): number {
  const today = nowMs - (((nowMs % DAY_MS) + DAY_MS) % DAY_MS);
  return today - Math.max(MIN_DETAIL_DAYS, Math.floor(detailDays)) * DAY_MS;
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
  /** the UTC days touched (day starts, ascending) */
  days: number;
  cutoffMs: number;
}

/**
 * Rolls up every usage row in a bucket before `cutoffMs` (a UTC day start) into its day's row; one transaction
 * (must not run inside another). Returns what it did; `rowsBefore` 0 when nothing was left to roll up.
 */
export function rollUpUsage(db: Database, cutoffMs: number): RollUpResult {
  if (cutoffMs % DAY_MS !== 0) throw new Error(`retention cut-off ${cutoffMs} is not a UTC day start`);
  db.run('BEGIN');
  try {
    updateClaudeBlocks(db);
    db.run('DROP TABLE IF EXISTS temp.ru');
    // the (day, dims row) groups not yet one row at the day's start
    db.run(
      `CREATE TEMP TABLE ru AS
      SELECT u.bucket - u.bucket % ${DAY_MS} AS day, u.dim AS dim, ${SUMS.map((c) => `sum(u.${c}) AS ${c}`).join(', ')},
        min(u.first_ms) AS first_ms, max(u.last_ms) AS last_ms, count(*) AS n
      FROM usage u WHERE u.bucket < ?
      GROUP BY 1, 2 HAVING count(*) > 1 OR min(u.bucket) % ${DAY_MS} <> 0`,
      [cutoffMs],
    );
    const [rowsBefore, rowsAfter, days] = (db.exec('SELECT coalesce(sum(n), 0), count(*), count(DISTINCT day) FROM temp.ru')[0]?.values[0] ?? [0, 0, 0]).map(Number);
    if (rowsAfter > 0) {
      db.run('CREATE TEMP TABLE ru_days AS SELECT DISTINCT day FROM temp.ru');
      db.run('CREATE TEMP TABLE ru_dims AS SELECT DISTINCT dim FROM temp.ru');
      db.run(
        `DELETE FROM usage WHERE bucket < ? AND (bucket - bucket % ${DAY_MS}, dim) IN (SELECT day, dim FROM temp.ru)`,
        [cutoffMs],
      );
      db.run(
        `INSERT INTO usage (bucket, dim, ${SUMS.join(', ')}, first_ms, last_ms)
        SELECT day, dim, ${SUMS.join(', ')}, first_ms, last_ms FROM temp.ru`,
      );
      // usage_hours of those days, summed again from their (now daily) rows
      db.run(`DELETE FROM usage_hours WHERE hour - hour % ${DAY_MS} IN (SELECT day FROM temp.ru_days)`);
      db.run(
        `INSERT INTO usage_hours
        SELECT u.bucket - u.bucket % 3600000, k.id, ${HOUR_SUMS}
        FROM temp.ru_days r CROSS JOIN usage u ON u.bucket >= r.day AND u.bucket < r.day + ${DAY_MS}
        CROSS JOIN dims d ON d.id = u.dim CROSS JOIN hour_keys k ON k.source = d.source AND k.model = d.model AND k.tier = d.tier
        GROUP BY 1, 2`,
      );
      // session_totals of the dims rows rolled up (sums unchanged; first/last/first billed bucket now day starts)
      db.run('DELETE FROM session_totals WHERE dim IN (SELECT dim FROM temp.ru_dims)');
      db.run(`INSERT INTO session_totals SELECT u.dim, ${SESSION_SUMS} FROM usage u WHERE u.dim IN (SELECT dim FROM temp.ru_dims) GROUP BY u.dim`);
      db.run('DROP TABLE temp.ru_days');
      db.run('DROP TABLE temp.ru_dims');
    }
    db.run('DROP TABLE temp.ru');
    const prev = retentionDetailFrom(db);
    if (prev === null || prev < cutoffMs) {
      db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [RETENTION_META_KEY, String(cutoffMs)]);
    }
    db.run('COMMIT');
    return { rowsBefore, rowsAfter, days, cutoffMs };
  } catch (e) {
    db.run('ROLLBACK');
    db.run('DROP TABLE IF EXISTS temp.ru');
    db.run('DROP TABLE IF EXISTS temp.ru_days');
    db.run('DROP TABLE IF EXISTS temp.ru_dims');
    throw e;
  }
}
