import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { zeroTokens, type TokenCounts } from '../../../src/core/types';

const table = createPriceTable();
const t = (p: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), requests: 1, ...p });
const close = (actual: number | null, expected: number) => {
  assert.notEqual(actual, null);
  assert.ok(Math.abs(actual! - expected) < 1e-12, `expected ${expected}, got ${actual}`);
};

test('Sonnet 4.5: 5m writes at 1.25x, 1h writes at 2x input, reads at 0.1x', () => {
  // 1000×3 + 2000×15 + 10000×3.75 + 20000×6 + 100000×0.3 = 220500 per million
  const tokens = t({ input: 1000, output: 2000, cacheWrite5m: 10_000, cacheWrite1h: 20_000, cacheRead: 100_000 });
  close(costOf(tokens, 'claude-sonnet-4-5-20250929', 'standard', table), 0.2205);
  close(costOf(tokens, 'claude-sonnet-4-5', 'standard', table), 0.2205);
});

test('Sonnet 4.5 long-context request: the whole request at the >200k rates, 1h write at 2x long input', () => {
  // 5000×6 + 1000×22.5 + 50000×7.5 + 10000×12 + 200000×0.6 = 667500 per million
  const tokens = t({ input: 5000, output: 1000, cacheWrite5m: 50_000, cacheWrite1h: 10_000, cacheRead: 200_000 });
  close(costOf(tokens, 'claude-sonnet-4-5-20250929', 'long', table), 0.6675);
  // the same tokens at standard rates: 15000 + 15000 + 187500 + 60000 + 60000
  close(costOf(tokens, 'claude-sonnet-4-5-20250929', 'standard', table), 0.3375);
  // Sonnet 4 has the same long rates
  close(costOf(tokens, 'claude-sonnet-4-20250514', 'long', table), 0.6675);
});

test('models without long-context rates keep standard rates on the long tier', () => {
  const tokens = t({ input: 100, output: 1000, cacheWrite5m: 2000, cacheRead: 300_000 });
  // Opus 4.6: 100×5 + 1000×25 + 2000×6.25 + 300000×0.5 = 188000
  close(costOf(tokens, 'claude-opus-4-6', 'long', table), 0.188);
  close(costOf(tokens, 'claude-opus-4-6', 'standard', table), 0.188);
});

test('Opus 4.6 fast mode multiplies by its fast multiplier (6)', () => {
  // 100×5 + 1000×25 + 2000×6.25 + 10000×0.5 = 43000 → ×6
  const tokens = t({ input: 100, output: 1000, cacheWrite5m: 2000, cacheRead: 10_000 });
  close(costOf(tokens, 'claude-opus-4-6', 'standard', table), 0.043);
  close(costOf(tokens, 'claude-opus-4-6', 'fast', table), 0.258);
  close(costOf(tokens, 'claude-opus-4-6-20260205', 'fast', table), 0.258);
  // a model without a fast multiplier is billed at 1x
  close(costOf(tokens, 'claude-opus-4-5', 'fast', table), 0.043);
});

test('Haiku 4.5', () => {
  // 2000×1 + 500×5 + 1000×2 (1h) + 30000×0.1 = 9500
  const tokens = t({ input: 2000, output: 500, cacheWrite1h: 1000, cacheRead: 30_000 });
  close(costOf(tokens, 'claude-haiku-4-5-20251001', 'standard', table), 0.0095);
  close(costOf(tokens, 'claude-haiku-4-5', 'standard', table), 0.0095);
});

test('Opus 4 and 4.1 at $15/$75', () => {
  // 10×15 + 1000×75 + 1000×18.75 + 5000×1.5 + 100×30 (1h) = 104400
  const tokens = t({ input: 10, output: 1000, cacheWrite5m: 1000, cacheWrite1h: 100, cacheRead: 5000 });
  close(costOf(tokens, 'claude-opus-4-1-20250805', 'standard', table), 0.1044);
  close(costOf(tokens, 'claude-opus-4-1', 'standard', table), 0.1044);
  close(costOf(tokens, 'claude-opus-4-20250514', 'standard', table), 0.1044);
  close(costOf(tokens, 'claude-4-opus-20250514', 'long', table), 0.1044);
});

