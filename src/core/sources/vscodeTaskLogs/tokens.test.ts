import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clineFamily, kiloFamily, rooFamily } from './family';
import { KILO_TOTAL_INPUT_SINCE, normaliseTokens, ROO_TOTAL_INPUT_SINCE } from './tokens';

const JAN_2026 = Date.UTC(2026, 0, 1);
const AUG_2025 = Date.UTC(2025, 7, 1);

test('Cline: per provider, tokensIn brought to "input not read from or written to the cache"', () => {
  const raw = { tokensIn: 15000, tokensOut: 300, cacheWrites: 0, cacheReads: 12000 };
  // anthropic / openrouter / gemini / openai-native and unknown providers already exclude the cache
  for (const provider of ['anthropic', 'openrouter', 'gemini', 'openai-native', 'bedrock', undefined]) {
    assert.deepEqual(normaliseTokens(clineFamily, raw, { provider, ts: JAN_2026 }), { input: 15000, output: 300, cacheWrite: 0, cacheRead: 12000 }, String(provider));
  }
  // OpenAI-compatible: prompt_tokens includes the hits; cacheWrites there is prompt_cache_miss_tokens (part of the prompt)
  assert.deepEqual(normaliseTokens(clineFamily, { ...raw, cacheWrites: 3000 }, { provider: 'openai', ts: JAN_2026 }), { input: 3000, output: 300, cacheWrite: 0, cacheRead: 12000 });
  assert.deepEqual(normaliseTokens(clineFamily, raw, { provider: 'xai', ts: JAN_2026 }).input, 3000);
  assert.deepEqual(normaliseTokens(clineFamily, raw, { provider: 'zai', ts: JAN_2026 }).input, 3000);
  assert.deepEqual(normaliseTokens(clineFamily, raw, { provider: 'openai-codex', ts: JAN_2026 }).input, 3000);
  // requesty / litellm: prompt includes hits and real cache writes
  assert.deepEqual(normaliseTokens(clineFamily, { ...raw, cacheWrites: 1000 }, { provider: 'requesty', ts: JAN_2026 }), { input: 2000, output: 300, cacheWrite: 1000, cacheRead: 12000 });
  // DeepSeek: tokensIn 0, misses in cacheWrites
  assert.deepEqual(normaliseTokens(clineFamily, { tokensIn: 0, tokensOut: 300, cacheWrites: 3000, cacheReads: 12000 }, { provider: 'deepseek', ts: JAN_2026 }), { input: 3000, output: 300, cacheWrite: 0, cacheRead: 12000 });
  // never negative
  assert.equal(normaliseTokens(clineFamily, { tokensIn: 10, tokensOut: 0, cacheWrites: 0, cacheReads: 50 }, { provider: 'openai', ts: JAN_2026 }).input, 0);
});

test('Roo / Kilo: whole-prompt tokensIn from 3.29.5 (2025-11-01); before it, Anthropic protocol excluded the cache and OpenAI included it', () => {
  const raw = { tokensIn: 20000, tokensOut: 100, cacheWrites: 2000, cacheReads: 15000 };
  for (const family of [rooFamily, kiloFamily]) {
    assert.equal(normaliseTokens(family, raw, { apiProtocol: 'anthropic', ts: JAN_2026 }).input, 3000);
    assert.equal(normaliseTokens(family, raw, { apiProtocol: 'openai', ts: JAN_2026 }).input, 3000);
    assert.equal(normaliseTokens(family, raw, { apiProtocol: 'anthropic', ts: AUG_2025 }).input, 20000);
    assert.equal(normaliseTokens(family, raw, { apiProtocol: 'openai', ts: AUG_2025 }).input, 3000);
    // a tokensIn smaller than its cache tokens cannot be a whole prompt, whatever the date
    assert.equal(normaliseTokens(family, { ...raw, tokensIn: 12 }, { apiProtocol: 'anthropic', ts: JAN_2026 }).input, 12);
  }
  assert.equal(ROO_TOTAL_INPUT_SINCE, Date.parse('2025-11-01T00:00:00Z'));
});

test('Kilo took the whole-prompt tokensIn later than Roo (v4.119.0, 2025-11-12): an Anthropic-protocol row between the two releases excludes the cache', () => {
  // Kilo before v4.119.0 wrote the Anthropic input without cache tokens; a first request's cache write can be smaller
  // than that input, so the tokensIn >= cache test alone does not tell the two forms apart
  const NOV_5_2025 = Date.UTC(2025, 10, 5, 14, 30);
  const raw = { tokensIn: 20000, tokensOut: 400, cacheWrites: 15000, cacheReads: 0 };
  assert.deepEqual(normaliseTokens(kiloFamily, raw, { apiProtocol: 'anthropic', ts: NOV_5_2025 }), { input: 20000, output: 400, cacheWrite: 15000, cacheRead: 0 });
  // the same row from Roo, already on 3.29.5, is the whole prompt
  assert.deepEqual(normaliseTokens(rooFamily, raw, { apiProtocol: 'anthropic', ts: NOV_5_2025 }), { input: 5000, output: 400, cacheWrite: 15000, cacheRead: 0 });
  // from Kilo's release on, Kilo rows are the whole prompt too
  assert.equal(normaliseTokens(kiloFamily, raw, { apiProtocol: 'anthropic', ts: Date.UTC(2025, 10, 20) }).input, 5000);
  assert.equal(KILO_TOTAL_INPUT_SINCE, Date.parse('2025-11-12T00:00:00Z'));
  assert.equal(kiloFamily.wholeInputSince, KILO_TOTAL_INPUT_SINCE);
  assert.equal(rooFamily.wholeInputSince, ROO_TOTAL_INPUT_SINCE);
});
