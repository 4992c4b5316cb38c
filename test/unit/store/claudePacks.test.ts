import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hash53 } from '../../../src/core/hash';
import type { KeptCopy } from '../../../src/core/ingest/spilledCalls';
import { allClaudeCalls, ClaudePacks, decodeCalls, encodeCalls, packOf, ridKey, type StoredCall } from '../../../src/core/store/claudePacks';
import { openIndexDatabase } from '../../../src/core/store/persist';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { TimeSlicer } from '../../../src/core/store/timeSlice';
import { rng } from '../rng';

const T0 = Date.parse('2026-11-01T00:00:00Z');

function copy(r: () => number, o: Partial<KeptCopy> = {}): KeptCopy {
  const big = () => Math.floor(r() * 2 ** (1 + Math.floor(r() * 31)));
  const maybe = () => (r() < 0.5 ? 0 : big());
  return {
    rid: r() < 0.2 ? 0 : ridKey(hash53(`req${r()}`)), side: r() < 0.1, ts: T0 + Math.floor(r() * 36 * 86_400_000), dim: 1 + Math.floor(r() * 60_000),
    input: big(), output: big(), cw5m: maybe(), cw1h: maybe(), cacheRead: maybe(), webSearch: r() < 0.9 ? 0 : 3, act: r() < 0.5 ? 0 : 7, ...o,
  };
}

const byMid = (a: StoredCall, b: StoredCall) => a[0] - b[0];

test('ridKey: 0 stays none, a hash goes to 1..2^32−1, a key is its own key', () => {
  assert.equal(ridKey(0), 0);
  for (const h of [1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, hash53('req_1'), hash53('req_2')]) {
    const k = ridKey(h);
    assert.ok(k >= 1 && k <= 2 ** 32 - 1, `${h} → ${k}`);
    assert.equal(ridKey(k), k);
  }
});

test('a pack gives back every copy bit for bit: several copies of one call in their order, edge values, values no parser writes (as doubles)', () => {
  const r = rng(5);
  const k = 1234;
  const mid = (lo: number) => k * 2 ** 39 + lo;
  const calls: StoredCall[] = [
    [mid(0), copy(r, { ts: 0, input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 0, act: 0, rid: 0 })],
    [mid(5), copy(r, { rid: 2 ** 32 - 1 })],
    [mid(5), copy(r, { rid: 1, side: true })],
    [mid(5), copy(r, { rid: 77 })],
    [mid(6), copy(r, { input: 2.5 })],
    [mid(7), copy(r, { ts: -1000 })],
    [mid(8), copy(r, { cacheRead: 2 ** 53 - 1, dim: 2 ** 40 })],
    [mid(2 ** 39 - 1), copy(r, { ts: 8.64e15 })],
  ];
  for (let i = 0; i < 200; i++) calls.push([mid(Math.floor(r() * 2 ** 39)), copy(r)]);
  calls.sort(byMid);
  assert.ok(calls.every(([m]) => packOf(m) === k));
  const p = encodeCalls(calls);
  assert.deepEqual(decodeCalls(k, p), calls);
  assert.throws(() => decodeCalls(k, p.subarray(0, p.length - 1)), /truncated/);
  // a typical copy: ~30 bytes or less
  const typical = Array.from({ length: 500 }, (_, i) => [mid(i * 1000), copy(r, { input: 3 + i, output: 300 + i, cacheRead: 50_000 + i * 10, cw5m: 2000, cw1h: 0, webSearch: 0, act: 1 })] as StoredCall);
  assert.ok(encodeCalls(typical).length / 500 < 30, `${encodeCalls(typical).length / 500} bytes a copy`);
});

test('replace: the replaced calls rewritten, the others of their packs kept, a pack left empty deleted; compactBefore takes the aged copies out', async () => {
  const { db } = openIndexDatabase(await loadSqlJs(), undefined);
  const r = rng(9);
  const slicer = new TimeSlicer();
  const packs = new ClaudePacks(db);
  const calls: StoredCall[] = Array.from({ length: 3000 }, (_, i) => [hash53(`m${i}`), copy(r)] as StoredCall).sort(byMid);
  // a call with two copies
  calls.splice(10, 0, [calls[10][0], copy(r, { rid: 5 })]);
  await packs.replace(calls, undefined, slicer);
  assert.deepEqual(allClaudeCalls(db), calls);
  assert.deepEqual(packs.get(calls[10][0]), [calls[10][1], calls[11][1]]);
  assert.deepEqual(packs.get(hash53('never')), []);
  // replace: call 0 gets a new copy, call 1 has none left (aged out of the run), a new call comes
  const others = new Set([calls[0][0], calls[1][0], hash53('new')].map(packOf));
  const lone = calls.find(([m]) => !others.has(packOf(m)) && calls.filter(([x]) => packOf(x) === packOf(m)).length === 1)!;
  const replaced = new Set([calls[0][0], calls[1][0], lone[0]]);
  const fresh: StoredCall[] = ([[calls[0][0], copy(r)], [hash53('new'), copy(r)]] as StoredCall[]).sort(byMid);
  await packs.replace(fresh, replaced, slicer);
  const expected = [...calls.filter(([m]) => !replaced.has(m)), ...fresh].sort(byMid);
  const got = allClaudeCalls(db);
  assert.deepEqual(got.map(([m]) => m), expected.map(([m]) => m));
  assert.deepEqual(new Map(got.map(([m, c]) => [`${m}:${c.rid}:${c.ts}`, c])), new Map(expected.map(([m, c]) => [`${m}:${c.rid}:${c.ts}`, c])));
  assert.equal(db.exec('SELECT count(*) FROM claude_packs WHERE k = ?', [packOf(lone[0])])[0].values[0][0], 0, 'the emptied pack is deleted');
  // the copies before a day go, the rest stay
  const day = T0 + 20 * 86_400_000;
  const aged = await packs.compactBefore(day, slicer);
  assert.deepEqual(aged.sort((a, b) => a - b), expected.filter(([, c]) => c.ts < day).map(([m]) => m).sort((a, b) => a - b));
  assert.deepEqual(allClaudeCalls(db).map(([m, c]) => [m, c.ts]), expected.filter(([, c]) => c.ts >= day).map(([m, c]) => [m, c.ts]));
  assert.deepEqual(await packs.compactBefore(day, slicer), [], 'nothing left to compact');
  packs.free();
  db.close();
});
