import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockLike } from '../../../src/core/limits/blockLike';
import { planTokens } from '../../../src/core/limits/blockLike';
import { forecastBlock, resetForBlock } from '../../../src/core/limits/blockForecast';
import { PLAN_PRESETS, describePlanLimit, resolvePlanLimit } from '../../../src/core/limits/plans';

const MIN = 60_000;
const H = 60 * MIN;
const start = Date.parse('2026-03-05T10:00:00Z');

/** Active block: first entry 10:05, last entry 11:35 (90 min of activity). */
function active(tokens: number, costUsd: number | null): BlockLike {
  return { startMs: start, endMs: start + 5 * H, firstMs: start + 5 * MIN, actualEndMs: start + 95 * MIN, isGap: false, isActive: true, tokens, costUsd, requests: 120 };
}
const now = start + 100 * MIN; // 11:40, 200 minutes before the block ends

test('plan presets are the CCUM estimates and are labelled as estimates', () => {
  const max5 = resolvePlanLimit({ plan: 'max5' }, []);
  assert.deepEqual([max5.tokens, max5.costUsd, max5.method, max5.isEstimate], [88_000, 35, 'preset', true]);
  assert.equal(resolvePlanLimit({ plan: 'pro' }, []).tokens, PLAN_PRESETS.pro.tokens);
  assert.equal(resolvePlanLimit({ plan: 'max20' }, []).costUsd, 140);
  assert.match(describePlanLimit(max5), /max5 \(estimate\): 88,000 tokens \/ \$35\.00 per 5 h/);
  const custom = resolvePlanLimit({ plan: 'custom', customTokens: null, customCostUsd: 50 }, []);
  assert.deepEqual([custom.tokens, custom.costUsd, custom.method, custom.isEstimate], [null, 50, 'custom', false]);
  assert.equal(resolvePlanLimit({ plan: 'custom', customTokens: -3, customCostUsd: Number.NaN }, []).method, 'none');
  assert.equal(planTokens({ input: 1_200, output: 3_400 }), 4_600);
});

test('burn rate, projection to block end and time until the max5 token limit', () => {
  const f = forecastBlock(active(45_000, 9), resolvePlanLimit({ plan: 'max5' }, []), now);
  assert.equal(f.tokensPerMinute, 500); // 45,000 tokens over 90 minutes
  assert.ok(Math.abs(f.costPerHour! - 6) < 1e-9); // $9 over 1.5 h
  assert.equal(f.msToReset, 200 * MIN);
  assert.equal(f.resetSource, 'block');
  assert.equal(f.projectedTokens, 45_000 + 500 * 200);
  assert.ok(Math.abs(f.projectedCostUsd! - (9 + 6 * 200 / 60)) < 1e-9);
  // tokens hit 88,000 after (88,000-45,000)/500 = 86 min; the cost limit would take longer than the block
  assert.equal(Math.round(f.msToLimit! / MIN), 86);
  assert.equal(f.crossesLimit, true);
  assert.equal(f.limitReached, false);
  assert.ok(Math.abs(f.usedFraction! - 45_000 / 88_000) < 1e-12);
});

test('a slow block under max20 does not cross: no time-to-limit', () => {
  const f = forecastBlock(active(9_000, 1.8), resolvePlanLimit({ plan: 'max20' }, []), now);
  assert.equal(f.tokensPerMinute, 100);
  assert.equal(f.projectedTokens, 29_000);
  assert.equal(f.msToLimit, null);
  assert.equal(f.crossesLimit, false);
});

test('cost limit comes first when cost burns faster than tokens (custom plan with both)', () => {
  const f = forecastBlock(active(30_000, 24), resolvePlanLimit({ plan: 'custom', customTokens: 200_000, customCostUsd: 40 }, []), now);
  // cost rate $16/h → $16 to go takes 60 min; tokens 333/min → 170,000 to go takes 510 min (after reset)
  assert.equal(Math.round(f.msToLimit! / MIN), 60);
  assert.equal(f.crossesLimit, true);
});

test('a "usage limit reached|<epoch>" reset written during the block overrides the block end', () => {
  const resets = [
    { resetMs: start - 2 * H, observedMs: start - 4 * H }, // previous block: ignored
    { resetMs: start + 4 * H, observedMs: start + 95 * MIN },
  ];
  const b = active(60_000, 20);
  assert.deepEqual(resetForBlock(b, resets), resets[1]);
  const f = forecastBlock(b, resolvePlanLimit({ plan: 'max5' }, []), now, resets);
  assert.equal(f.resetSource, 'api-error');
  assert.equal(f.resetsAtMs, start + 4 * H);
  assert.equal(f.msToReset, 4 * H - 100 * MIN);
  assert.equal(f.limitReached, true);
  assert.equal(f.msToLimit, 0);
  assert.equal(f.crossesLimit, true);
  assert.equal(f.projectedTokens, 60_000); // limited: no more burn
});

test('span under a minute gives no rate; projection stays at current totals', () => {
  const b: BlockLike = { ...active(2_000, 0.4), firstMs: start + 95 * MIN - 20_000 };
  const f = forecastBlock(b, resolvePlanLimit({ plan: 'pro' }, []), now);
  assert.equal(f.tokensPerMinute, null);
  assert.equal(f.projectedTokens, 2_000);
  assert.equal(f.crossesLimit, false);
});

test('auto plan: P90 of past blocks feeds the forecast of the current block', () => {
  const past: BlockLike[] = [70_000, 84_000, 91_000, 88_500, 86_000, 12_000].map((tokens, i) => {
    const s = start - (i + 1) * 6 * H;
    return { startMs: s, endMs: s + 5 * H, actualEndMs: s + 4 * H, isGap: false, isActive: false, tokens, costUsd: tokens / 2500, requests: 80 };
  });
  const limit = resolvePlanLimit({ plan: 'auto' }, [...past, active(45_000, 9)]);
  assert.equal(limit.method, 'p90-near-limit');
  assert.equal(limit.blocksUsed, 5); // 12,000 is below 95% of every known limit
  // sorted 70k,84k,86k,88.5k,91k: j=5→4, delta=14 → (88.5k·-4 + 91k·14)/10 = 92,000
  assert.equal(limit.tokens, 92_000);
  assert.match(describePlanLimit(limit), /P90 of 5 blocks/);
  const f = forecastBlock(active(45_000, 9), limit, now);
  assert.equal(Math.round(f.msToLimit! / MIN), (92_000 - 45_000) / 500);
  assert.equal(f.crossesLimit, true);
});
