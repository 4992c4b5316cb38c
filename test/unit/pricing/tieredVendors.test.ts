import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costDetail, costOf } from '../../../src/core/pricing/costOf';
import { contextTierOf, pricingTierOf } from '../../../src/core/pricing/contextTier';
import { createPriceTable, priceSources } from '../../../src/core/pricing/priceTable';
import { zeroTokens, type TokenCounts } from '../../../src/core/types';

/**
 * Alibaba Qwen (Model Studio international, USD: whole request at the rates of its input-length tier) and DeepSeek
 * (off-peak rates, twice them in the peak hours) — prices.json sources `alibaba` and `deepseek`. Expected costs are
 * computed by hand from prices.json, in per-million units (e.g. 4,000 × $1.8 = 7,200 → $0.0072).
 */
const table = createPriceTable();
const t = (p: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), requests: 1, ...p });
const close = (actual: number | null | undefined, expected: number) => {
  assert.ok(actual !== null && actual !== undefined, `expected ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) < 1e-12, `expected ${expected}, got ${actual}`);
};

test('Qwen input-length tiers: the boundaries are exclusive (32K = 32,000 is still the first tier)', () => {
  const edges: [number, string][] = [
    [0, 'standard'], [32_000, 'standard'], [32_001, 'long'], [128_000, 'long'], [128_001, 'long2'],
    [256_000, 'long2'], [256_001, 'long3'], [1_000_000, 'long3'],
  ];
  for (const [prompt, tier] of edges) {
    assert.equal(contextTierOf('qwen3-coder-plus', prompt), tier, `qwen3-coder-plus ${prompt}`);
    assert.equal(contextTierOf('qwen3-coder-flash', prompt), tier, `qwen3-coder-flash ${prompt}`);
    assert.equal(contextTierOf('qwen3-coder-480b-a35b-instruct', prompt), tier, `480b ${prompt}`);
  }
  // Qwen3-Max: 0-32K, 32K-128K, 128K-252K (three tiers); Qwen-Flash: 0-256K, 256K-1M; Qwen3-Coder 30B: three tiers
  assert.equal(contextTierOf('qwen3-max', 128_001), 'long2');
  assert.equal(contextTierOf('qwen3-max', 250_000), 'long2');
  assert.equal(contextTierOf('qwen-flash', 256_000), 'standard');
  assert.equal(contextTierOf('qwen-flash', 256_001), 'long');
  assert.equal(contextTierOf('qwen3-coder-30b-a3b-instruct', 200_000), 'long2');
  // the time of day never matters for Qwen
  assert.equal(pricingTierOf('qwen3-coder-plus', 40_000, Date.parse('2026-11-02T02:00:00Z')), 'long');
});

test('Qwen3-Coder-Plus: the whole request at its tier\'s rates, explicit-cache reads at 10% and writes at 125% of that input', () => {
  // prompt 2,000 + 1,000 written + 28,000 read = 31,000 ≤ 32,000: 2000×1 + 1000×1.25 + 28000×0.1 + 800×5
  // = 2000 + 1250 + 2800 + 4000 = 10050
  close(costOf(t({ input: 2_000, cacheWrite5m: 1_000, cacheRead: 28_000, output: 800 }), 'qwen3-coder-plus', 'standard', table), 0.01005);
  // prompt 40,000 (32K-128K): 4000×1.8 + 36000×0.18 + 1000×9 = 7200 + 6480 + 9000 = 22680
  const mid = t({ input: 4_000, cacheRead: 36_000, output: 1_000 });
  close(costOf(mid, 'qwen3-coder-plus', 'long', table), 0.02268);
  // prompt 200,000 (128K-256K): 10000×3 + 190000×0.3 + 2000×15 = 30000 + 57000 + 30000 = 117000
  close(costOf(t({ input: 10_000, cacheRead: 190_000, output: 2_000 }), 'qwen3-coder-plus', 'long2', table), 0.117);
  // prompt 300,000 (256K-1M): 20000×6 + 280000×0.6 + 1000×60 = 120000 + 168000 + 60000 = 348000
  const big = t({ input: 20_000, cacheRead: 280_000, output: 1_000 });
  close(costOf(big, 'qwen3-coder-plus', 'long3', table), 0.348);
  // the open-weight 480B on the API lists no cache rates: reads at the tier's input rate, 300000×9 + 1000×90
  close(costOf(big, 'qwen3-coder-480b-a35b-instruct', 'long3', table), 2.79);
  // a tier beyond the model's last one (a table that changed) takes the last: 30B's 128K+ rates, 300000×1.2 + 1000×6
  close(costOf(big, 'qwen3-coder-30b-a3b-instruct', 'long2', table), 0.366);
  close(costOf(big, 'qwen3-coder-30b-a3b-instruct', 'long3', table), 0.366);
  // Coder-Flash and Max in their second tier: 4000×0.5 + 36000×0.05 + 1000×2.5 = 6300; 4000×2.4 + 36000×0.24 + 1000×12 = 30240
  close(costOf(mid, 'qwen3-coder-flash', 'long', table), 0.0063);
  close(costOf(mid, 'qwen3-max', 'long', table), 0.03024);
  // Qwen-Flash: 4000×0.05 + 36000×0.005 + 1000×0.4 = 780; above 256K 20000×0.25 + 280000×0.025 + 1000×2 = 14000
  close(costOf(mid, 'qwen-flash', 'standard', table), 0.00078);
  close(costOf(big, 'qwen-flash', 'long', table), 0.014);
  assert.equal(costDetail(mid, 'qwen3-coder-plus', 'long', table)!.currency, 'USD');
  // Qwen3.5/3.6/3.7: one boundary at 256K (Qwen Code's mainline model and the Claude Code guide's default is qwen3.5-plus)
  for (const m of ['qwen3.5-plus', 'qwen3.6-plus', 'qwen3.6-flash', 'qwen3.7-plus']) {
    assert.equal(contextTierOf(m, 256_000), 'standard', m);
    assert.equal(contextTierOf(m, 256_001), 'long', m);
  }
  // 4000×0.4 + 36000×0.04 + 1000×2.4 = 5440; above 256K 20000×0.5 + 280000×0.05 + 1000×3 = 27000
  close(costOf(mid, 'qwen3.5-plus', 'standard', table), 0.00544);
  close(costOf(big, 'qwen3.5-plus', 'long', table), 0.027);
  // Qwen3.6-Plus above 256K: 20000×2 + 280000×0.2 + 1000×6 = 102000
  close(costOf(big, 'qwen3.6-plus', 'long', table), 0.102);
});

test('Qwen model ids as logged resolve; ids without a published price (Qwen Code\'s OAuth coder-model, thinking-priced qwen-plus) stay unpriced', () => {
  const cases: [string, string][] = [
    ['Qwen3-Coder-Plus', 'qwen3-coder-plus'],
    ['qwen3-coder-plus-2025-09-23', 'qwen3-coder-plus'],
    ['qwen3-coder-plus-2025-07-22', 'qwen3-coder-plus'],
    ['qwen3-coder-flash-2025-07-28', 'qwen3-coder-flash'],
    ['qwen3-max-2025-09-23', 'qwen3-max'],
    ['qwen-flash-2025-07-28', 'qwen-flash'],
    ['qwen/qwen3-coder-480b-a35b-instruct', 'qwen3-coder-480b-a35b-instruct'],
    ['dashscope/qwen3-coder-30b-a3b-instruct', 'qwen3-coder-30b-a3b-instruct'],
    ['qwen3.5-plus', 'qwen3.5-plus'],
    ['qwen3.5-plus-2026-04-20', 'qwen3.5-plus'],
    ['qwen3.6-plus-2026-04-02', 'qwen3.6-plus'],
    ['Qwen3.6-Flash', 'qwen3.6-flash'],
    ['qwen3.7-plus', 'qwen3.7-plus'],
  ];
  for (const [raw, key] of cases) assert.equal(table.keyOf(raw), key, raw);
  const tokens = t({ input: 1_000, output: 1_000 });
  for (const m of ['coder-model', 'vision-model', 'qwen-plus', 'qwen-turbo', 'qwen-max', 'qwen3-coder', 'qwen3-coder-next', 'qwen3.5-flash', 'qwen3.7-max', 'qwen3.6-max-preview', 'qwen3-coder-plusx']) {
    assert.equal(table.lookup(m), null, m);
    assert.equal(costOf(tokens, m, 'long', table), null, m);
  }
});

test('DeepSeek peak hours: 01:00-04:00 and 06:00-10:00 UTC on weekdays since 2026-08-16 16:00 UTC, not on Chinese holidays', () => {
  const tier = (iso: string) => pricingTierOf('deepseek-v4-pro', 50_000, Date.parse(iso));
  // Monday 2026-11-02
  assert.equal(tier('2026-11-02T00:59:59.999Z'), 'standard');
  assert.equal(tier('2026-11-02T01:00:00.000Z'), 'peak');
  assert.equal(tier('2026-11-02T03:59:59.999Z'), 'peak');
  assert.equal(tier('2026-11-02T04:00:00.000Z'), 'standard');
  assert.equal(tier('2026-11-02T05:59:59.999Z'), 'standard');
  assert.equal(tier('2026-11-02T06:00:00.000Z'), 'peak');
  assert.equal(tier('2026-11-02T09:59:59.999Z'), 'peak');
  assert.equal(tier('2026-11-02T10:00:00.000Z'), 'standard');
  assert.equal(tier('2026-11-06T09:30:00Z'), 'peak', 'Friday');
  assert.equal(tier('2026-11-07T02:00:00Z'), 'standard', 'Saturday');
  assert.equal(tier('2026-11-08T07:00:00Z'), 'standard', 'Sunday');
  // National Day holiday (Thursday 1 October) off-peak; Thursday 8 October a working day again; Saturday 10 October
  // a make-up working day in China but a weekend for DeepSeek's rule ("weekends ... all day off-peak")
  assert.equal(tier('2026-10-01T02:00:00Z'), 'standard');
  assert.equal(tier('2026-10-08T02:00:00Z'), 'peak');
  assert.equal(tier('2026-10-10T02:00:00Z'), 'standard');
  // before peak billing started: Friday 14 August off-peak, Monday 17 August peak
  assert.equal(tier('2026-08-14T02:00:00Z'), 'standard');
  assert.equal(tier('2026-08-17T02:00:00Z'), 'peak');
  assert.equal(pricingTierOf('deepseek-v4-pro', 50_000, Number.NaN), 'standard', 'no usable time: off-peak');
  // the legacy V4 Flash name is Flash's, peak hours included; models without peak hours never are `peak`
  assert.equal(pricingTierOf('deepseek-v4-flash', 1_000, Date.parse('2026-11-02T02:00:00Z')), 'peak');
  assert.equal(pricingTierOf('gpt-5', 1_000, Date.parse('2026-11-02T02:00:00Z')), 'standard');
  assert.equal(pricingTierOf('claude-sonnet-4-5', 200_001, Date.parse('2026-11-02T02:00:00Z')), 'long');
});

test('DeepSeek: off-peak rates, peak twice them; cache misses logged as cache writes are billed as input', () => {
  // V4 Pro: 5000×0.66 + 95000×0.022 + 2000×1.98 = 3300 + 2090 + 3960 = 9350
  const tokens = t({ input: 5_000, cacheRead: 95_000, output: 2_000 });
  close(costOf(tokens, 'deepseek-v4-pro', 'standard', table), 0.00935);
  close(costOf(tokens, 'deepseek-v4-pro', 'peak', table), 0.0187);
  // Cline's DeepSeek provider stores the cache-miss input in cacheWrites with tokensIn 0: the same cost
  close(costOf(t({ cacheWrite5m: 5_000, cacheRead: 95_000, output: 2_000 }), 'deepseek-v4-pro', 'standard', table), 0.00935);
  // Flash (and its legacy name): 5000×0.15 + 95000×0.003 + 2000×0.6 = 750 + 285 + 1200 = 2235
  close(costOf(tokens, 'deepseek-flash', 'standard', table), 0.002235);
  close(costOf(tokens, 'deepseek/deepseek-v4-flash', 'peak', table), 0.00447);
  // reasoning is part of output, never billed again
  close(costOf({ ...tokens, reasoning: 1_500 }, 'deepseek-flash', 'standard', table), 0.002235);
});

test('DeepSeek ids without a price of DeepSeek\'s API (OpenRouter\'s, unknown ones) stay unpriced, never $0', () => {
  const tokens = t({ input: 1_000, output: 1_000 });
  for (const m of ['deepseek-v3.1', 'deepseek-v3.2-exp', 'deepseek-r1', 'deepseek-chat-v3-0324', 'deepseek/deepseek-chat-v3.1', 'deepseek-v5-flash', 'deepseek-coder']) {
    assert.equal(table.lookup(m), null, m);
    assert.equal(costOf(tokens, m, 'peak', table), null, m);
    assert.equal(costDetail(tokens, m, 'standard', table), null, m);
  }
});

test('every DeepSeek and Qwen entry names its dated source; no entry has both peak hours and input-length tiers', () => {
  for (const [key, p] of table.models) {
    if (p.provider !== 'deepseek' && p.provider !== 'alibaba') continue;
    const src = priceSources[p.source ?? ''];
    assert.ok(src, key);
    assert.ok(src.date ?? src.retrieved, key);
    assert.ok(src.url?.startsWith('https://'), key);
    assert.ok(!(p.peak && p.contextTiers), key);
    for (let i = 1; i < (p.contextTiers?.length ?? 0); i++) assert.ok(p.contextTiers![i].above > p.contextTiers![i - 1].above, key);
  }
  assert.equal(priceSources.deepseek.retrieved, '2026-12-06');
  assert.equal(priceSources.alibaba.date, '2026-06-19');
});

test('an override of a tiered model changes its base rates and keeps its tiers; a new model\'s override has none', () => {
  const o = createPriceTable({ 'qwen3-coder-plus': { input: 2 }, 'deepseek-v4-pro': { output: 3 } });
  // base tier: 1000×2 + 1000×5 = 7000
  close(costOf(t({ input: 1_000, output: 1_000 }), 'qwen3-coder-plus', 'standard', o), 0.007);
  // second tier untouched: 1000×1.8 + 1000×9 = 10800
  close(costOf(t({ input: 1_000, output: 1_000 }), 'qwen3-coder-plus', 'long', o), 0.0108);
  // peak doubles the overridden rates: (1000×0.66 + 1000×3)×2 = 7320
  close(costOf(t({ input: 1_000, output: 1_000 }), 'deepseek-v4-pro', 'peak', o), 0.00732);
  const n = createPriceTable({ 'my-model': { input: 1, output: 2 } });
  assert.equal(contextTierOf('my-model', 300_000, n), 'long');
  close(costOf(t({ input: 1_000, output: 1_000 }), 'my-model', 'long', n), 0.003);
});
