/**
 * Claude Opus 4.6 and Sonnet 4.6 before the 1M context window went GA (2026-03-13): a request whose prompt (input +
 * cache writes + cache reads) exceeded 200,000 tokens was billed whole at the long rates (Opus 4.6 10 / 1 cached /
 * 12.50 5m write / 37.50, Sonnet 4.6 6 / 0.60 / 7.50 / 22.50; 1h writes 2x the long input), Opus 4.6 fast mode at 6x
 * those (60 / 225); from 2026-03-13 00:00 UTC every length is at the standard rates (prices.json source
 * `anthropic-4-6-long-context`). A period that ends (`priceChanges: [{ until }]`): tier `dated1long` /
 * `dated1longfast` above 200k; up to 200k the period's rates are the entry's own, so those requests keep their tier
 * (`standard`, `fast`: no rows of a tier of their own). The entries' own rates stay the flat ones, so rows an earlier
 * version stored as `standard` / `long` keep them. Expected costs by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costOf } from '../../../src/core/pricing/costOf';
import { fastTierOf, pricingTierOf } from '../../../src/core/pricing/contextTier';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import type { TokenCounts } from '../../../src/core/types';
import { claudeCodeLine, claudeCodeUsage, close, log, parse, tokensOf } from './claudeCodeLines';

const table = createPriceTable();
const LAST_BEFORE = '2026-03-12T23:59:59.999Z';
const GA = '2026-03-13T00:00:00.000Z';
const at = (iso: string) => Date.parse(iso);
/** 2,000 input + 10,000 5m writes + 8,000 1h writes + 230,000 cache reads = a 250,000-token prompt; 3,000 output */
const LONG: TokenCounts = { input: 2000, output: 3000, cacheWrite5m: 10_000, cacheWrite1h: 8000, cacheRead: 230_000, reasoning: 0, webSearch: 0, requests: 1 };
/** the same with 180,000 cache reads: a prompt of exactly 200,000 tokens, not above the boundary */
const AT_BOUNDARY: TokenCounts = { ...LONG, cacheRead: 180_000 };

test('Opus 4.6 / Sonnet 4.6 tiers: above 200k before 2026-03-13 00:00 UTC dated1long (fast: dated1longfast), up to 200k and from then on as before', () => {
  for (const m of ['claude-opus-4-6', 'claude-opus-4-6-20260205', 'claude-opus-4-6[1m]', 'anthropic/claude-opus-4.6', 'claude-sonnet-4-6', 'claude-sonnet-4-6[1m]']) {
    assert.equal(pricingTierOf(m, 250_000, at('2026-02-20T10:00:00Z')), 'dated1long', m);
    assert.equal(pricingTierOf(m, 250_000, at(LAST_BEFORE)), 'dated1long', m);
    assert.equal(pricingTierOf(m, 200_000, at(LAST_BEFORE)), 'standard', m);
    assert.equal(pricingTierOf(m, 250_000, at(GA)), 'long', m);
    assert.equal(pricingTierOf(m, 200_000, at(GA)), 'standard', m);
  }
  assert.equal(fastTierOf('claude-opus-4-6', at(LAST_BEFORE), undefined, 250_000), 'dated1longfast');
  assert.equal(fastTierOf('claude-opus-4-6', at(LAST_BEFORE), undefined, 200_000), 'fast');
  assert.equal(fastTierOf('claude-opus-4-6', at(GA), undefined, 250_000), 'fast');
  // Opus 4.5 and Sonnet 4.5 are not concerned (Sonnet 4.5 keeps its long rates on every date)
  assert.equal(pricingTierOf('claude-opus-4-5', 250_000, at(LAST_BEFORE)), 'long');
  assert.equal(pricingTierOf('claude-sonnet-4-5', 250_000, at(LAST_BEFORE)), 'long');
});

test('Opus 4.6 costs: long rates above 200k before the GA, standard rates up to 200k and after it; fast 6x and US-only 1.1x on top', () => {
  // before, above 200k: 2000×10 + 3000×37.5 + 10000×12.5 + 8000×20 + 230000×1 = 647,500 per million
  close(costOf(LONG, 'claude-opus-4-6', 'dated1long', table), 0.6475, 'dated1long');
  close(costOf(LONG, 'claude-opus-4-6-20260205', 'dated1long', table), 0.6475, 'dated1long (dated id)');
  close(costOf(LONG, 'claude-opus-4-6', 'dated1long@us', table), 0.6475 * 1.1, 'dated1long@us');
  // fast mode above 200k: 6 × the long rates (60 input, 225 output), US-only 1.1x on top
  close(costOf(LONG, 'claude-opus-4-6', 'dated1longfast', table), 3.885, 'dated1longfast');
  close(costOf(LONG, 'claude-opus-4-6', 'dated1longfast@us', table), 3.885 * 1.1, 'dated1longfast@us');
  // after the GA, the same tokens at the standard rates: 2000×5 + 3000×25 + 10000×6.25 + 8000×10 + 230000×0.5 = 342,500
  close(costOf(LONG, 'claude-opus-4-6', 'long', table), 0.3425, 'long');
  close(costOf(LONG, 'claude-opus-4-6', 'fast', table), 0.3425 * 6, 'fast');
  // before, a prompt of exactly 200k (its tier standard / fast): 2000×5 + 3000×25 + 10000×6.25 + 8000×10 + 180000×0.5
  // = 317,500; the period's rates up to 200k are the same (a dated1 / dated1fast row, were there one, costs that too)
  close(costOf(AT_BOUNDARY, 'claude-opus-4-6', 'standard', table), 0.3175, 'standard');
  close(costOf(AT_BOUNDARY, 'claude-opus-4-6', 'dated1', table), 0.3175, 'dated1');
  close(costOf(AT_BOUNDARY, 'claude-opus-4-6', 'fast', table), 1.905, 'fast');
  close(costOf(AT_BOUNDARY, 'claude-opus-4-6', 'dated1fast', table), 1.905, 'dated1fast');
});

