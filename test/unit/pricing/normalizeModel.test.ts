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
  assert.equal(table.models.size, 55);
  for (const m of ['claude-opus-4-7', 'claude-sonnet-4-6', 'claude-haiku-4-5', 'gpt-5.4', 'gpt-5.1-codex-mini', 'gpt-5-nano']) {
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
