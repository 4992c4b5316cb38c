/**
 * Cost by activity (issue 15 §5), stored apart from `usage` and `dims` so that neither grows with it: `usage_acts`
 * holds token sums and requests per (UTC hour, hour_keys id = source, model and tier, act_keys id = activity incl.
 * main agent vs subagent) — the key of usage_hours plus the activity (schema 6).
 *
 * Written in the same flush (same transaction) as the usage rows, from the same deltas: every addition or
 * subtraction of a usage row carries its activity (usageDeltas.ts), so for every (hour, source, model, tier) the sum
 * over the activities equals usage_hours exactly (test/unit/store/usageActivity.test.ts). A moved call (a Claude copy
 * that replaces the kept one, a keyed source's key read again) is subtracted from the activity it was added under:
 * claude_calls and keyed_calls keep the kept copy's activity id. Sums only (no first/last entry time): a row left
 * with no request and no token is deleted.
 *
 * Not touched by retention (store/retention.ts): a call's activity stays in the UTC hour it was made, while the
 * rolled-up usage rows move to their local day's start. Usage indexed before schema 6 is '' (unknown) in its hour.
 *
 * How a flush writes them: the deltas are summed in JS by their final key (hour, hour_keys id, act_keys id) — the ids of
 * a dims row's (source, model, tier) and of an activity name are looked up once per run (ActivityRowKeys) — and
 * upserted from a temp table of integer columns in one INSERT … SELECT. (Grouping the rows in SQL instead, by joins
 * on dims, hour_keys and act_keys, cost ~2 s of a year's first index, a third of all the activity work.)
 */
import type { Database, SqlValue, Statement } from 'sql.js';
import { ActivityKeys } from './activityKeys';
import { emptyUsage, HOUR_KEY_JOIN, HOUR_KEY_TEXTS } from './aggregates';
import { insertRowsSliced } from './batchInsert';
import type { TimeSlicer } from './timeSlice';

const SUMS = ['input', 'output', 'cw5m', 'cw1h', 'cache_read', 'reasoning', 'web_search', 'requests'] as const;
/** Values per row given to addActivityRows: hour (ms), hour_keys id, act_keys id, then the sums in SUMS order. */
export const ACTIVITY_ROW_VALUES = 3 + SUMS.length;

/** IN lists of at most this many ids (SQLite's bound of variables is 999 in older builds). */
const IN_CHUNK = 500;

/**
 * The ids a usage_acts row is keyed by: a dims row's hour_keys id (its source, model and tier; inserted when new) and
 * an activity name's act_keys id (inserted when new). Each is looked up once and kept: a run meets a few hundred dims
 * per flush and a few dozen activity names in all. Kept for one run's flushes (one transaction): ids inserted by a
 * run that is rolled back are not kept beyond it.
 */
export class ActivityRowKeys {
  private readonly keyOfDim = new Map<number, number>();
  private readonly acts: ActivityKeys;

  constructor(private readonly db: Database) {
    this.acts = new ActivityKeys(db);
  }

  /** The hour_keys ids of these dims rows (inserting missing hour_keys rows); ids of rows not in dims are not set. */
  resolveDims(dims: Iterable<number>): void {
    const missing: number[] = [];
    for (const d of dims) if (!this.keyOfDim.has(d)) missing.push(d);
    for (let i = 0; i < missing.length; i += IN_CHUNK) {
      const chunk = missing.slice(i, i + IN_CHUNK);
      const ids = chunk.map(() => '?').join(',');
      this.db.run(`INSERT OR IGNORE INTO hour_keys (source, model, tier) SELECT ${HOUR_KEY_TEXTS('d')} FROM
        (SELECT DISTINCT source_id, model_id, tier_id FROM dims WHERE id IN (${ids})) d`, chunk);
      const res = this.db.exec(
        `SELECT d.id, k.id FROM dims d CROSS JOIN ${HOUR_KEY_JOIN('d')} WHERE d.id IN (${ids})`,
        chunk,
      );
      for (const [dim, key] of res[0]?.values ?? []) this.keyOfDim.set(Number(dim), Number(key));
    }
  }

  /** The hour_keys id of a dims row resolved before (resolveDims); undefined for a dim not in dims. */
  hourKeyOf(dim: number): number | undefined {
    return this.keyOfDim.get(dim);
  }

  /** The act_keys id of an activity name, inserting it when new. */
  actIdOf(name: string): number {
    return this.acts.idOf(name);
  }
}

/**
 * Adds rows of activity deltas to usage_acts (after the usage rows of the same flush): `values` holds
 * ACTIVITY_ROW_VALUES per row, at most one row per (hour, key, act). They pass through a temp table whose INTEGER
 * columns store them as integers (sql.js binds a number beyond 32 bits as a REAL; usage_acts' columns have no type). A
 * row that took something away (or added nothing) may leave its usage_acts row with nothing in it: that row is deleted.
 */
export async function addActivityRows(db: Database, values: SqlValue[], slicer: TimeSlicer): Promise<void> {
  if (values.length === 0) return;
  const cols = `hour, key, act, ${SUMS.join(', ')}`;
  // temp tables do not survive sql.js export() (it reopens the database): created on demand
  db.run(`CREATE TEMP TABLE IF NOT EXISTS act_rows (hour INTEGER, key INTEGER, act INTEGER, ${SUMS.map((c) => `${c} INTEGER`).join(', ')})`);
  db.run('DELETE FROM temp.act_rows');
  await insertRowsSliced(db, `INSERT INTO temp.act_rows (${cols})`, ACTIVITY_ROW_VALUES, values, slicer);
  db.run(
    `INSERT INTO usage_acts (${cols}) SELECT ${cols} FROM temp.act_rows WHERE true ORDER BY hour, key, act
    ON CONFLICT (hour, key, act) DO UPDATE SET ${SUMS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
  );
  db.run('DELETE FROM temp.act_rows');
  let del: Statement | undefined;
  try {
    for (let i = 0; i < values.length; i += ACTIVITY_ROW_VALUES) {
      let negative = false;
      let zero = true;
      for (let j = 3; j < ACTIVITY_ROW_VALUES; j++) {
        const v = values[i + j] as number;
        if (v < 0) negative = true;
        if (v !== 0) zero = false;
      }
      if (!negative && !zero) continue;
      del ??= db.prepare(`DELETE FROM usage_acts WHERE hour = ? AND key = ? AND act = ? AND ${emptyUsage('')}`);
      del.run([values[i], values[i + 1], values[i + 2]]);
    }
  } finally {
    del?.free();
  }
}