test('Sonnet 4.6 costs: 6 / 0.60 / 7.50 / 22.50 above 200k before the GA, 3 / 0.30 / 3.75 / 15 otherwise', () => {
  // 2000×6 + 3000×22.5 + 10000×7.5 + 8000×12 + 230000×0.6 = 388,500 per million
  close(costOf(LONG, 'claude-sonnet-4-6', 'dated1long', table), 0.3885, 'dated1long');
  close(costOf(LONG, 'claude-sonnet-4-6', 'dated1long@us', table), 0.3885 * 1.1, 'dated1long@us');
  // 2000×3 + 3000×15 + 10000×3.75 + 8000×6 + 230000×0.3 = 205,500
  close(costOf(LONG, 'claude-sonnet-4-6', 'long', table), 0.2055, 'long');
  // 2000×3 + 3000×15 + 10000×3.75 + 8000×6 + 180000×0.3 = 190,500
  close(costOf(AT_BOUNDARY, 'claude-sonnet-4-6', 'standard', table), 0.1905, 'standard');
});

test('Claude Code lines: the tier of each call from its prompt and time, fast mode and US-only inference included', () => {
  // 2,000 input + 10,000 5m writes + 230,000 reads = 242,000 prompt tokens; 190,000 reads: 202,000; 150,000: 162,000
  const u = (read: number, speed?: string, geo?: string) => claudeCodeUsage({ input: 2000, cw5m: 10_000, read, output: 3000, speed, geo });
  const calls = parse(
    log(
      claudeCodeLine('claude-opus-4-6', u(230_000), 'a', '2026-03-12T23:59:59.000Z'),
      claudeCodeLine('claude-opus-4-6', u(230_000), 'b', '2026-03-13T00:00:00.000Z'),
      claudeCodeLine('claude-opus-4-6', u(150_000), 'c', '2026-03-01T12:00:00.000Z'),
      claudeCodeLine('claude-opus-4-6', u(190_000, 'fast'), 'd', '2026-02-20T12:00:00.000Z'),
      claudeCodeLine('claude-opus-4-6', u(190_000, 'fast', 'us'), 'e', '2026-02-20T12:01:00.000Z'),
      claudeCodeLine('claude-opus-4-6', u(150_000, 'fast'), 'f', '2026-02-20T12:02:00.000Z'),
      claudeCodeLine('claude-sonnet-4-6', u(230_000, undefined, 'us'), 'g', '2026-03-10T08:00:00.000Z'),
    ),
  );
  assert.deepEqual(
    calls.map((c) => c.tier),
    ['dated1long', 'long', 'standard', 'dated1longfast', 'dated1longfast@us', 'fast', 'dated1long@us'],
  );
  // a: 2000×10 + 3000×37.5 + 10000×12.5 + 230000×1 = 487,500; b: 2000×5 + 3000×25 + 10000×6.25 + 230000×0.5 = 262,500
  close(costOf(tokensOf(calls[0]), 'claude-opus-4-6', calls[0].tier, table), 0.4875, 'a');
  close(costOf(tokensOf(calls[1]), 'claude-opus-4-6', calls[1].tier, table), 0.2625, 'b');
  // c: 2000×5 + 3000×25 + 10000×6.25 + 150000×0.5 = 222,500
  close(costOf(tokensOf(calls[2]), 'claude-opus-4-6', calls[2].tier, table), 0.2225, 'c');
  // d: (2000×10 + 3000×37.5 + 10000×12.5 + 190000×1) × 6 = 447,500 × 6; e: × 1.1 on top
  close(costOf(tokensOf(calls[3]), 'claude-opus-4-6', calls[3].tier, table), 2.685, 'd');
  close(costOf(tokensOf(calls[4]), 'claude-opus-4-6', calls[4].tier, table), 2.685 * 1.1, 'e');
  // f: 222,500 × 6
  close(costOf(tokensOf(calls[5]), 'claude-opus-4-6', calls[5].tier, table), 1.335, 'f');
  // g: (2000×6 + 3000×22.5 + 10000×7.5 + 230000×0.6) × 1.1 = 292,500 × 1.1
  close(costOf(tokensOf(calls[6]), 'claude-sonnet-4-6', calls[6].tier, table), 0.2925 * 1.1, 'g');
});

test('an override of Opus 4.6 rates or of its fast prices is its price on every date', () => {
  const over = createPriceTable({ 'claude-opus-4-6': { input: 1, output: 2, cacheWrite5m: 1, cacheRead: 0.1 } });
  // 2000×1 + 3000×2 + 10000×1 + 8000×2 + 230000×0.1 = 57,000 per million, whatever the tier
  close(costOf(LONG, 'claude-opus-4-6', 'dated1long', over), 0.057, 'overridden dated1long');
  const fast = createPriceTable({ 'claude-opus-4-6-fast': { input: 30, output: 150, cacheWrite5m: 37.5, cacheRead: 3 } });
  // explicit fast prices: 2000×30 + 3000×150 + 10000×37.5 + 8000×60 + 230000×3 = 2,055,000 per million
  close(costOf(LONG, 'claude-opus-4-6', 'dated1longfast', fast), 2.055, 'explicit fast prices');
});
