import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costDetail, costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable, parsePriceOverrides, PriceOverrideError } from '../../../src/core/pricing/priceTable';
import { zeroTokens, type TokenCounts } from '../../../src/core/types';

/**
 * Prices published in CNY are kept in CNY (`currency: "CNY"`); a cost is computed in CNY and converted to USD with the
 * rate from settings (`agentMeter.currency.rates`, USD per 1 CNY). The CNY rates below are test figures.
 */
const t = (p: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), requests: 1, ...p });
const close = (actual: number | null | undefined, expected: number) => {
  assert.ok(actual !== null && actual !== undefined, `expected ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) < 1e-12, `expected ${expected}, got ${actual}`);
};
const cny = { 'glm-4-plus': { provider: 'zhipu' as const, currency: 'CNY', input: 2, cacheRead: 0.5, output: 8 } };
// 100,000 uncached × 2 + 400,000 cached × 0.5 + 50,000 output × 8 = 200000 + 200000 + 400000 = 800000 → 0.8 CNY
const tokens = t({ input: 100_000, cacheRead: 400_000, output: 50_000 });

test('a CNY price is computed in CNY and converted with the rate', () => {
  const table = createPriceTable(cny, { CNY: 0.14 });
  const d = costDetail(tokens, 'GLM-4-Plus', 'standard', table)!;
  assert.equal(d.currency, 'CNY');
  close(d.amount, 0.8);
  close(d.usd, 0.112);
  close(costOf(tokens, 'glm-4-plus', 'standard', table), 0.112);
});

test('without a rate a CNY price is "no rate": the amount is known, USD is null (not summed, never $0)', () => {
  const table = createPriceTable(cny);
  const d = costDetail(tokens, 'glm-4-plus', 'standard', table)!;
  assert.equal(d.currency, 'CNY');
  close(d.amount, 0.8);
  assert.equal(d.usd, null);
  assert.equal(costOf(tokens, 'glm-4-plus', 'standard', table), null);
  // a rate for another currency does not apply
  assert.equal(costOf(tokens, 'glm-4-plus', 'standard', createPriceTable(cny, { EUR: 1.1 })), null);
});

test('bad rates are left out; USD prices need no rate and are unchanged by rates', () => {
  const table = createPriceTable(cny, { CNY: 0, cny: 0.14, EUR: -1, USD: 2 } as Record<string, number>);
  assert.equal(table.usdPer('CNY'), null);
  assert.equal(table.usdPer('EUR'), null);
  assert.equal(table.usdPer('USD'), 1);
  // gpt-5: 1000×1.25 + 1000×10 = 11250, whatever rates are set
  const usd = costDetail(t({ input: 1000, output: 1000 }), 'gpt-5', 'standard', table)!;
  assert.deepEqual({ currency: usd.currency, same: usd.usd === usd.amount }, { currency: 'USD', same: true });
  close(usd.usd, 0.01125);
});

test('an override can move a bundled USD entry to CNY; its fast prices keep the currency', () => {
  const table = createPriceTable({ 'glm-4.6': { currency: 'CNY', input: 2, cacheRead: 0.4, output: 8 } }, { CNY: 0.14 });
  // 3000×2 + 50000×0.4 + 1200×8 = 6000 + 20000 + 9600 = 35600 → 0.0356 CNY (the bundled 0 CNY cache write stays)
  const d = costDetail(t({ input: 3_000, cacheWrite5m: 10_000, cacheRead: 50_000, output: 1_200 }), 'GLM-4.6', 'standard', table)!;
  assert.equal(d.currency, 'CNY');
  close(d.amount, 0.0356);
  close(d.usd, 0.0356 * 0.14);
  const fast = createPriceTable({ ...cny, 'glm-4-plus-fast': { input: 4 } }).lookupFast('glm-4-plus')!;
  assert.equal(fast.currency, 'CNY');
});

test('overrides validate currency, provider and the long-context threshold', () => {
  assert.deepEqual(parsePriceOverrides({ m: { provider: 'deepseek', currency: 'CNY', input: 2, output: 3, longContextAbove: 128000 } }), {
    m: { provider: 'deepseek', currency: 'CNY', input: 2, output: 3, longContextAbove: 128000 },
  });
  assert.throws(() => parsePriceOverrides({ m: { currency: 'cny' } }), /currency must be a three-letter ISO 4217 code/);
  assert.throws(() => parsePriceOverrides({ m: { currency: 7 } }), PriceOverrideError);
  assert.throws(() => parsePriceOverrides({ m: { provider: 'acme' } }), /provider must be one of/);
  assert.throws(() => parsePriceOverrides({ m: { longContextAbove: -1 } }), /"longContextAbove" must be a number/);
  assert.throws(() => createPriceTable({ 'glm-4-plus': { input: 2, output: 8 }, 'glm-4-plus-fast': { longContextAbove: 1 } }), /cannot be set there/);
});

test("an override's bad number says what the field's number means", () => {
  assert.throws(() => parsePriceOverrides({ m: { input: -1 } }), /"input" must be a number >= 0 \(the entry's currency per million tokens\)/);
  assert.throws(() => parsePriceOverrides({ m: { fastMultiplier: -2 } }), /"fastMultiplier" must be a number >= 0 \(a multiplier of the rates\)/);
  assert.throws(() => parsePriceOverrides({ m: { webSearchPerRequest: -1 } }), /"webSearchPerRequest" must be a number >= 0 \(the entry's currency per search\)/);
  assert.throws(() => parsePriceOverrides({ m: { longContextAbove: -1 } }), /"longContextAbove" must be a number >= 0 \(input tokens\)/);
});
