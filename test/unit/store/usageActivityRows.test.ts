/**
 * How a flush writes cost by activity (store/usageActivity.ts, usageDeltas.ts): the deltas of several dims rows that
 * share (hour, source, model, tier) are summed in JS into one usage_acts row, stored as integers, over several flushes
 * of one run (ids looked up once), and a subtraction that empties a row deletes it — usage_acts still sums to
 * usage_hours per (hour, key).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { DimCache } from '../../../src/core/store/dims';
import { UsageDeltas } from '../../../src/core/store/usageDeltas';
import { TimeSlicer } from '../../../src/core/store/timeSlice';
import { freshDb } from '../ingest/helpers';
import { assertActivityEqualsHours } from '../activity/activitySums';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-04-01T10:00:00Z');
const call = (input: number, output: number, cacheRead = 0) => ({ input, output, cw5m: 0, cw1h: 0, cacheRead, webSearch: 0 });

const rows = (db: Database) =>
  db.exec(
    `SELECT a.hour, typeof(a.hour), k.model, n.name, a.requests, a.input, a.output, a.cache_read, typeof(a.input)
     FROM usage_acts a JOIN hour_keys k ON k.id = a.key JOIN act_keys n ON n.id = a.act ORDER BY a.hour, k.model, n.name`,
  )[0]?.values ?? [];

test('activity deltas of several sessions in one hour and model become one integer row; a later flush adds to it', async () => {
  const db = await freshDb();
  const dims = new DimCache(db);
  const dim = (session: string, model = 'claude-sonnet-4-5', branch = 'main') =>
    dims.idOf({ source: 'claude', model, project: 'p', session, branch, tier: 'standard' });
  const usage = new UsageDeltas();
  const slicer = new TimeSlicer();
  db.run('BEGIN');
  // three sessions (three dims rows) in the 10:00 UTC hour, one call each, two of them coding
  usage.add(T0, dim('s1'), call(10, 100, 5000), T0 + 1000, 1, 1, 'coding');
  usage.add(T0 + 900_000, dim('s2'), call(20, 200, 6000), T0 + 901_000, 1, 1, 'coding');
  usage.add(T0 + 1_800_000, dim('s3', 'claude-sonnet-4-5', 'dev'), call(30, 300), T0 + 1_801_000, 1, 1, 'subagent/exploring');
  // another model in the same hour, and the next hour
  usage.add(T0, dim('s1', 'claude-opus-4-6'), call(1, 2), T0 + 2000, 1, 1, 'mcp:github');
  usage.add(T0 + HOUR, dim('s1'), call(4, 40), T0 + HOUR + 5, 1, 1, 'coding');
  await usage.flush(db, slicer);
  assert.deepEqual(rows(db), [
    [T0, 'integer', 'claude-opus-4-6', 'mcp:github', 1, 1, 2, 0, 'integer'],
    [T0, 'integer', 'claude-sonnet-4-5', 'coding', 2, 30, 300, 11000, 'integer'],
    [T0, 'integer', 'claude-sonnet-4-5', 'subagent/exploring', 1, 30, 300, 0, 'integer'],
    [T0 + HOUR, 'integer', 'claude-sonnet-4-5', 'coding', 1, 4, 40, 0, 'integer'],
  ]);
  assertActivityEqualsHours(db);
  // a second flush of the same run: a new session (a new dims row) and a known one add to the same row; sums past
  // 32 bits stay integers
  usage.add(T0 + 60_000, dim('s4'), call(3_000_000_000, 7), T0 + 61_000, 1, 1, 'coding');
  usage.add(T0 + 120_000, dim('s1'), call(5, 5), T0 + 121_000, 1, 1, 'coding');
  await usage.flush(db, slicer);
  assert.deepEqual(rows(db)[1], [T0, 'integer', 'claude-sonnet-4-5', 'coding', 4, 3_000_000_035, 312, 11000, 'integer']);
  assertActivityEqualsHours(db);
  db.run('COMMIT');
  dims.free();
});

test('a call moved to another activity leaves no empty row behind; one moved within a flush nets out', async () => {
  const db = await freshDb();
  const dims = new DimCache(db);
  const d1 = dims.idOf({ source: 'claude', model: 'claude-sonnet-4-5', project: 'p', session: 's1', branch: 'main', tier: 'standard' });
  const d2 = dims.idOf({ source: 'claude', model: 'claude-sonnet-4-5', project: 'p', session: 's2', branch: 'main', tier: 'standard' });
  const usage = new UsageDeltas();
  const slicer = new TimeSlicer();
  usage.add(T0, d1, call(10, 100), T0 + 1, 1, 1, 'exploring');
  usage.add(T0, d2, call(7, 70), T0 + 2, 1, 1, 'exploring');
  await usage.flush(db, slicer);
  // the first call turns out to be coding (a later copy named Edit): moved, its usage row unchanged
  usage.moveActivity(T0, d1, call(10, 100), 1, 'exploring', 'coding');
  // a call added and moved again within one flush: only its final activity gets a row
  usage.add(T0, d2, call(1, 1), T0 + 3, 1, 1, 'conversation');
  usage.moveActivity(T0, d2, call(1, 1), 1, 'conversation', 'running');
  await usage.flush(db, slicer);
  assert.deepEqual(
    rows(db).map((r) => [r[3], r[4], r[5], r[6]]),
    [
      ['coding', 1, 10, 100],
      ['exploring', 1, 7, 70],
      ['running', 1, 1, 1],
    ],
  );
  // the second session's exploring call moves too: the exploring row is emptied and deleted
  usage.moveActivity(T0, d2, call(7, 70), 1, 'exploring', 'coding');
  await usage.flush(db, slicer);
  assert.deepEqual(
    rows(db).map((r) => [r[3], r[4], r[5], r[6]]),
    [
      ['coding', 2, 17, 170],
      ['running', 1, 1, 1],
    ],
  );
  assertActivityEqualsHours(db);
  dims.free();
});
