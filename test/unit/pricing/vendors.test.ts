import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costDetail, costOf } from '../../../src/core/pricing/costOf';
import { contextTierOf } from '../../../src/core/pricing/contextTier';
import { normalizeModel, parseModelName } from '../../../src/core/pricing/normalizeModel';
import { createPriceTable, priceSources } from '../../../src/core/pricing/priceTable';
import { zeroTokens, type TokenCounts } from '../../../src/core/types';

/**
 * Models the new sources log (Gemini CLI, Qwen Code, Cline/Roo/Kilo, Copilot CLI, OpenCode) and the vendors reached
 * through Claude Code's / Codex's compatible endpoints. Expected costs are computed by hand from prices.json, in
 * per-million units (e.g. 10,000 × $1.25 = 12,500 → $0.0125).
 */
const table = createPriceTable();
const t = (p: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), requests: 1, ...p });
const close = (actual: number | null, expected: number) => {
  assert.notEqual(actual, null);
  assert.ok(Math.abs(actual! - expected) < 1e-12, `expected ${expected}, got ${actual}`);
};

test('model names as the new agents log them resolve to their entries', () => {
  const cases: [string, string][] = [
    // Gemini CLI / OpenCode (modelID) / Cline via the Gemini API or Vertex
    ['gemini-2.5-pro', 'gemini-2.5-pro'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['google/gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
    ['openrouter/google/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['gemini-2.5-pro-preview-06-05', 'gemini-2.5-pro'],
    ['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
    ['openrouter/google/gemini-2.5-pro-preview', 'gemini-2.5-pro'],
    ['gemini-3.1-flash-lite-preview', 'gemini-3.1-flash-lite'],
    ['gemini-2.0-flash', 'gemini-2.0-flash'],
    ['gemini-3-pro-preview', 'gemini-3-pro-preview'],
    ['gemini-2.5-pro@default', 'gemini-2.5-pro'],
    // Copilot CLI: dotted Claude versions, plain OpenAI and Gemini ids
    ['claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['claude-opus-4.5', 'claude-opus-4-5'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['gpt-5', 'gpt-5'],
    ['gpt-4.1', 'gpt-4.1'],
    ['gpt-4.1-2025-04-14', 'gpt-4.1'],
    ['openai/o4-mini', 'o4-mini'],
    // xAI: the `-fast` models are models of their own, not Claude-style fast mode
    ['grok-4', 'grok-4-0709'],
    ['x-ai/grok-code-fast-1', 'grok-code-fast-1'],
    ['grok-4-fast', 'grok-4-fast-reasoning'],
    ['grok-3-mini-fast', 'grok-3-mini-fast'],
    ['grok-4.3', 'grok-4.3'],
    // vendors behind Claude Code's / Codex's compatible endpoints (upper case as their docs spell them)
    ['kimi-k2-0905-preview', 'kimi-k2-0905-preview'],
    ['moonshotai/kimi-k2-0905', 'kimi-k2-0905-preview'],
    ['kimi-k2-turbo-preview', 'kimi-k2-turbo-preview'],
    ['GLM-4.6', 'glm-4.6'],
    ['z-ai/glm-4.5-air', 'glm-4.5-air'],
    ['zai/glm-4.5', 'glm-4.5'],
    ['MiniMax-M2', 'minimax-m2'],
    ['MiniMax-M2.5', 'minimax-m2'],
    ['minimax/minimax-m2.7', 'minimax-m2.7'],
    // Gemini CLI's model ids (config/models.ts): `gemini-3-flash` is its second name of 3.5 Flash; 3.1 Pro's
    // custom-tools variant and 3.5 Flash's preview are billed as the model; 3.6-3.8 Flash as Kilo/Cline spell them
    ['gemini-3-flash', 'gemini-3.5-flash'],
    ['gemini-3.5-flash-preview', 'gemini-3.5-flash'],
    ['gemini-3.1-pro-preview-customtools', 'gemini-3.1-pro-preview'],
    ['gemini-3.1-flash-lite', 'gemini-3.1-flash-lite'],
    ['gemini-3.8-flash', 'gemini-3.8-flash'],
    ['google/gemini-3.7-flash', 'gemini-3.7-flash'],
    ['openrouter/google/gemini-3.6-flash', 'gemini-3.6-flash'],
    // Qwen Code's default with an API key, and its dated snapshot
    ['qwen3-coder-plus-2025-09-23', 'qwen3-coder-plus'],
    // models genai-prices 0.1.8 lists that the table had left out
    ['moonshotai/kimi-k3', 'kimi-k3'],
    ['MiniMax-M3', 'minimax-m3'],
    ['grok-4.20-0309-reasoning', 'grok-4.20'],
    ['x-ai/grok-4.20-0309-non-reasoning', 'grok-4.20'],
  ];
  for (const [raw, key] of cases) assert.equal(table.keyOf(raw), key, raw);
  assert.deepEqual(parseModelName('grok-4-fast'), { name: 'grok-4-fast', fast: false });
  assert.deepEqual(parseModelName('claude-opus-4-6-fast'), { name: 'claude-opus-4-6', fast: true });
});

test('models without a published price in the sources stay unpriced (null), never $0', () => {
  const tokens = t({ input: 1000, output: 1000 });
  // Gemini 2.5 Flash's May preview had prices of its own (not in the sources): unpriced, not Flash's
  assert.equal(table.lookup('gemini-2.5-flash-preview-05-20'), null);
  // Google's moving aliases (a different model as Google updates them), Gemma (no paid price), OpenCode Zen's free
  // models and OpenRouter's `:free` variants: never a list price
  const moving = ['gemini-flash-latest', 'gemini-pro-latest', 'gemini-flash-lite-latest', 'gemma-4-31b-it'];
  const free = ['opencode/big-pickle', 'opencode/grok-code', 'z-ai/glm-5:free', 'x-ai/grok-code-fast-1:free'];
  // Grok 4.20 Multi-Agent: genai-prices 0.1.8 and LiteLLM disagree on its price; Codex's codex-auto-review has none
  for (const m of [...moving, ...free, 'grok-4.20-multi-agent', 'grok-4.20-multi-agent-0309', 'codex-auto-review', 'qwen-max', 'o3-mini', 'gemini-9-ultra']) {
    assert.equal(table.lookup(m), null, m);
    assert.equal(costOf(tokens, m, 'standard', table), null, m);
    assert.equal(costDetail(tokens, m, 'standard', table), null, m);
  }
  assert.equal(normalizeModel('Qwen-Max'), 'qwen-max');
});

test('Gemini 2.5 Pro: thinking is in output at the output rate; cached input at the cached rate', () => {
  // a Gemini CLI call: 10,000 uncached + 40,000 cached prompt tokens, 2,000 output of which 1,500 thoughts
  // 10000×1.25 + 40000×0.125 + 2000×10 = 12500 + 5000 + 20000 = 37500
  const tokens = t({ input: 10_000, cacheRead: 40_000, output: 2_000, reasoning: 1_500 });
  assert.equal(contextTierOf('gemini-2.5-pro', 50_000), 'standard');
  close(costOf(tokens, 'gemini-2.5-pro', 'standard', table), 0.0375);
});

test('Gemini 2.5 Pro above 200k: the whole request at the >200k rates', () => {
  // prompt 150,000 + 100,000 cached = 250,000 > 200,000
  // 150000×2.5 + 100000×0.25 + 3000×15 = 375000 + 25000 + 45000 = 445000
  const tokens = t({ input: 150_000, cacheRead: 100_000, output: 3_000 });
  assert.equal(contextTierOf('gemini-2.5-pro', 250_000), 'long');
  close(costOf(tokens, 'gemini-2.5-pro', 'long', table), 0.445);
  // at standard rates: 187500 + 12500 + 30000
  close(costOf(tokens, 'gemini-2.5-pro', 'standard', table), 0.23);
  // Gemini 3 Pro preview: 150000×4 + 100000×0.4 + 3000×18 = 600000 + 40000 + 54000
  close(costOf(tokens, 'gemini-3-pro-preview', 'long', table), 0.694);
  // Flash has no long rates: the long tier keeps its standard rates (150000×0.3 + 100000×0.03 + 3000×2.5)
  close(costOf(tokens, 'gemini-2.5-flash', 'long', table), 0.0555);
});

test('the long-context threshold is per model: 200k exclusive for Gemini and Claude, >= 200k for Grok 4.x', () => {
  assert.equal(contextTierOf('gemini-2.5-pro', 200_000), 'standard');
  assert.equal(contextTierOf('gemini-2.5-pro', 200_001), 'long');
  assert.equal(contextTierOf('claude-sonnet-4-5', 200_000), 'standard');
  assert.equal(contextTierOf('claude-sonnet-4-5', 200_001), 'long');
  assert.equal(contextTierOf('grok-4.3', 199_999), 'standard');
  assert.equal(contextTierOf('grok-4.3', 200_000), 'long');
  // unpriced models use the default threshold (their tier changes no cost)
  assert.equal(contextTierOf('qwen-max', 200_001), 'long');
  assert.equal(contextTierOf('qwen-max', 200_000), 'standard');
  // an override's threshold applies through the table it is given
  const custom = createPriceTable({ 'gemini-2.5-pro': { longContextAbove: 128_000 } });
  assert.equal(contextTierOf('gemini-2.5-pro', 128_001, custom), 'long');
});

test('Grok: 200k-token prompt of Grok 4.3 billed whole at the higher rate; grok-code-fast-1 and grok-4-fast', () => {
  // 180,000 uncached + 20,000 cached = 200,000: 180000×2.5 + 20000×0.4 + 1000×5 = 450000 + 8000 + 5000
  close(costOf(t({ input: 180_000, cacheRead: 20_000, output: 1_000 }), 'grok-4.3', 'long', table), 0.463);
  // 5000×0.2 + 95000×0.02 + 4000×1.5 = 1000 + 1900 + 6000
  close(costOf(t({ input: 5_000, cacheRead: 95_000, output: 4_000 }), 'grok-code-fast-1', 'standard', table), 0.0089);
  // grok-4-fast is $0.20/$0.50, not grok-4's $3/$15: 1,000,000×0.2 + 100,000×0.5
  close(costOf(t({ input: 1_000_000, output: 100_000 }), 'grok-4-fast', 'standard', table), 0.25);
  // grok-4: 1,000,000×3 + 100,000×15
  close(costOf(t({ input: 1_000_000, output: 100_000 }), 'grok-4', 'standard', table), 4.5);
});

test('Kimi through the Anthropic-compatible endpoint: cache writes without a listed rate are billed as input', () => {
  // (2000 + 1000)×0.6 + 30000×0.15 + 800×2.5 = 1800 + 4500 + 2000
  const tokens = t({ input: 2_000, cacheWrite5m: 1_000, cacheRead: 30_000, output: 800 });
  close(costOf(tokens, 'kimi-k2-0905-preview', 'standard', table), 0.0083);
  // Kimi K2.5: (2000 + 1000)×0.6 + 30000×0.1 + 800×3 = 1800 + 3000 + 2400
  close(costOf(tokens, 'kimi-k2.5', 'standard', table), 0.0072);
});

test('GLM on Z.AI: cached-input storage is free, reads at the cached rate', () => {
  // 3000×0.6 + 10000×0 + 50000×0.11 + 1200×2.2 = 1800 + 0 + 5500 + 2640
  const tokens = t({ input: 3_000, cacheWrite5m: 10_000, cacheRead: 50_000, output: 1_200 });
  close(costOf(tokens, 'GLM-4.6', 'standard', table), 0.00994);
  // GLM-4.5-Air: 3000×0.2 + 50000×0.03 + 1200×1.1 = 600 + 1500 + 1320
  close(costOf(tokens, 'glm-4.5-air', 'standard', table), 0.00342);
});

test('MiniMax M2: cache writes at their listed rate', () => {
  // 4000×0.3 + 8000×0.375 + 20000×0.03 + 1000×1.2 = 1200 + 3000 + 600 + 1200
  const tokens = t({ input: 4_000, cacheWrite5m: 8_000, cacheRead: 20_000, output: 1_000 });
  close(costOf(tokens, 'MiniMax-M2', 'standard', table), 0.006);
  // the 1-hour bucket (unused by MiniMax's logs) is a cache write too, never 2× input
  close(costOf(t({ cacheWrite1h: 8_000 }), 'MiniMax-M2', 'standard', table), 0.003);
});

test('Kimi K3: flat rates at any prompt length; the dated Grok 4.20 ids at Grok 4.20\'s rates and long tier', () => {
  const big = t({ input: 50_000, cacheRead: 250_000, output: 4_000 });
  // kimi-k3 lists no long-context rate: 50000×3 + 250000×0.3 + 4000×15 = 150000 + 75000 + 60000
  assert.equal(contextTierOf('kimi-k3', 300_000), 'long');
  close(costOf(big, 'kimi-k3', 'long', table), 0.285);
  // grok-4.20-0309-reasoning, 300,000 prompt (>= 200k): 50000×2.5 + 250000×0.4 + 4000×5 = 125000 + 100000 + 20000
  assert.equal(contextTierOf('grok-4.20-0309-reasoning', 300_000), 'long');
  close(costOf(big, 'grok-4.20-0309-reasoning', 'long', table), 0.245);
});

test('MiniMax-M3: the whole request at twice the rates when the prompt exceeds 512K tokens', () => {
  assert.equal(contextTierOf('minimax-m3', 512_000), 'standard');
  assert.equal(contextTierOf('minimax-m3', 512_001), 'long');
  // 10000×0.3 + 1000 written ×0.3 (no cache-write rate: as input) + 100000×0.06 + 2000×1.2 = 3000 + 300 + 6000 + 2400
  close(costOf(t({ input: 10_000, cacheWrite5m: 1_000, cacheRead: 100_000, output: 2_000 }), 'minimax-m3', 'standard', table), 0.0117);
  // 20000×0.6 + 600000×0.12 + 2000×2.4 = 12000 + 72000 + 4800
  close(costOf(t({ input: 20_000, cacheRead: 600_000, output: 2_000 }), 'minimax-m3', 'long', table), 0.0888);
});

test('OpenAI models Copilot CLI and Cline log: cached input at the cached rate', () => {
  // gpt-4.1: 20000×2 + 80000×0.5 + 1000×8 = 40000 + 40000 + 8000
  close(costOf(t({ input: 20_000, cacheRead: 80_000, output: 1_000 }), 'gpt-4.1', 'standard', table), 0.088);
  // o4-mini: 20000×1.1 + 80000×0.275 + 1000×4.4 = 22000 + 22000 + 4400
  close(costOf(t({ input: 20_000, cacheRead: 80_000, output: 1_000 }), 'o4-mini', 'standard', table), 0.0484);
});

test('every entry names a source with a date (or when it was retrieved) in prices.json', () => {
  for (const [key, p] of table.models) {
    assert.ok(p.source, `${key} has a source`);
    const s = priceSources[p.source!];
    assert.ok(s, `${key}: source "${p.source}" is listed`);
    assert.match(s.date ?? s.retrieved ?? '', /^\d{4}-\d{2}-\d{2}$/, `${key}: source dated`);
    assert.equal(p.currency ?? 'USD', 'USD', `${key}: bundled prices are USD (see the vendors' notes)`);
  }
});
