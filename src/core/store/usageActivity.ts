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
 */
import type { Database } from 'sql.js';
import { emptyUsage } from './aggregates';

const SUMS = ['input', 'output', 'cw5m', 'cw1h', 'cache_read', 'reasoning', 'web_search', 'requests'] as const;

/** The staged activity deltas' columns (usageDeltas.ts writes them): hour (ms), dims id, activity key, sums. */
export const ACTIVITY_STAGE_COLS = `hour, dim, act, ${SUMS.join(', ')}`;

/** Creates (once per connection: temp tables do not survive an export) and empties the stage table. */
export function prepareActivityStage(db: Database): void {
  db.run(`CREATE TEMP TABLE IF NOT EXISTS act_stage (hour INTEGER, dim INTEGER, act TEXT, input INTEGER, output INTEGER,
    cw5m INTEGER, cw1h INTEGER, cache_read INTEGER, reasoning INTEGER, web_search INTEGER, requests INTEGER)`);
  db.run('DELETE FROM temp.act_stage');
}

/** Adds the staged activity deltas to usage_acts (after the usage rows of the same flush), then empties the stage. */
export function applyActivityStage(db: Database): void {
  db.run('INSERT OR IGNORE INTO act_keys (name) SELECT DISTINCT act FROM temp.act_stage');
  db.run(`INSERT OR IGNORE INTO hour_keys (source, model, tier) SELECT DISTINCT d.source, d.model, d.tier FROM temp.act_stage s
    CROSS JOIN dims d ON d.id = s.dim`);
  const from = `temp.act_stage s CROSS JOIN dims d ON d.id = s.dim
    CROSS JOIN hour_keys k ON k.source = d.source AND k.model = d.model AND k.tier = d.tier CROSS JOIN act_keys a ON a.name = s.act`;
  db.run(
    `INSERT INTO usage_acts (hour, key, act, ${SUMS.join(', ')})
    SELECT s.hour, k.id, a.id, ${SUMS.map((c) => `sum(s.${c})`).join(', ')} FROM ${from} WHERE true GROUP BY 1, 2, 3
    ON CONFLICT (hour, key, act) DO UPDATE SET ${SUMS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
  );
  // only a staged row that took something away (or added nothing) can leave an activity row with nothing in it
  db.run(`DELETE FROM usage_acts WHERE (hour, key, act) IN (SELECT s.hour, k.id, a.id FROM ${from}
    WHERE ${SUMS.map((c) => `s.${c} < 0`).join(' OR ')} OR (${SUMS.map((c) => `s.${c} = 0`).join(' AND ')})) AND ${emptyUsage('')}`);
  db.run('DELETE FROM temp.act_stage');
}
