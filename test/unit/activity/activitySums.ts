/** Reads of the cost-by-activity aggregate for tests (usage_acts, store/usageActivity.ts). */
import assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { loadActivityFacts } from '../../../src/core/query/activityFacts';

/** Sums per `source:activity`: [requests, input, output, cacheRead], from usage_acts. */
export function activitySums(db: Database): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of loadActivityFacts(db)) {
    const k = `${f.source}:${f.activity}`;
    out[k] ??= [0, 0, 0, 0];
    const t = out[k];
    t[0] += f.requests;
    t[1] += f.input;
    t[2] += f.output;
    t[3] += f.cacheRead;
  }
  for (const [k, t] of Object.entries(out)) if (t.every((x) => x === 0)) delete out[k];
  return out;
}

const COLS = ['input', 'output', 'cw5m', 'cw1h', 'cache_read', 'reasoning', 'web_search', 'requests'];

/**
 * For every (UTC hour, source, model, tier) the sums over the activities equal usage_hours, column by column, and no
 * activity row is left with nothing in it. Returns how many (hour, key) pairs were compared.
 */
export function assertActivityEqualsHours(db: Database): number {
  const sums = COLS.map((c) => `sum(${c})`).join(', ');
  const hours = db.exec(`SELECT hour, key, ${COLS.join(', ')} FROM usage_hours ORDER BY hour, key`)[0]?.values ?? [];
  const acts = db.exec(`SELECT hour, key, ${sums} FROM usage_acts GROUP BY hour, key ORDER BY hour, key`)[0]?.values ?? [];
  assert.deepEqual(acts, hours, 'usage_acts summed over activities = usage_hours');
  const empty = db.exec(`SELECT count(*) FROM usage_acts WHERE ${COLS.map((c) => `${c} = 0`).join(' AND ')}`)[0].values[0][0];
  assert.equal(empty, 0, 'no empty activity row');
  return hours.length;
}
