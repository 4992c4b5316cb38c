import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { discoverRoots } from '../../../src/core/discovery';
import { costOf } from '../../../src/core/pricing/costOf';
import { fastTierOf, pricingTierOf, vendorTierOf } from '../../../src/core/pricing/contextTier';
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

test('bundled price periods are ascending, dated, on entries without input-length tiers or peak hours, and list long rates in every period where the entry has them', () => {
  let seen = 0;
  for (const [key, p] of table.models) {
    if (!p.priceChanges) continue;
    seen++;
    for (const c of p.priceChanges) {
      assert.ok(c.since !== undefined || c.until !== undefined, `${key}: a period has a start or an end`);
      for (const iso of [c.since, c.until]) if (iso !== undefined) assert.ok(Number.isFinite(Date.parse(iso)), `${key}: ${iso} is a time`);
      if (c.since !== undefined && c.until !== undefined) assert.ok(Date.parse(c.since) < Date.parse(c.until), `${key}: starts before it ends`);
    }
    const starts = p.priceChanges.map((c) => (c.since === undefined ? -Infinity : Date.parse(c.since)));
    assert.deepEqual([...starts].sort((a, b) => a - b), starts, `${key}: ascending`);
    assert.equal(p.contextTiers, undefined, key);
    assert.equal(p.peak, undefined, key);
    // an entry with long rates lists them in every period (a long request of a period keeps them); a period may list
    // long rates its entry's own (current) rates no longer have (Claude Opus 4.6 / Sonnet 4.6 before 2026-03-13)
    if (p.inputAbove200k !== undefined) for (const c of p.priceChanges) assert.notEqual(c.inputAbove200k, undefined, `${key}: long rates in every period`);
  }
  // Gemini 3.6-3.8 Flash, GPT-5.6 (Sol) and its Sol/Terra/Luna ids, deepseek-chat, deepseek-reasoner, o3, Claude
  // Opus 4.6 (and its dated id), Sonnet 4.6, Sonnet 5.5
  assert.equal(seen, 14);
});

