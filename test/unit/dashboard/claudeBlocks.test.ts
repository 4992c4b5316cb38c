import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import type { Fact } from '../../../src/core/types';
import { bucketOf } from '../../../src/core/types';
import { claudeBlocks } from '../../../src/app/dashboard/claudeBlocks';

function fact(iso: string, o: Partial<Fact>): Fact {
  const ms = Date.parse(iso);
  return {
    source: 'claude', model: 'claude-sonnet-4-5-20250929', project: 'p', session: 's', branch: '', tier: 'standard',
    input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 1,
    bucketStartMs: bucketOf(ms), firstMs: ms, lastMs: ms, ...o,
  };
}

test('blocks timeline: Claude only, input+output per 5-hour block, preset plan limit labelled as an estimate', () => {
  const now = Date.parse('2026-06-10T12:00:00Z');
  const facts = [
    fact('2026-06-10T02:10:00Z', { input: 1000, output: 2000, cacheRead: 50_000 }),
    fact('2026-06-10T04:40:00Z', { input: 500, output: 500 }),
    // 5 h after the first block's start (02:00): a new block
    fact('2026-06-10T10:30:00Z', { input: 3000, output: 1000 }),
    fact('2026-06-10T10:35:00Z', { source: 'codex', model: 'gpt-5-codex', input: 99_999, output: 1 }),
  ];
  const b = claudeBlocks(facts, createPriceTable(), now, { plan: 'pro' })!;
  assert.deepEqual(b.blocks.map((x) => [new Date(x.startMs).toISOString(), x.tokens, x.isActive]), [
    ['2026-06-10T02:00:00.000Z', 4000, false],
    ['2026-06-10T10:00:00.000Z', 4000, true],
  ]);
  assert.equal(b.limitTokens, 19_000);
  assert.match(b.limitLabel!, /estimate/);
  assert.equal(claudeBlocks(facts.filter((f) => f.source === 'codex'), createPriceTable(), now, { plan: 'auto' }), null);
});

test('the active block against the limit (burn rate, time until the limit, real reset) and weekly totals in the zone', () => {
  const now = Date.parse('2026-06-10T12:00:00Z'); // Wednesday
  const facts = [
    fact('2026-06-01T09:00:00Z', { input: 2000, output: 6000 }), // Monday of last week
    fact('2026-06-10T10:30:00Z', { input: 3000, output: 7000 }),
    fact('2026-06-10T11:10:00Z', { input: 1000, output: 9000, lastMs: Date.parse('2026-06-10T11:30:00Z') }),
  ];
  const b = claudeBlocks(facts, createPriceTable(), now, { plan: 'custom', customTokens: 30_000 }, [], { timeZone: 'Europe/Berlin', weekStart: 1 })!;
  const c = b.current!;
  assert.equal(new Date(c.startMs).toISOString(), '2026-06-10T10:00:00.000Z');
  assert.equal(c.tokens, 20_000);
  // 20,000 tokens over 10:30 → 11:30: 333.3/min; 10,000 left → 30 min
  assert.ok(Math.abs(c.tokensPerMinute! - 20_000 / 60) < 1e-6);
  assert.equal(Math.round(c.msToLimit! / 60_000), 30);
  assert.equal(c.resetSource, 'block');
  assert.equal(c.resetsAtMs, Date.parse('2026-06-10T15:00:00Z'));
  assert.ok(Math.abs(c.usedRatio! - 2 / 3) < 1e-9);
  assert.deepEqual(b.weeks!.map((w) => [w.startDay, w.tokens, w.blocks]), [
    ['2026-05-18', 0, 0], ['2026-05-25', 0, 0], ['2026-06-01', 8000, 1], ['2026-06-08', 20_000, 1],
  ]);
  assert.ok(Math.abs(b.weeks![3].costUSD - (4000 * 3 + 16_000 * 15) / 1e6) < 1e-9);

  const reset = Date.parse('2026-06-10T13:15:00Z');
  const hit = claudeBlocks(facts, createPriceTable(), now, { plan: 'custom', customTokens: 30_000 }, [{ resetMs: reset, observedMs: Date.parse('2026-06-10T11:31:00Z') }])!;
  assert.equal(hit.current!.resetsAtMs, reset);
  assert.equal(hit.current!.resetSource, 'api-error');
  assert.equal(hit.current!.limitReached, true);
  assert.equal(hit.current!.msToLimit, 0);
});
