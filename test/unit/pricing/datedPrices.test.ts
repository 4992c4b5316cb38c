import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { discoverRoots } from '../../../src/core/discovery';
import { costOf } from '../../../src/core/pricing/costOf';
import { pricingTierOf, vendorTierOf } from '../../../src/core/pricing/contextTier';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { loadFacts } from '../../../src/core/query/facts';
import { zeroTokens, type TokenCounts } from '../../../src/core/types';
import { cleanup, indexOnce, tmpDir, write } from '../ingest/helpers';

/**
 * Announced price changes (prices.json `priceChanges`): Gemini 3.6-3.8 Flash at their introductory rates
 * (0.75 / 0.075 cached / 3.75) through 2026-12-31 and their list rates (1.5 / 0.15 / 7.5) from 2027-01-01 00:00 UTC,
 * as @pydantic/genai-prices 0.1.8 dates them. The period is decided per request from its time when logs are read
 * (tier `dated1`), so a table update never re-prices the requests made before the change. Expected costs by hand.
 */
const table = createPriceTable();
const t = (p: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), requests: 1, ...p });
const close = (actual: number | null, expected: number) => {
  assert.notEqual(actual, null);
  assert.ok(Math.abs(actual! - expected) < 1e-12, `expected ${expected}, got ${actual}`);
};
const LAST_INTRO = Date.parse('2026-12-31T23:59:59.999Z');
const FIRST_LIST = Date.parse('2027-01-01T00:00:00.000Z');

test('Gemini 3.6-3.8 Flash: requests before 2027-01-01 00:00 UTC are standard, from then on dated1', () => {
  for (const m of ['gemini-3.6-flash', 'gemini-3.7-flash', 'gemini-3.8-flash', 'google/gemini-3.8-flash']) {
    assert.equal(pricingTierOf(m, 5_000, Date.parse('2026-12-07T10:00:00Z')), 'standard', m);
    assert.equal(pricingTierOf(m, 5_000, LAST_INTRO), 'standard', m);
    assert.equal(pricingTierOf(m, 5_000, FIRST_LIST), 'dated1', m);
    assert.equal(pricingTierOf(m, 900_000, Date.parse('2027-06-01T00:00:00Z')), 'dated1', m);
    // Codex records vendor tiers only: the price change is one
    assert.equal(vendorTierOf(m, 5_000, FIRST_LIST), 'dated1', m);
  }
  // a request without a usable time stays in the entry's own period; other models never get a dated tier
  assert.equal(pricingTierOf('gemini-3.8-flash', 5_000, Number.NaN), 'standard');
  assert.equal(pricingTierOf('gemini-3.5-flash', 5_000, FIRST_LIST), 'standard');
  assert.equal(vendorTierOf('gemini-3.5-flash', 5_000, FIRST_LIST), 'standard');
});

test('Gemini 3.8 Flash: introductory rates, then the list rates (twice as much) for dated1 requests', () => {
  const tokens = t({ input: 20_000, cacheRead: 80_000, output: 2_000 });
  // 20000×0.75 + 80000×0.075 + 2000×3.75 = 15000 + 6000 + 7500 = 28500
  close(costOf(tokens, 'gemini-3.8-flash', 'standard', table), 0.0285);
  // 20000×1.5 + 80000×0.15 + 2000×7.5 = 30000 + 12000 + 15000 = 57000
  close(costOf(tokens, 'gemini-3.8-flash', 'dated1', table), 0.057);
  close(costOf(tokens, 'gemini-3.6-flash', 'dated1', table), 0.057);
  // a model without price changes ignores the tier (its one price)
  close(costOf(tokens, 'gemini-3.5-flash', 'dated1', table), (20_000 * 1.5 + 80_000 * 0.15 + 2_000 * 9) / 1e6);
});

test('an override of a dated model is its price on every date; an override of other fields keeps the changes', () => {
  const tokens = t({ input: 10_000, output: 1_000 });
  const over = createPriceTable({ 'gemini-3.8-flash': { input: 1, output: 5 } });
  // 10000×1 + 1000×5 = 15000 on both sides of the change
  close(costOf(tokens, 'gemini-3.8-flash', 'standard', over), 0.015);
  close(costOf(tokens, 'gemini-3.8-flash', 'dated1', over), 0.015);
  assert.equal(over.lookup('gemini-3.8-flash')!.priceChanges, undefined);
  assert.equal(over.lookup('gemini-3.7-flash')!.priceChanges?.length, 1, 'other models keep theirs');
  const ctx = createPriceTable({ 'gemini-3.8-flash': { maxInputTokens: 500_000 } });
  // 10000×1.5 + 1000×7.5 = 22500
  close(costOf(tokens, 'gemini-3.8-flash', 'dated1', ctx), 0.0225);
});

test('bundled price changes are ascending, dated, and only on entries with one rate per period', () => {
  let seen = 0;
  for (const [key, p] of table.models) {
    if (!p.priceChanges) continue;
    seen++;
    const since = p.priceChanges.map((c) => Date.parse(c.since));
    assert.ok(since.every((x) => Number.isFinite(x)), `${key}: since is a time`);
    assert.deepEqual([...since].sort((a, b) => a - b), since, `${key}: ascending`);
    assert.equal(p.contextTiers, undefined, key);
    assert.equal(p.peak, undefined, key);
    assert.equal(p.inputAbove200k, undefined, key);
  }
  assert.equal(seen, 3);
});

test('Gemini CLI log across the change: the last introductory request and the first list-price one, to the cent', async () => {
  const home = tmpDir('agentmeter-dated-');
  try {
    const session = [
      { sessionId: '7a2e4c1b-3d5f-4e60-8a9b-1c2d3e4f5a6b', projectHash: 'd9e858c45d3e8d2505b52060481fed6cec82f52aeea24b3259c0192f5531ea55', startTime: '2026-12-31T23:58:40.000Z', lastUpdated: '2026-12-31T23:58:40.000Z' },
      { id: 'c2d0a1f3-7e5c-4c9b-8a4f-2d3e4f5a6b71', timestamp: '2026-12-31T23:59:30.000Z', type: 'gemini', content: 'Done.', model: 'gemini-3.8-flash', tokens: { input: 50_000, output: 2_000, cached: 40_000, thoughts: 0, tool: 0, total: 52_000 } },
      { id: 'c2d0a1f3-7e5c-4c9b-8a4f-2d3e4f5a6b72', timestamp: '2027-01-01T00:00:30.000Z', type: 'gemini', content: 'Done.', model: 'gemini-3.8-flash', tokens: { input: 50_000, output: 2_000, cached: 40_000, thoughts: 0, tool: 0, total: 52_000 } },
    ];
    write(join(home, '.gemini/tmp/d9e858c4/chats/session-2026-12-31T23-58-7a2e4c1b.jsonl'), session.map((x) => `${JSON.stringify(x)}\n`).join(''));
    const { db, indexer } = await indexOnce(discoverRoots({ env: {}, home }));
    const byTier = new Map<string, number | null>();
    for (const f of loadFacts(db)) byTier.set(`${f.model} ${f.tier}`, costOf(f, f.model, f.tier, table));
    // 10000 uncached × 0.75 + 40000 cached × 0.075 + 2000 × 3.75 = 18000; from 2027-01-01 twice that
    assert.deepEqual(Object.fromEntries([...byTier].map(([k, v]) => [k, v === null ? null : Math.round(v * 1e9) / 1e9])), {
      'gemini-3.8-flash standard': 0.018,
      'gemini-3.8-flash dated1': 0.036,
    });
    await indexer.dispose();
    db.close();
  } finally {
    cleanup(home);
  }
});
