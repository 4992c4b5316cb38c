/**
 * Aggregates derived from `usage`, kept up to date in the same flush (same transaction) as the usage write, so that
 * reports that do not need 15-minute rows read far fewer rows (query/aggregates.ts):
 *
 * usage_hours     sums per (UTC hour, source, model, tier): the dims without project, session and branch, that tuple
 *                 named by its hour_keys id (a handful of rows). Maintained from the staged deltas like usage itself
 *                 (sums add, first/last entry and `ord` only widen, as a usage row's own do); an hour in which a
 *                 usage row reached zero requests (and was deleted) is recomputed from its usage rows instead (four
 *                 buckets, found by the primary key), as its first/last and `ord` may narrow or its row go.
 *                 `ord` = min over its usage rows of (bucket / 900000) · 2^32 + dim: ordering the rows
 *                 by it keeps, within any group of rows, the order in which models and tiers are first seen in the
 *                 15-minute rows (the order RowAccumulator sums costs in, so costs are the same to the last bit).
 * session_totals  sums per dims row over all its buckets, with its first and last bucket. Maintained from the staged
 *                 deltas (sums add, first/last only widen, like usage's own first_ms/last_ms; the first bucket with
 *                 billed tokens only moves earlier while tokens are only added); a dims row that lost a usage row (it
 *                 reached zero requests) or whose usage row lost all its billed tokens is recomputed from usage
 *                 instead, as its first/last may narrow.
 *
 * The migration (schema.ts, 4) backfills both from existing usage rows with the same sums.
 */
import type { Database } from 'sql.js';
import { dimText } from './strs';
import { BUCKET_MS } from '../types';

const HOUR_MS = 3_600_000;

/**
 * usage_hours' values after (hour, key) from the usage (or staged) rows `u` of the hour `hour` (an SQL expression):
 * sums, first and last entry as offsets from the hour (`f`, `l`; schema 16: first_ms and last_ms are generated from
 * them), `ord`.
 */
export const HOUR_SUMS = (hour: string) => `sum(u.input), sum(u.output), sum(u.cw5m), sum(u.cw1h), sum(u.cache_read), sum(u.reasoning),
  sum(u.web_search), sum(u.requests), min(u.first_ms - (${hour})), max(u.last_ms - (${hour})), min((u.bucket / 900000) * 4294967296 + u.dim)`;

/**
 * A usage row with nothing left: no request and no token (a row may hold tokens without a request: Cline's
 * deleted_api_reqs). Claude and Codex rows reach zero requests and zero tokens together (a copy is subtracted exactly).
 */
export const emptyUsage = (t: string) =>
  `(${t}requests <= 0 AND ${t}input = 0 AND ${t}output = 0 AND ${t}cw5m = 0 AND ${t}cw1h = 0 AND ${t}cache_read = 0 AND ${t}web_search = 0)`;

/** billed tokens of a usage (or staged) row, as the dashboard's first day with spend counts them */
const billed = (t: string) => `${t}input + ${t}output + ${t}cw5m + ${t}cw1h + ${t}cache_read`;

/**
 * session_totals' values after its dims row from the usage (or staged) rows `u` of one dims row: sums, first entry as
 * an offset from the first bucket and last entry from the last bucket (`f`, `l`; schema 16: first_ms and last_ms are
 * generated from them), the first bucket as its index (`fb`: bucket / 900000), the last bucket and the first with
 * billed tokens as buckets after it (`lb`, `bb`; schema 20: first_bucket, last_bucket and first_billed are generated).
 */
export const SESSION_SUMS = `sum(u.input), sum(u.output), sum(u.cw5m), sum(u.cw1h), sum(u.cache_read), sum(u.reasoning),
  sum(u.web_search), sum(u.requests), min(u.first_ms) - min(u.bucket), max(u.last_ms) - max(u.bucket), min(u.bucket) / ${BUCKET_MS},
  (max(u.bucket) - min(u.bucket)) / ${BUCKET_MS}, (min(CASE WHEN ${billed('u.')} > 0 THEN u.bucket END) - min(u.bucket)) / ${BUCKET_MS}`;

/** The hour of a usage row `u`'s bucket (SQL). */
const HOUR_OF_BUCKET = `u.bucket - u.bucket % ${HOUR_MS}`;

const TOKEN_COLS = ['input', 'output', 'cw5m', 'cw1h', 'cache_read', 'reasoning', 'web_search', 'requests'];

/** The hour_keys row of the dims row `d` (its source, model and tier), found by hour_keys' unique index. */
export const HOUR_KEY_JOIN = (d: string) =>
  `hour_keys k ON k.source = ${dimText(d, 'source')} AND k.model = ${dimText(d, 'model')} AND k.tier = ${dimText(d, 'tier')}`;

/** SQL: the (source, model, tier) texts of the dims row `d`, as hour_keys holds them. */
export const HOUR_KEY_TEXTS = (d: string) => `${dimText(d, 'source')}, ${dimText(d, 'model')}, ${dimText(d, 'tier')}`;

/**
 * Records the dims rows of the staged usage rows whose totals must be recomputed (a flush brought their usage row to
 * zero requests, or took all the billed tokens of a row that had some) and the hours whose usage rows must be summed
 * again (a usage row reached zero requests). Call it after adding the staged rows to `usage` and before deleting the
 * empty rows.
 */
