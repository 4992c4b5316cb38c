import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { loadLatestRateLimits, loadRateLimitSamples } from '../../../src/core/query/facts';
import { putRateLimits } from '../../../src/core/store/rateLimits';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import type { RateLimitSnapshot } from '../../../src/core/types';

async function atVersion(v: number): Promise<Database> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  for (let i = 0; i < v; i++) db.exec(`${MIGRATIONS[i]}; PRAGMA user_version = ${i + 1}`);
  return db;
}

const T = 1765019638551;
/** Samples as the Codex parser builds them (parse/codex.ts rateLimitSnapshot): every shape a window can take. */
const SAMPLES: RateLimitSnapshot[] = [
  { observedMs: T, primary: { usedPercent: 20.7, windowMinutes: 300, resetsAtMs: 1765026000000 }, secondary: { usedPercent: 22.2, windowMinutes: 10080, resetsAtMs: 1765411200000 }, planType: 'plus', limitId: 'codex' },
  // an older build: no secondary, no window minutes, a reset from resets_in_seconds (not a whole second), no plan
  { observedMs: T + 900_000, primary: { usedPercent: 0, windowMinutes: null, resetsAtMs: T + 900_000 + 12_345.5 }, secondary: null, planType: null, limitId: null },
  // a percent that is no short decimal, a reset unknown
  { observedMs: T + 1_800_000, primary: null, secondary: { usedPercent: 100 / 3, windowMinutes: 10080, resetsAtMs: null }, planType: 'pro', limitId: null },
  { observedMs: T + 2_700_000, primary: { usedPercent: 1e-7, windowMinutes: 300, resetsAtMs: 1765026000000 }, secondary: { usedPercent: 99.99999999999999, windowMinutes: 10080, resetsAtMs: 1765411200000 }, planType: 'team "q"', limitId: 'codex_bengalfox' },
];
const bucket = (ms: number) => ms - (ms % 900_000);

test('migration 7: the JSON samples of rate_limits become typed columns that read back as the same values', async () => {
  const db = await atVersion(6);
  const put = db.prepare('INSERT INTO rate_limits (bucket, observed_ms, snapshot) VALUES (?, ?, ?)');
  for (const s of SAMPLES) put.run([bucket(s.observedMs), s.observedMs, JSON.stringify(s)]);
  put.free();
  migrate(db);
  assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
  assert.deepEqual(loadRateLimitSamples(db, 0), SAMPLES);
  assert.deepEqual(loadLatestRateLimits(db), SAMPLES[3]);
  assert.equal(db.exec("SELECT count(*) FROM sqlite_temp_master WHERE name = 'r6'")[0].values[0][0], 0);
});

test('typed samples: written and read back exactly; a bucket keeps the newest sample observed in it', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  putRateLimits(db, SAMPLES.map((s) => [bucket(s.observedMs), s]));
  assert.deepEqual(loadRateLimitSamples(db, 0), SAMPLES);
  // an older sample of the first bucket changes nothing; a newer one replaces it
  const older = { ...SAMPLES[0], observedMs: T - 1, primary: { usedPercent: 1, windowMinutes: 300, resetsAtMs: 1 } };
  const newer = { ...SAMPLES[0], observedMs: T + 1, secondary: null };
  putRateLimits(db, [[bucket(T), older]]);
  assert.deepEqual(loadRateLimitSamples(db, 0)[0], SAMPLES[0]);
  putRateLimits(db, [[bucket(T), newer]]);
  assert.deepEqual(loadRateLimitSamples(db, 0)[0], newer);
  assert.deepEqual(loadRateLimitSamples(db, T + 1_800_000), SAMPLES.slice(2));
  assert.equal(loadLatestRateLimits(await (async () => { const e = new SQL.Database(); migrate(e); return e; })()), null);
});

test('samples written many at a time (several statements): each bucket keeps its newest, whichever order they come in', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  const sample = (b: number, k: number) => ({ ...SAMPLES[k % SAMPLES.length], observedMs: b * 900_000 + k * 1000 });
  const first = Array.from({ length: 250 }, (_, b) => [b, sample(b, 10)] as [number, (typeof SAMPLES)[number]]);
  putRateLimits(db, first);
  // a second batch: older samples for the even buckets (kept out), newer ones for the odd buckets (taken), new buckets
  const second = Array.from({ length: 300 }, (_, b) => [b, sample(b, b % 2 ? 20 : 3)] as [number, (typeof SAMPLES)[number]]);
  putRateLimits(db, second);
  const got = loadRateLimitSamples(db, 0);
  assert.equal(got.length, 300);
  assert.deepEqual(got, second.map(([b, s]) => (b < 250 && b % 2 === 0 ? first[b][1] : s)));
});
