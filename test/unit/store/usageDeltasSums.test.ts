/**
 * What a refresh's usage deltas write (store/usageDeltas.ts) against sums computed here, over a seeded stream of
 * changes shaped like a first index: runs of consecutive calls into the same 15-minute bucket, dims row and activity
 * (the common case the deltas take without a key or Map lookup), switches between rows and back, better copies taken
 * back and added again, activities moved, and flushes at random points — also between two changes of the same row,
 * which must go to the next flush's row, not to one already written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { DimCache } from '../../../src/core/store/dims';
import { UsageDeltas } from '../../../src/core/store/usageDeltas';
import { TimeSlicer } from '../../../src/core/store/timeSlice';
import { freshDb } from '../ingest/helpers';
import { assertActivityEqualsHours } from '../activity/activitySums';
import { rng } from '../rng';

const Q = 900_000;
const T0 = Date.parse('2026-04-01T00:00:00Z');
const ACTS = ['coding', 'exploring', 'mcp:github', ''];

interface Row { input: number; output: number; cw5m: number; cw1h: number; cacheRead: number; requests: number; first: number; last: number }

const usageRows = (db: Database) =>
  (db.exec('SELECT bucket, dim, input, output, cw5m, cw1h, cache_read, requests, first_ms, last_ms FROM usage ORDER BY bucket, dim')[0]?.values ?? []).map((r) => r.map(Number));

const actRows = (db: Database) =>
  (db.exec(
    `SELECT a.hour, n.name, sum(a.requests), sum(a.input), sum(a.output), sum(a.cache_read) FROM usage_acts a JOIN act_keys n ON n.id = a.act
     GROUP BY a.hour, n.name ORDER BY a.hour, n.name`,
  )[0]?.values ?? []).map((r) => [Number(r[0]), String(r[1]), ...r.slice(2).map(Number)]);

test('usage deltas: a seeded stream of changes with runs, switches, take-backs, moves and flushes gives the sums computed here', async () => {
  const db = await freshDb();
  const dims = new DimCache(db);
  const dimIds = ['s1', 's2', 's3'].flatMap((session) =>
    ['claude-sonnet-4-5', 'claude-opus-4-6'].map((model) => dims.idOf({ source: 'claude', model, project: 'p', session, branch: 'main', tier: 'standard' })),
  );
  const usage = new UsageDeltas();
  const slicer = new TimeSlicer();
  const rand = rng(20261207);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const want = new Map<string, Row>();
  const wantActs = new Map<string, number[]>();
  const counted: { bucket: number; dim: number; t: ReturnType<typeof tokens>; act: string }[] = [];
  const tokens = () => ({ input: 1 + Math.floor(rand() * 5000), output: Math.floor(rand() * 900), cw5m: Math.floor(rand() * 50), cw1h: 0, cacheRead: Math.floor(rand() * 20000), webSearch: 0 });
  const note = (bucket: number, dim: number, t: ReturnType<typeof tokens>, ts: number, sign: 1 | -1, act: string) => {
    const k = `${bucket}:${dim}`;
    const r = want.get(k) ?? { input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, requests: 0, first: Number.MAX_SAFE_INTEGER, last: 0 };
    r.input += sign * t.input;
    r.output += sign * t.output;
    r.cw5m += sign * t.cw5m;
    r.cacheRead += sign * t.cacheRead;
    r.requests += sign;
    if (sign > 0) {
      r.first = Math.min(r.first, ts);
      r.last = Math.max(r.last, ts);
    }
    want.set(k, r);
    noteAct(bucket, t, sign, act);
  };
  const noteAct = (bucket: number, t: ReturnType<typeof tokens>, sign: 1 | -1, act: string) => {
    const hk = `${bucket - (bucket % 3_600_000)}:${act}`;
    const a = wantActs.get(hk) ?? [0, 0, 0, 0];
    a[0] += sign;
    a[1] += sign * t.input;
    a[2] += sign * t.output;
    a[3] += sign * t.cacheRead;
    wantActs.set(hk, a);
  };
  db.run('BEGIN');
  let bucket = T0;
  let dim = dimIds[0];
  let act = 'coding';
  let flushes = 0;
  for (let i = 0; i < 4000; i++) {
    const r = rand();
    if (r < 0.15) bucket = T0 + Q * Math.floor(rand() * 12); // another bucket (an hour holds four)
    else if (r < 0.25) dim = pick(dimIds);
    else if (r < 0.3) act = pick(ACTS);
    const ts = bucket + Math.floor(rand() * Q);
    const t = tokens();
    usage.add(bucket, dim, t, ts, 1, 1, act);
    note(bucket, dim, t, ts, 1, act);
    counted.push({ bucket, dim, t, act });
    if (rand() < 0.05) {
      // a better copy: the kept one taken back (under the activity it was counted under), the new one added
      const old = counted.splice(Math.floor(rand() * counted.length), 1)[0];
      usage.add(old.bucket, old.dim, old.t, old.bucket, -1, 1, old.act);
      note(old.bucket, old.dim, old.t, old.bucket, -1, old.act);
      const better = { ...old.t, output: old.t.output + 100 };
      usage.add(old.bucket, old.dim, better, old.bucket + 5, 1, 1, old.act);
      note(old.bucket, old.dim, better, old.bucket + 5, 1, old.act);
      counted.push({ ...old, t: better });
    }
    if (rand() < 0.03) {
      // a call's activity raised by a later copy (its usage row stays)
      const c = counted[Math.floor(rand() * counted.length)];
      const to = pick(ACTS);
      usage.moveActivity(c.bucket, c.dim, c.t, 1, c.act, to);
      if (to !== c.act) {
        noteAct(c.bucket, c.t, -1, c.act);
        noteAct(c.bucket, c.t, 1, to);
        c.act = to;
      }
    }
    if (rand() < 0.02) {
      await usage.flush(db, slicer);
      flushes++;
    }
  }
  await usage.flush(db, slicer);
  db.run('COMMIT');
  assert.ok(flushes > 20, `flushed ${flushes} times mid-stream`);
  const expected = [...want]
    .map(([k, r]) => [...k.split(':').map(Number), r.input, r.output, r.cw5m, r.cw1h, r.cacheRead, r.requests, r.first, r.last])
    .filter((r) => r.slice(2, 8).some((x) => x !== 0))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  assert.deepEqual(usageRows(db), expected);
  const expectedActs = [...wantActs]
    .filter(([, a]) => a.some((x) => x !== 0))
    .map(([k, a]) => [Number(k.slice(0, k.indexOf(':'))), k.slice(k.indexOf(':') + 1), ...a])
    .sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1])));
  assert.deepEqual(actRows(db), expectedActs);
  assertActivityEqualsHours(db);
  dims.free();
});