test('GPT-5.6 through Codex: Terra and Luna cut on 2026-07-30, Sol on 2026-08-21 (genai-prices 0.1.8), long and fast requests of each period', () => {
  const julyBefore = Date.parse('2026-07-29T23:59:59Z');
  const julyAfter = Date.parse('2026-07-30T00:00:00Z');
  const aug = Date.parse('2026-08-21T00:00:00Z');
  const tok = t({ input: 100_000, cacheRead: 50_000, output: 5_000 }); // 150k prompt: standard
  const big = t({ input: 200_000, cacheRead: 100_000, output: 5_000 }); // 300k prompt: above 272k
  assert.equal(vendorTierOf('gpt-5.6-terra', 150_000, julyBefore), 'standard');
  assert.equal(vendorTierOf('gpt-5.6-terra', 150_000, julyAfter), 'dated1');
  assert.equal(vendorTierOf('gpt-5.6-terra', 300_000, julyAfter), 'dated1long');
  assert.equal(vendorTierOf('gpt-5.6-sol', 150_000, julyAfter), 'standard');
  assert.equal(vendorTierOf('gpt-5.6-sol', 150_000, aug), 'dated1');
  assert.equal(fastTierOf('gpt-5.6-luna', julyAfter), 'dated1fast');
  // Terra before: 100000×2.5 + 50000×0.25 + 5000×15 = 337,500; after: ×2 / 0.2 / 12 = 270,000
  close(costOf(tok, 'gpt-5.6-terra', 'standard', table), 0.3375);
  close(costOf(tok, 'gpt-5.6-terra', 'dated1', table), 0.27);
  // Terra after, above 272k: 200000×4 + 100000×0.4 + 5000×18 = 930,000
  close(costOf(big, 'gpt-5.6-terra', 'dated1long', table), 0.93);
  // Luna after, fast (2×): (100000×0.2 + 50000×0.02 + 5000×1.2) × 2 = 54,000
  close(costOf(tok, 'gpt-5.6-luna', 'dated1fast', table), 0.054);
  // Sol before the cut: 100000×5 + 50000×0.5 + 5000×30 = 675,000; after: 100000×4 + 50000×0.4 + 5000×20 = 520,000
  close(costOf(tok, 'gpt-5.6-sol', 'standard', table), 0.675);
  close(costOf(tok, 'gpt-5.6', 'dated1', table), 0.52);
  // GPT-5.5 above 272k: the whole request at 10 / 1 / 45 → 200000×10 + 100000×1 + 5000×45 = 2,325,000
  assert.equal(vendorTierOf('gpt-5.5', 300_000, aug), 'long');
  close(costOf(big, 'gpt-5.5', 'long', table), 2.325);
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

test('a price change on an entry with long-context rates and a fast multiplier: dated1long at the change\'s long rates, dated1fast at its rates × the multiplier', () => {
  // shaped like GPT-5.6 Sol: 5 / 30 / 0.5 cached, the whole request at 10 / 45 / 1 above 272k, fast 2×; cut to
  // 4 / 20 / 0.4 (8 / 30 / 0.8 above 272k) on 2026-08-21
  const t56 = createPriceTable({
    'dated-long-model': {
      provider: 'openai', input: 5, output: 30, cacheRead: 0.5, inputAbove200k: 10, outputAbove200k: 45, cacheReadAbove200k: 1,
      longContextAbove: 272_000, fastMultiplier: 2,
      priceChanges: [{ since: '2026-08-21T00:00:00Z', input: 4, output: 20, cacheRead: 0.4, inputAbove200k: 8, outputAbove200k: 30, cacheReadAbove200k: 0.8 }],
    },
  });
  const before = Date.parse('2026-08-20T23:59:59Z');
  const after = Date.parse('2026-08-21T00:00:00Z');
  assert.equal(pricingTierOf('dated-long-model', 100_000, before, t56), 'standard');
  assert.equal(pricingTierOf('dated-long-model', 300_000, before, t56), 'long');
  assert.equal(pricingTierOf('dated-long-model', 100_000, after, t56), 'dated1');
  assert.equal(pricingTierOf('dated-long-model', 300_000, after, t56), 'dated1long');
  assert.equal(vendorTierOf('dated-long-model', 300_000, after, t56), 'dated1long');
  assert.equal(fastTierOf('dated-long-model', before, t56), 'fast');
  assert.equal(fastTierOf('dated-long-model', after, t56), 'dated1fast');
  assert.equal(fastTierOf('gemini-3.5-flash', after, t56), 'fast', 'a model without changes');

  const tok = t({ input: 200_000, cacheRead: 100_000, output: 10_000 });
  // long before the cut: 200000×10 + 100000×1 + 10000×45 = 2,550,000 per million
  close(costOf(tok, 'dated-long-model', 'long', t56), 2.55);
  // after: 200000×8 + 100000×0.8 + 10000×30 = 1,980,000
  close(costOf(tok, 'dated-long-model', 'dated1long', t56), 1.98);
  // standard rates after the cut: 200000×4 + 100000×0.4 + 10000×20 = 1,040,000
  close(costOf(tok, 'dated-long-model', 'dated1', t56), 1.04);
  // fast: the rates of the period × 2
  close(costOf(tok, 'dated-long-model', 'fast', t56), 2 * (200_000 * 5 + 100_000 * 0.5 + 10_000 * 30) / 1e6);
  close(costOf(tok, 'dated-long-model', 'dated1fast', t56), 2 * 1.04);
  // an override of the rates drops the changes: a dated tier then bills the entry's rates in its own tier
  const flat = createPriceTable({ 'gemini-3.8-flash': { input: 1, output: 2 } });
  close(costOf(t({ input: 1_000_000 }), 'gemini-3.8-flash', 'dated1fast', flat), 1);
});

test('price changes and peak / discount hours compose: dated<n>peak at the change\'s rates × the peak multiplier, dated<n>offpeak at the hours\' rates or multiplier', () => {
  // shaped like DeepSeek V4 (peak 2× on weekdays 01:00-04:00 UTC) with a price change, and a night discount at half price
  const tt = createPriceTable({
    'hours-model': {
      provider: 'deepseek', input: 1, output: 4, cacheRead: 0.1,
      priceChanges: [{ since: '2026-09-01T00:00:00Z', input: 2, output: 8, cacheRead: 0.2 }],
      peak: { multiplier: 2, hoursUtc: [[1, 4]], weekdaysOnly: true, since: '2026-08-16T16:00:00Z' },
      offPeak: { multiplier: 0.5, hoursUtc: [[16.5, 24], [0, 0.5]], weekdaysOnly: false, since: '2026-08-01T00:00:00Z', until: '2026-10-01T00:00:00Z' },
    },
  });
  const tier = (iso: string) => pricingTierOf('hours-model', 10_000, Date.parse(iso), tt);
  assert.equal(tier('2026-08-17T02:00:00Z'), 'peak'); // Monday, before the change
  assert.equal(tier('2026-08-17T17:00:00Z'), 'offpeak');
  assert.equal(tier('2026-08-17T12:00:00Z'), 'standard');
  assert.equal(tier('2026-09-01T02:00:00Z'), 'dated1peak'); // Tuesday, after it
  assert.equal(tier('2026-09-01T00:15:00Z'), 'dated1offpeak');
  assert.equal(tier('2026-09-06T02:00:00Z'), 'dated1', 'a Sunday: no peak');
  assert.equal(tier('2026-10-01T00:15:00Z'), 'dated1', 'the discount ended');
  assert.equal(vendorTierOf('hours-model', 10_000, Date.parse('2026-09-01T02:00:00Z'), tt), 'dated1peak');
  const tok = t({ input: 10_000, cacheRead: 10_000, output: 1_000 });
  // before: 10000×1 + 10000×0.1 + 1000×4 = 15000; peak 30000; night 7500
  close(costOf(tok, 'hours-model', 'standard', tt), 0.015);
  close(costOf(tok, 'hours-model', 'peak', tt), 0.03);
  close(costOf(tok, 'hours-model', 'offpeak', tt), 0.0075);
  // after: 10000×2 + 10000×0.2 + 1000×8 = 30000; peak 60000; night 15000
  close(costOf(tok, 'hours-model', 'dated1', tt), 0.03);
  close(costOf(tok, 'hours-model', 'dated1peak', tt), 0.06);
  close(costOf(tok, 'hours-model', 'dated1offpeak', tt), 0.015);
  // discount hours with rates of their own bill those, whatever the period
  const own = createPriceTable({
    'night-model': { provider: 'deepseek', input: 1, output: 4, offPeak: { rates: { input: 0.3, output: 1 }, hoursUtc: [[16.5, 24], [0, 0.5]], weekdaysOnly: false, since: '2026-08-01T00:00:00Z' } },
  });
  // 10000×0.3 + 10000×0.3 (no cached rate: input's) + 1000×1 = 7000
  close(costOf(tok, 'night-model', 'offpeak', own), 0.007);
});