export function noteEmptiedUsage(db: Database, stageTable: string): void {
  db.run('CREATE TEMP TABLE IF NOT EXISTS agg_emptied (dim INTEGER PRIMARY KEY)');
  db.run('DELETE FROM temp.agg_emptied');
  db.run('CREATE TEMP TABLE IF NOT EXISTS agg_hours (hour INTEGER PRIMARY KEY)');
  db.run('DELETE FROM temp.agg_hours');
  db.run(
    `INSERT OR IGNORE INTO temp.agg_hours
    SELECT s.bucket - s.bucket % ${HOUR_MS} FROM ${stageTable} s CROSS JOIN usage u ON u.bucket = s.bucket AND u.dim = s.dim
    WHERE ${emptyUsage('u.')}`,
  );
  db.run(
    `INSERT OR IGNORE INTO temp.agg_emptied
    SELECT s.dim FROM ${stageTable} s CROSS JOIN usage u ON u.bucket = s.bucket AND u.dim = s.dim
    WHERE ${emptyUsage('u.')} OR (${billed('s.')} < 0 AND ${billed('u.')} <= 0)`,
  );
}

/**
 * Brings usage_hours and session_totals up to date with the staged usage rows (columns as in `usage`), after they
 * were applied to `usage` and its empty rows deleted. `noteEmptiedUsage` must have run for the same stage.
 */
export function updateAggregates(db: Database, stageTable: string): void {
  db.run(`INSERT OR IGNORE INTO hour_keys (source, model, tier) SELECT ${HOUR_KEY_TEXTS('d')} FROM
    (SELECT DISTINCT d.source_id, d.model_id, d.tier_id FROM ${stageTable} s CROSS JOIN dims d ON d.id = s.dim) d`);
  // hours where no usage row went: the staged deltas added
  db.run(
    `INSERT INTO usage_hours
    SELECT ${HOUR_OF_BUCKET}, k.id, ${HOUR_SUMS(HOUR_OF_BUCKET)}
    FROM ${stageTable} u CROSS JOIN dims d ON d.id = u.dim CROSS JOIN ${HOUR_KEY_JOIN('d')}
    WHERE u.bucket - u.bucket % ${HOUR_MS} NOT IN (SELECT hour FROM temp.agg_hours)
    GROUP BY 1, 2
    ON CONFLICT (hour, key) DO UPDATE SET
      ${TOKEN_COLS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
      f = min(f, excluded.f), l = max(l, excluded.l), ord = min(ord, excluded.ord)`,
  );
  // hours where a usage row went: summed again from their usage rows
  db.run('DELETE FROM usage_hours WHERE hour IN (SELECT hour FROM temp.agg_hours)');
  db.run(
    `INSERT INTO usage_hours
    SELECT t.hour, k.id, ${HOUR_SUMS('t.hour')}
    FROM temp.agg_hours t CROSS JOIN usage u ON u.bucket >= t.hour AND u.bucket < t.hour + ${HOUR_MS}
    CROSS JOIN dims d ON d.id = u.dim CROSS JOIN ${HOUR_KEY_JOIN('d')}
    GROUP BY t.hour, k.id`,
  );

  db.run(
    `INSERT INTO session_totals
    SELECT u.dim, ${SESSION_SUMS} FROM ${stageTable} u WHERE u.dim NOT IN (SELECT dim FROM temp.agg_emptied) GROUP BY u.dim
    ON CONFLICT (dim) DO UPDATE SET
      ${TOKEN_COLS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')},
      f = min(fb * ${BUCKET_MS} + f, excluded.fb * ${BUCKET_MS} + excluded.f) - min(fb, excluded.fb) * ${BUCKET_MS},
      l = max((fb + lb) * ${BUCKET_MS} + l, (excluded.fb + excluded.lb) * ${BUCKET_MS} + excluded.l) - max(fb + lb, excluded.fb + excluded.lb) * ${BUCKET_MS},
      fb = min(fb, excluded.fb), lb = max(fb + lb, excluded.fb + excluded.lb) - min(fb, excluded.fb),
      bb = coalesce(min(fb + bb, excluded.fb + excluded.bb), fb + bb, excluded.fb + excluded.bb) - min(fb, excluded.fb)`,
  );
  const emptied = Number(db.exec('SELECT count(*) FROM temp.agg_emptied')[0]?.values[0]?.[0] ?? 0);
  if (emptied > 0) {
    db.run('DELETE FROM session_totals WHERE dim IN (SELECT dim FROM temp.agg_emptied)');
    // usage has no index by dim: one scan, only for flushes that emptied a usage row (a kept copy moved away)
    db.run(
      `INSERT INTO session_totals SELECT u.dim, ${SESSION_SUMS} FROM usage u
      WHERE u.dim IN (SELECT dim FROM temp.agg_emptied) GROUP BY u.dim`,
    );
  }
  db.run('DELETE FROM temp.agg_hours');
  db.run('DELETE FROM temp.agg_emptied');
}

/** Recomputes both aggregates from all of `usage` (the migration's backfill; tests compare it with the maintained ones). */
export function rebuildAggregates(db: Database): void {
  db.run('DELETE FROM usage_hours');
  db.run('DELETE FROM session_totals');
  db.run(`INSERT OR IGNORE INTO hour_keys (source, model, tier) SELECT ${HOUR_KEY_TEXTS('d')} FROM
    (SELECT DISTINCT source_id, model_id, tier_id FROM dims) d`);
  db.run(
    `INSERT INTO usage_hours
    SELECT ${HOUR_OF_BUCKET}, k.id, ${HOUR_SUMS(HOUR_OF_BUCKET)}
    FROM usage u JOIN dims d ON d.id = u.dim JOIN ${HOUR_KEY_JOIN('d')}
    GROUP BY 1, 2`,
  );
  db.run(`INSERT INTO session_totals SELECT u.dim, ${SESSION_SUMS} FROM usage u GROUP BY u.dim`);
}
