import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheHitRatioByDay, cacheSummary, idleRewrites } from '../../../src/core/limits/cacheEconomics';
import { cacheHints } from '../../../src/core/limits/hints';
import { formatTokens, formatUsd } from '../../../src/core/limits/format';
import { fact, tokenCost } from './fixtures';

const near = (a: number, b: number, eps = 1e-9) => Math.abs(a - b) < eps;

test('summary: write spend by TTL, savings vs full input price, write premium, hit ratio', () => {
  const facts = [
    fact({ at: '2026-03-03T09:00:00Z', input: 1_000, output: 8_000, cacheWrite5m: 100_000, cacheWrite1h: 50_000, cacheRead: 2_000_000 }),
    fact({ at: '2026-03-03T09:20:00Z', model: 'gpt-5.3-codex', input: 10_000, output: 3_000, cacheRead: 90_000 }),
    fact({ at: '2026-03-03T09:40:00Z', model: 'claude-next-7', input: 0, cacheRead: 1_000 }),
  ];
  const s = cacheSummary(facts, tokenCost);
  assert.ok(near(s.write5mUsd, 0.375)); // 100k × $3.75/M
  assert.ok(near(s.write1hUsd, 0.3)); // 50k × $6/M
  assert.ok(near(s.readsAtInputPriceUsd, 6 + 0.1575)); // 2M × $3/M + 90k × $1.75/M
  assert.ok(near(s.readsPaidUsd, 0.6 + 0.01575));
  assert.ok(near(s.savedUsd, 5.54175));
  assert.ok(near(s.writePremiumUsd, 0.075 + 0.15)); // (3.75−3) × 100k + (6−3) × 50k, per M
  assert.ok(near(s.netSavedUsd, 5.54175 - 0.225));
  assert.ok(near(s.hitRatio!, 2_091_000 / 2_252_000));
  assert.equal(s.unpricedTokens, 1_000);
});

test('hit ratio per local day', () => {
  const days = cacheHitRatioByDay([
    fact({ at: '2026-03-03T22:30:00Z', input: 100, cacheWrite5m: 20_000, cacheRead: 80_000 }), // 23:30 in Berlin
    fact({ at: '2026-03-03T23:10:00Z', input: 500, cacheWrite5m: 49_500, cacheRead: 0 }), // 00:10 next day
  ], 'Europe/Berlin');
  assert.deepEqual(days.map((d) => d.day), ['2026-03-03', '2026-03-04']);
  assert.ok(near(days[0].hitRatio!, 80_000 / 100_100));
  assert.equal(days[1].hitRatio, 0);
});

/** Session A uses 5-minute caching, session B 1-hour caching; C is Codex (no writes); D writes little. */
function sessions() {
  return [
    fact({ at: '2026-03-03T09:01:00Z', session: 'A', input: 200, output: 5_000, cacheWrite5m: 60_000, cacheRead: 300_000, spanMs: 11 * 60_000 }),
    fact({ at: '2026-03-03T09:16:00Z', session: 'A', cacheWrite5m: 15_000, cacheRead: 500_000, spanMs: 60_000 }), // 4-min gap: warm
    fact({ at: '2026-03-03T09:50:00Z', session: 'A', cacheWrite5m: 180_000, cacheRead: 40_000, spanMs: 5 * 60_000 }), // 33-min gap
    fact({ at: '2026-03-03T11:30:00Z', session: 'A', cacheWrite5m: 200_000, cacheRead: 10_000 }), // 1h35 gap
    fact({ at: '2026-03-03T10:00:00Z', session: 'B', cacheWrite1h: 100_000 }),
    fact({ at: '2026-03-03T10:30:00Z', session: 'B', cacheWrite1h: 150_000, cacheRead: 100_000 }), // 29-min gap: 1h cache still warm
    fact({ at: '2026-03-03T12:30:00Z', session: 'B', cacheWrite1h: 120_000 }), // 2-h gap: expired
    fact({ at: '2026-03-03T10:00:00Z', session: 'C', model: 'gpt-5.3-codex', input: 20_000, cacheRead: 900_000 }),
    fact({ at: '2026-03-03T13:00:00Z', session: 'C', model: 'gpt-5.3-codex', input: 20_000, cacheRead: 900_000 }),
    fact({ at: '2026-03-03T09:00:00Z', session: 'D', cacheWrite5m: 30_000 }),
    fact({ at: '2026-03-03T10:00:00Z', session: 'D', cacheWrite5m: 5_000 }), // below the minimum
  ];
}

test('idle-gap re-writes: 5m writes after gaps > 5 min, 1h writes only after gaps > 60 min', () => {
  const r = idleRewrites(sessions(), tokenCost);
  assert.equal(r.events, 3);
  assert.equal(r.tokens, 180_000 + 200_000 + 120_000);
  assert.ok(near(r.costUsd, 0.675 + 0.75 + 0.72)); // 180k and 200k × $3.75/M, 120k × $6/M
  assert.ok(near(r.avoidableWith1hUsd, 0.675)); // only the 33-minute gap
  assert.deepEqual(r.sessions.map((s) => [s.session, s.events, s.avoidableWith1h]), [['A', 2, 1], ['B', 1, 0]]);
});

test('hints name sessions, tokens and dollars', () => {
  const facts = sessions();
  const hints = cacheHints(cacheSummary(facts, tokenCost), idleRewrites(facts, tokenCost));
  const idle = hints.find((h) => h.id === 'idle-rewrites')!;
  assert.equal(idle.text, `2 sessions re-wrote 500k tokens of cache after idle gaps > 5 min: ~${formatUsd(2.145)}; keep sessions warm or use 1h cache (would have avoided ~${formatUsd(0.675)}).`);
  assert.equal(hints[0].id, 'idle-rewrites');
  assert.ok(hints.some((h) => h.id === 'cache-savings'));
  assert.equal(formatTokens(1_234_567), '1.2M');
  assert.equal(formatTokens(12_300), '12.3k');
  assert.equal(formatUsd(4.1), '$4.10');
  // too little at stake: no idle hint
  assert.equal(cacheHints(cacheSummary(facts, tokenCost), idleRewrites(facts, tokenCost), { minUsd: 5 }).some((h) => h.id === 'idle-rewrites'), false);
});

test('low hit ratio and costly 1-hour writes are pointed out', () => {
  const facts = [
    fact({ at: '2026-03-03T09:00:00Z', session: 'X', input: 300_000, cacheWrite1h: 900_000, cacheRead: 400_000 }),
    fact({ at: '2026-03-03T09:10:00Z', session: 'X', input: 100_000, cacheWrite1h: 300_000, cacheRead: 200_000 }),
  ];
  const hints = cacheHints(cacheSummary(facts, tokenCost), idleRewrites(facts, tokenCost));
  const ids = hints.map((h) => h.id);
  assert.ok(ids.includes('low-hit-ratio'));
  const oneHour = hints.find((h) => h.id === 'one-hour-writes')!;
  assert.match(oneHour.text, /1-hour cache writes cost \$7\.20/); // 1.2M × $6/M
  assert.ok(near(oneHour.usd!, 7.2 * 0.375));
});