test('gpt-5 and gpt-5-codex: uncached input, cached input at the cached rate, reasoning not billed again', () => {
  // Codex raw: input 10000 (cached 8000), output 500 (reasoning 200) → normalised input 2000, cacheRead 8000
  // 2000×1.25 + 8000×0.125 + 500×10 = 8500
  const tokens = t({ input: 2000, cacheRead: 8000, output: 500, reasoning: 200 });
  close(costOf(tokens, 'gpt-5', 'standard', table), 0.0085);
  close(costOf(tokens, 'gpt-5-codex', 'standard', table), 0.0085);
  close(costOf(tokens, 'openai/gpt-5-codex', 'standard', table), 0.0085);
  close(costOf({ ...tokens, reasoning: 0 }, 'gpt-5', 'standard', table), 0.0085);
});

test('gpt-5.3-codex is billed like gpt-5.2-codex', () => {
  // 2000×1.75 + 8000×0.175 + 500×14 = 11900
  const tokens = t({ input: 2000, cacheRead: 8000, output: 500 });
  close(costOf(tokens, 'gpt-5.3-codex', 'standard', table), 0.0119);
  close(costOf(tokens, 'gpt-5.2-codex', 'standard', table), 0.0119);
});

test('an OpenAI model without a cached rate bills cached input at the input rate', () => {
  // gpt-5-pro: (1000 + 1000)×15 + 100×120 = 42000
  close(costOf(t({ input: 1000, cacheRead: 1000, output: 100 }), 'gpt-5-pro', 'standard', table), 0.042);
});

test('unknown models are unpriced (null), never 0', () => {
  const tokens = t({ input: 1000, output: 1000 });
  assert.equal(costOf(tokens, 'claude-opus-9-1', 'standard', table), null);
  assert.equal(costOf(tokens, 'gpt-7-codex', 'standard', table), null);
  assert.equal(costOf(tokens, '<synthetic>', 'standard', table), null);
  assert.equal(costOf(zeroTokens(), 'mystery', 'standard', table), null);
});

test('overrides change prices for all history and add new models', () => {
  const custom = createPriceTable({ 'claude-opus-4-6': { input: 1, output: 2 }, 'my-local-model': { input: 2, output: 4 } });
  const tokens = t({ input: 1000, output: 1000 });
  close(costOf(tokens, 'claude-opus-4-6', 'standard', custom), 0.003);
  // the dated variant follows the undated override
  close(costOf(tokens, 'claude-opus-4-6-20260205', 'standard', custom), 0.003);
  close(costOf(tokens, 'my-local-model', 'standard', custom), 0.006);
  // the bundled table is untouched
  close(costOf(tokens, 'claude-opus-4-6', 'standard', table), 0.03);
});

test('a "-fast" override prices fast requests only, replacing the multiplier', () => {
  const custom = createPriceTable({ 'claude-opus-4-6-fast': { input: 60, output: 150 } });
  const tokens = t({ input: 100, output: 1000, cacheWrite5m: 2000, cacheWrite1h: 10, cacheRead: 10_000 });
  // standard and long requests keep the standard price: 100×5 + 1000×25 + 2000×6.25 + 10×10 + 10000×0.5 = 43100
  close(costOf(tokens, 'claude-opus-4-6', 'standard', custom), 0.0431);
  close(costOf(tokens, 'claude-opus-4-6', 'long', custom), 0.0431);
  // fast: 100×60 + 1000×150 + 2000×37.5 + 10×120 (1h, 2× fast input) + 10000×3 = 262200, not ×6 again
  close(costOf(tokens, 'claude-opus-4-6', 'fast', custom), 0.2622);
  close(costOf(tokens, 'claude-opus-4-6-20260205', 'fast', custom), 0.2622);
  // without the override: 43100 × 6
  close(costOf(tokens, 'claude-opus-4-6', 'fast', table), 0.2586);
  // a standard override in the same file is the base of the fast prices' unset rates (output 25 → ×6)
  const both = createPriceTable({ 'claude-opus-4-6-fast': { input: 60 }, 'claude-opus-4-6': { output: 10 } });
  close(costOf(t({ output: 1000 }), 'claude-opus-4-6', 'standard', both), 0.01);
  close(costOf(t({ output: 1000 }), 'claude-opus-4-6', 'fast', both), 0.06);
});

test('newly recognised provider ids are priced', () => {
  const tokens = t({ input: 1000, output: 1000 });
  close(costOf(tokens, 'claude-3-5-sonnet-v2@20241022', 'standard', table), 0.018);
  close(costOf(tokens, 'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0', 'standard', table), 0.018);
  close(costOf(tokens, 'claude-sonnet-4-0', 'standard', table), 0.018);
  close(costOf(tokens, 'claude-opus-4-0', 'standard', table), 0.09);
  assert.equal(costOf(tokens, 'claude-sonnet-4-7', 'standard', table), null);
});
