import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockLike } from '../../../src/core/limits/blockLike';
import { p90BlockLimit, quantileExclusive } from '../../../src/core/limits/p90';

const H = 3_600_000;
const T0 = Date.parse('2026-03-02T08:00:00Z');

function block(i: number, tokens: number, costUsd: number | null, extra: Partial<BlockLike> = {}): BlockLike {
  const startMs = T0 + i * 6 * H;
  return { startMs, endMs: startMs + 5 * H, firstMs: startMs + 60_000, actualEndMs: startMs + 4 * H, isGap: false, isActive: false, tokens, costUsd, requests: Math.round(tokens / 900), ...extra };
}

test('quantileExclusive reproduces Python statistics.quantiles(n=10)[8]', () => {
  // reference values printed by CPython 3: quantiles([1,2],n=10)[8] == 2.7, etc.
  assert.ok(Math.abs(quantileExclusive([1, 2], 9, 10)! - 2.7) < 1e-9);
  assert.equal(quantileExclusive([10, 20, 30], 9, 10), 36);
  assert.ok(Math.abs(quantileExclusive([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9, 10)! - 9.9) < 1e-9);
  assert.equal(quantileExclusive([5, 1, 9, 3], 9, 10), 11);
  assert.ok(Math.abs(quantileExclusive(Array.from({ length: 20 }, (_, i) => i + 1), 9, 10)! - 18.9) < 1e-9);
  assert.equal(quantileExclusive([7], 9, 10), 7);
  assert.equal(quantileExclusive([], 9, 10), null);
});

test('auto limit: P90 of completed blocks that reached ≥95% of a known limit; active and gap blocks ignored', () => {
  const blocks = [
    block(0, 20_000, 14.2), // ≥ 18,050 (95% of pro)
    block(1, 45_000, 22.0),
    block(2, 86_000, 31.5), // ≥ 83,600 (95% of max5)
    block(3, 9_000, 4.1),
    block(4, 90_000, 36.8),
    block(5, 3_000, 0.9),
    block(6, 150_000, 61.0),
    block(7, 0, 0, { isGap: true, actualEndMs: null }),
    block(8, 300_000, 140, { isActive: true }),
  ];
  const r = p90BlockLimit(blocks);
  assert.equal(r.method, 'p90-near-limit');
  assert.equal(r.blocksUsed, 5);
  // tokens sorted 20k,45k,86k,90k,150k: Python exclusive P90 = (90k·(-4) + 150k·14)/10
  assert.equal(r.tokens, 174_000);
  // costs 14.2,22,31.5,36.8,61 → (36.8·(-4) + 61·14)/10
  assert.ok(Math.abs(r.costUsd! - (36.8 * -4 + 61 * 14) / 10) < 1e-9);
});

test('a block near a cost limit counts as near-limit even with few tokens (heavy Opus cache use)', () => {
  const r = p90BlockLimit([block(0, 15_000, 25.4), block(1, 6_000, 3.2), block(2, 8_000, 4.0)]);
  assert.equal(r.method, 'p90-near-limit');
  assert.equal(r.blocksUsed, 1);
  assert.equal(r.tokens, 19_000); // floored at CCUM's minimum
  assert.equal(r.costUsd, 25.4);
});

test('no block near a limit → P90 of all completed blocks; unpriced blocks skipped for cost; floor 19,000 tokens', () => {
  const tokens = [5_000, 8_000, 12_000, 15_000, 17_000, 16_000, 11_000, 14_000, 9_000, 13_000];
  const costs = [1.5, 2.5, 4.0, 5.5, 6.0, null, 3.9, 5.0, 2.9, 4.4];
  const r = p90BlockLimit(tokens.map((t, i) => block(i, t, costs[i])));
  assert.equal(r.method, 'p90-all');
  assert.equal(r.blocksUsed, 10);
  assert.equal(r.tokens, 19_000); // raw P90 16,900 is below the floor
  // priced costs sorted: 1.5,2.5,2.9,3.9,4.0,4.4,5.0,5.5,6.0 (9) → j=9 clamped 8, delta=90-80=10 → extrapolated
  const sorted = [1.5, 2.5, 2.9, 3.9, 4.0, 4.4, 5.0, 5.5, 6.0];
  assert.ok(Math.abs(r.costUsd! - (sorted[7] * 0 + sorted[8] * 10) / 10) < 1e-9);
});

test('no completed blocks → no limit, method none', () => {
  const r = p90BlockLimit([block(0, 40_000, 10, { isActive: true })]);
  assert.deepEqual(r, { tokens: null, costUsd: null, method: 'none', blocksUsed: 0 });
});
