import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeModel, resolveModelKey, cleanModelName } from '../../../src/core/pricing/normalizeModel';
import { createPriceTable, parsePriceOverrides, PriceOverrideError, priceTableDate } from '../../../src/core/pricing/priceTable';

test('provider prefixes and cloud suffixes are stripped', () => {
  assert.equal(normalizeModel('anthropic/claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5-20250929');
  assert.equal(normalizeModel('openrouter/anthropic/claude-opus-4-6'), 'claude-opus-4-6');
  assert.equal(normalizeModel('openrouter/openai/gpt-5'), 'gpt-5');
  assert.equal(normalizeModel('azure/gpt-5.1'), 'gpt-5.1');
  assert.equal(normalizeModel('openai/gpt-5-codex'), 'gpt-5-codex');
  assert.equal(normalizeModel('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), 'claude-sonnet-4-5-20250929');
  assert.equal(normalizeModel('bedrock/anthropic.claude-haiku-4-5-20251001-v1:0'), 'claude-haiku-4-5-20251001');
  assert.equal(normalizeModel('claude-sonnet-4-5@20250929'), 'claude-sonnet-4-5-20250929');
  assert.equal(normalizeModel('Claude-Opus-4-6-fast'), 'claude-opus-4-6');
  assert.equal(normalizeModel('anthropic/claude-sonnet-4.5'), 'claude-sonnet-4-5');
});

test('unknown date suffixes fall back to the undated entry', () => {
  assert.equal(normalizeModel('claude-opus-4-6-20990101'), 'claude-opus-4-6');
  assert.equal(normalizeModel('gpt-5.1-codex-2025-11-13'), 'gpt-5.1-codex');
  assert.equal(normalizeModel('gpt-5-2025-08-07'), 'gpt-5-2025-08-07');
});

test('undated names with only dated entries take the newest dated entry', () => {
  assert.equal(normalizeModel('claude-sonnet-4'), 'claude-sonnet-4-20250514');
  assert.equal(normalizeModel('claude-opus-4'), 'claude-opus-4-20250514');
  assert.equal(normalizeModel('claude-3-5-sonnet'), 'claude-3-5-sonnet-20241022');
  assert.equal(normalizeModel('claude-3-5-sonnet-latest'), 'claude-3-5-sonnet-20241022');
  assert.equal(normalizeModel('claude-opus-4-6-latest'), 'claude-opus-4-6');
  assert.equal(normalizeModel('gpt-5.1-chat-latest'), 'gpt-5.1-chat-latest');
  assert.equal(normalizeModel('gpt-5.4-mini-latest'), 'gpt-5.4-mini');
});

test('family/version order variants resolve both ways', () => {
  assert.equal(normalizeModel('claude-4-sonnet-20250514'), 'claude-4-sonnet-20250514');
  assert.equal(normalizeModel('claude-4-5-sonnet'), 'claude-sonnet-4-5');
  assert.equal(normalizeModel('claude-4-5-sonnet-20250929'), 'claude-sonnet-4-5-20250929');
  assert.equal(normalizeModel('claude-4-opus'), 'claude-4-opus-20250514');
  assert.equal(normalizeModel('claude-sonnet-3-7-20250219'), 'claude-3-7-sonnet-20250219');
});

test('matching is boundary-aware: 4-5 never takes 4-6 prices', () => {
  const keys = new Set(['claude-opus-4-6', 'claude-opus-4-5-20251101', 'gpt-5.2-codex']);
  assert.equal(resolveModelKey('claude-opus-4-5', keys), 'claude-opus-4-5-20251101');
  assert.equal(resolveModelKey('claude-opus-4', keys), null);
  assert.equal(resolveModelKey('claude-opus-4-6-1', keys), null);
  assert.equal(resolveModelKey('claude-haiku-4', new Set(['claude-haiku-4-5-20251001'])), null);
  assert.equal(resolveModelKey('gpt-5.2', keys), null);
  assert.equal(resolveModelKey('gpt-5.2-codex-mini', keys), null);
});

test('aliases: gpt-5-codex → gpt-5, gpt-5.3-codex → gpt-5.2-codex when they have no entry', () => {
  const keys = new Set(['gpt-5', 'gpt-5.2-codex']);
  assert.equal(resolveModelKey('gpt-5-codex', keys), 'gpt-5');
  assert.equal(resolveModelKey('gpt-5.3-codex', keys), 'gpt-5.2-codex');
  assert.equal(resolveModelKey('openai/gpt-5.3-codex-2026-02-01', keys), 'gpt-5.2-codex');
});

test('unknown names keep their cleaned-up name and are unpriced', () => {
  assert.equal(normalizeModel('anthropic/Claude-Opus-9'), 'claude-opus-9');
  assert.equal(createPriceTable().lookup('claude-opus-9'), null);
  assert.equal(createPriceTable().lookup('<synthetic>'), null);
  assert.equal(cleanModelName('  '), '');
});

test('the bundled table is dated and has every family', () => {
  assert.match(priceTableDate, /^\d{4}-\d{2}-\d{2}$/);
  const table = createPriceTable();
  assert.equal(table.models.size, 155);
  for (const m of ['claude-opus-4-7', 'claude-sonnet-4-6', 'claude-haiku-4-5', 'gpt-5.4', 'gpt-5.1-codex-mini', 'gpt-5-nano', 'deepseek-v4-pro', 'deepseek-chat', 'deepseek-reasoner', 'qwen3-coder-plus', 'gemini-3.8-flash', 'kimi-k3', 'minimax-m3', 'claude-opus-5', 'gpt-5.6-sol']) {
    assert.ok(table.lookup(m), m);
  }
  assert.equal(table.lookup('claude-sonnet-4-5')!.inputAbove200k, 6);
  assert.equal(table.lookup('claude-opus-4-6')!.fastMultiplier, 6);
  assert.equal(table.lookup('gpt-5')!.provider, 'openai');
});

test('override files are validated with clear messages', () => {
  assert.deepEqual(parsePriceOverrides({ 'gpt-5': { input: 1, cacheRead: 0.1 } }), { 'gpt-5': { input: 1, cacheRead: 0.1 } });
  assert.throws(() => parsePriceOverrides([]), PriceOverrideError);
  assert.throws(() => parsePriceOverrides({ 'gpt-5': { imput: 1 } }), /unknown field "imput"/);
  assert.throws(() => parsePriceOverrides({ 'gpt-5': { input: -1 } }), /"input" must be a number/);
  assert.throws(() => parsePriceOverrides({ 'gpt-5': { input: '3' } }), PriceOverrideError);
  assert.throws(() => parsePriceOverrides({ 'gpt-5': 3 }), PriceOverrideError);
  assert.throws(() => createPriceTable({ 'brand-new': { input: 1 } }), /needs at least "input" and "output"/);
  // an override of a resolvable variant lands on the entry it resolves to
  const t = createPriceTable({ 'claude-4-sonnet': { output: 1 } });
  assert.equal(t.lookup('claude-4-sonnet-20250514')!.output, 1);
  assert.equal(t.lookup('claude-4-sonnet-20250514')!.input, 3);
});

test('Vertex version markers, every Bedrock cross-region prefix and Bedrock context suffixes are stripped', () => {
  assert.equal(normalizeModel('claude-3-5-sonnet-v2@20241022'), 'claude-3-5-sonnet-20241022');
  assert.equal(normalizeModel('claude-3-5-sonnet-v2'), 'claude-3-5-sonnet-20241022');
  for (const region of ['us', 'eu', 'apac', 'global', 'jp', 'au', 'us-gov']) {
    assert.equal(normalizeModel(`${region}.anthropic.claude-sonnet-4-5-20250929-v1:0`), 'claude-sonnet-4-5-20250929', region);
  }
  assert.equal(normalizeModel('global.anthropic.claude-opus-4-6-v1'), 'claude-opus-4-6');
  assert.equal(normalizeModel('anthropic.claude-3-haiku-20240307-v1:0:200k'), 'claude-3-haiku-20240307');
  // the vendor marker is required: a bare region-like prefix is not stripped
  assert.equal(createPriceTable().lookup('us.claude-sonnet-4-5-20250929'), null);
});

test("Anthropic's aliases resolve to the snapshot they name", () => {
  assert.equal(normalizeModel('claude-sonnet-4-0'), 'claude-sonnet-4-20250514');
  assert.equal(normalizeModel('claude-opus-4-0'), 'claude-opus-4-20250514');
  assert.equal(normalizeModel('claude-sonnet-4.0'), 'claude-sonnet-4-20250514');
  assert.equal(normalizeModel('claude-opus-4-0-latest'), 'claude-opus-4-20250514');
  assert.equal(normalizeModel('claude-4-0-sonnet-20250514'), 'claude-4-sonnet-20250514');
  assert.equal(normalizeModel('claude-opus-4-1'), 'claude-opus-4-1');
  assert.equal(normalizeModel('claude-3-7-sonnet-latest'), 'claude-3-7-sonnet-20250219');
  assert.equal(normalizeModel('claude-3-5-haiku-latest'), 'claude-3-5-haiku-20241022');
  assert.equal(normalizeModel('claude-sonnet-4-5-latest'), 'claude-sonnet-4-5');
  const t = createPriceTable();
  assert.equal(t.lookup('claude-sonnet-4-0')!.input, 3);
  assert.equal(t.lookup('claude-opus-4-0')!.input, 15);
});

test('the new rules never give a different model a price', () => {
  const t = createPriceTable();
  const unknown = ['claude-sonnet-4-7', 'claude-sonnet-4-7-20260601', 'claude-haiku-4-0', 'claude-opus-4-05', 'claude-opus-4-0-1'];
  for (const m of [...unknown, 'claude-sonnet-6-0', 'claude-3-5-opus-v2@20241022']) {
    assert.equal(t.lookup(m), null, m);
  }
  // `-0` names version 5 itself (Anthropic's alias form), now that Sonnet 5 has an entry
  assert.equal(normalizeModel('claude-sonnet-5-0'), 'claude-sonnet-5');
  // `.0` is dropped only as a whole version part: 4-1 stays Opus 4.1 ($15), never Opus 4 or 4.5
  assert.equal(normalizeModel('claude-opus-4-1-20250805'), 'claude-opus-4-1-20250805');
  assert.equal(normalizeModel('claude-opus-4-5'), 'claude-opus-4-5');
});

test('overrides are keyed like lookups: every spelling of the model gets them', () => {
  const t = createPriceTable({ 'claude-4-sonnet': { inputAbove200k: 1 } });
  assert.equal(t.lookup('claude-sonnet-4-20250514')!.inputAbove200k, 1);
  assert.equal(t.lookup('claude-4-sonnet-20250514')!.inputAbove200k, 1);
  assert.equal(t.lookup('claude-sonnet-4-5-20250929')!.inputAbove200k, 6);
  const dated = createPriceTable({ 'claude-sonnet-4-20250514': { input: 2 } });
  assert.equal(dated.lookup('claude-4-sonnet-20250514')!.input, 2);
  // an alias reaches the model it names, under both spellings, and nothing else
  const alias = createPriceTable({ 'claude-opus-4-0': { input: 9 } });
  assert.equal(alias.lookup('claude-opus-4-20250514')!.input, 9);
  assert.equal(alias.lookup('claude-4-opus-20250514')!.input, 9);
  assert.equal(alias.lookup('claude-opus-4-1')!.input, 15);
  const bedrock = createPriceTable({ 'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0': { output: 1 } });
  assert.equal(bedrock.lookup('claude-sonnet-4-5-20250929')!.output, 1);
  assert.equal(bedrock.lookup('claude-sonnet-4-5')!.output, 15);
});

test('gpt-5-codex has its own entry: an override of gpt-5 does not reach it, unless the table has no gpt-5-codex entry', () => {
  const t = createPriceTable({ 'gpt-5': { input: 2 } });
  assert.equal(t.lookup('gpt-5')!.input, 2);
  assert.equal(t.lookup('gpt-5-2025-08-07')!.input, 2);
  assert.equal(t.lookup('gpt-5-codex')!.input, 1.25);
  assert.equal(t.lookup('gpt-5-mini')!.input, 0.25);
  assert.equal(createPriceTable({ 'gpt-5-codex': { input: 3 } }).lookup('gpt-5-codex')!.input, 3);
});

test('a "-fast" override gives fast-mode prices and never changes standard prices', () => {
  const t = createPriceTable({ 'claude-opus-4-6-fast': { input: 30, output: 150 } });
  // the rates it does not set are the standard ones × the fast multiplier (6)
  const fast = { provider: 'anthropic', input: 30, output: 150, cacheWrite5m: 37.5, cacheRead: 3, maxInputTokens: 1_000_000 };
  for (const m of ['claude-opus-4-6', 'claude-opus-4-6-20260205', 'anthropic/claude-opus-4-6-fast']) {
    assert.equal(t.lookup(m)!.input, 5, m);
    assert.equal(t.lookup(m)!.output, 25, m);
    assert.deepEqual(t.lookupFast(m), fast, m);
  }
  assert.equal(t.lookupFast('claude-opus-4-7'), null);
  assert.equal(createPriceTable().lookupFast('claude-opus-4-6'), null);
  assert.throws(() => createPriceTable({ 'claude-opus-4-6-fast': { fastMultiplier: 2 } }), /"-fast" entry.*"fastMultiplier"/);
  assert.throws(() => createPriceTable({ 'claude-sonnet-4-5-fast': { inputAbove200k: 2 } }), PriceOverrideError);
  assert.throws(() => createPriceTable({ 'my-model-fast': { input: 1, output: 2 } }), /"my-model" has no price/);
  // a new model and its fast prices in one file, in either order
  const both = createPriceTable({ 'my-model-fast': { input: 4 }, 'my-model': { input: 1, output: 2 } });
  assert.equal(both.lookup('my-model')!.input, 1);
  assert.deepEqual(both.lookupFast('my-model'), { provider: 'openai', input: 4, output: 2 });
});
