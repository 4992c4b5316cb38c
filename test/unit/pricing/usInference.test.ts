/**
 * US-only inference: Claude Code writes where each request ran in `usage.inference_geo` ("us", "global", or
 * "not_available"); Anthropic bills a US-only request at 1.1x standard rates — every token category, on top of fast
 * mode and long-context rates — on Claude Opus 4.6, Sonnet 4.6 and later models, and at the standard rates on earlier
 * models (platform.claude.com/docs/en/build-with-claude/data-residency; support.claude.com/en/articles/15422948,
 * "How billing works"; prices.json source `anthropic-us-inference`). Lines in Claude Code 2.1.2xx's format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable, parsePriceOverrides, PriceOverrideError } from '../../../src/core/pricing/priceTable';
import { isUsOnly, plainTierOf } from '../../../src/core/pricing/inferenceGeo';
import { loadFacts } from '../../../src/core/query/facts';
import type { TokenCounts } from '../../../src/core/types';
import * as h from '../ingest/helpers';
import { claudeCodeLine, claudeCodeUsage, close, log, parse, tokensOf } from './claudeCodeLines';

const table = createPriceTable();

const line = (model: string, usage: Record<string, unknown>, id: string, ts?: string) => claudeCodeLine(model, usage, id, ts, 's-geo');
/** Where the request ran in `inference_geo`. */
const usage = (geo: string, input: number, cw5m: number, read: number, output: number, speed = 'standard', iterations?: unknown[]) =>
  claudeCodeUsage({ geo, input, cw5m, read, output, speed, iterations });

test('a US-only request of Opus 4.6 costs 1.1x; a global one and one whose geography was not available cost the standard rates', () => {
  const calls = parse(log(
    line('claude-opus-4-6', usage('us', 1000, 2000, 10_000, 500), 'msg_us'),
    line('claude-opus-4-6', usage('global', 1000, 2000, 10_000, 500), 'msg_global'),
    line('claude-opus-4-6', usage('not_available', 1000, 2000, 10_000, 500), 'msg_na'),
  ));
  assert.deepEqual(calls.map((c) => c.tier), ['standard@us', 'standard', 'standard']);
  // 1000×5 + 500×25 + 2000×6.25 + 10000×0.5 = 35,000 per million
  close(costOf(tokensOf(calls[0]), calls[0].model, calls[0].tier, table), 0.0385, 'US-only');
  close(costOf(tokensOf(calls[1]), calls[1].model, calls[1].tier, table), 0.035, 'global');
  close(costOf(tokensOf(calls[2]), calls[2].model, calls[2].tier, table), 0.035, 'not available');
});

test('on top of fast mode and of a long-context band: the fast / long rates, then 1.1x', () => {
  const [fast, long] = parse(log(
    line('claude-opus-4-6', usage('us', 1000, 2000, 10_000, 500, 'fast'), 'msg_fast'),
    // Haiku 5.5: a prompt above 100,000 tokens is billed whole at 5x its rates (prices.json anthropic-2026-12)
    line('claude-haiku-5-5', usage('us', 10, 0, 100_000, 500), 'msg_long'),
  ));
  assert.equal(fast.tier, 'fast@us');
  assert.equal(long.tier, 'long@us');
  assert.equal(plainTierOf(long.tier), 'long');
  assert.ok(isUsOnly(long.tier) && !isUsOnly('long'));
  // fast: 6 × 35,000 = 210,000 per million, × 1.1
  close(costOf(tokensOf(fast), fast.model, fast.tier, table), 0.231, 'fast US-only');
  // long: (10×0.1 + 500×0.5 + 100000×0.01) × 5 = 6,255 per million, × 1.1
  const standardLong = costOf(tokensOf(long), long.model, 'long', table)!;
  close(standardLong, 0.006255, 'long, global');
  close(costOf(tokensOf(long), long.model, long.tier, table), 0.006255 * 1.1, 'long US-only');
});

test('models before Opus 4.6 bill a US-only request at their standard rates', () => {
  const [haiku, sonnet45] = parse(log(
    line('claude-haiku-4-5-20251001', usage('us', 1000, 2000, 10_000, 500), 'msg_h'),
    line('claude-sonnet-4-5-20250929', usage('us', 1000, 2000, 10_000, 500), 'msg_s'),
  ));
  assert.equal(haiku.tier, 'standard@us');
  // Haiku 4.5: 1000×1 + 500×5 + 2000×1.25 + 10000×0.1 = 7,000 per million
  close(costOf(tokensOf(haiku), haiku.model, haiku.tier, table), 0.007, 'Haiku 4.5');
  // Sonnet 4.5: 1000×3 + 500×15 + 2000×3.75 + 10000×0.3 = 21,000 per million
  close(costOf(tokensOf(sonnet45), sonnet45.model, sonnet45.tier, table), 0.021, 'Sonnet 4.5');
});

test("an advisor's sub-inferences of a US-only request are US-only too (one request, one geography)", () => {
  const iterations = [
    { input_tokens: 3, output_tokens: 40, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, type: 'message' },
    { type: 'advisor_message', model: 'claude-opus-4-7', input_tokens: 2000, output_tokens: 300, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  ];
  const calls = parse(`${line('claude-sonnet-4-6', usage('us', 3, 0, 0, 40, 'standard', iterations), 'msg_adv')}\n`);
  assert.deepEqual(calls.map((c) => [c.model, c.tier]), [['claude-sonnet-4-6', 'standard@us'], ['claude-opus-4-7', 'standard@us']]);
  // advisor: (2000×5 + 300×25) × 1.1 = 19,250 per million
  close(costOf(tokensOf(calls[1]), calls[1].model, calls[1].tier, table), 0.01925, 'advisor');
});

test('an override of the rates keeps the model\'s US-only multiplier; it can set one; a -fast override cannot', () => {
  const t = createPriceTable(parsePriceOverrides({ 'claude-opus-4-6': { input: 10 }, 'claude-haiku-4-5': { usInferenceMultiplier: 1.2 } }));
  const tokens: TokenCounts = { input: 1_000_000, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 1 };
  close(costOf(tokens, 'claude-opus-4-6', 'standard@us', t), 11, 'overridden input rate, 1.1x');
  close(costOf(tokens, 'claude-haiku-4-5', 'standard@us', t), 1.2, 'override sets the multiplier');
  assert.throws(() => createPriceTable(parsePriceOverrides({ 'claude-opus-4-6-fast': { input: 30, output: 150, usInferenceMultiplier: 1.5 } })), PriceOverrideError);
  // explicit fast prices (a -fast override), then the model's 1.1x
  const f = createPriceTable(parsePriceOverrides({ 'claude-opus-4-6-fast': { input: 30, output: 150 } }));
  close(costOf(tokens, 'claude-opus-4-6', 'fast@us', f), 33, 'explicit fast prices, 1.1x');
});

test('indexed: the US-only calls keep their tier in the index, and the facts cost what the bill says', async () => {
  const dir = h.tmpDir();
  try {
    const proj = join(dir, 'claude/projects/-home-u-proj');
    mkdirSync(proj, { recursive: true });
    writeFileSync(join(proj, 's-geo.jsonl'), log(
      line('claude-opus-4-6', usage('us', 1000, 2000, 10_000, 500), 'msg_us1'),
      line('claude-opus-4-6', usage('us', 1000, 2000, 10_000, 500), 'msg_us1'), // a copy of the same call: counted once
      line('claude-opus-4-6', usage('global', 1000, 2000, 10_000, 500), 'msg_gl1', '2026-11-20T10:05:00.000Z'),
    ));
    const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'claude') }));
    const facts = loadFacts(db);
    assert.deepEqual(facts.map((f) => [f.tier, f.requests]).sort(), [['standard', 1], ['standard@us', 1]]);
    const cost = facts.reduce((s, f) => s + costOf(f, f.model, f.tier, table)!, 0);
    close(cost, 0.0385 + 0.035, 'the two calls');
  } finally {
    h.cleanup(dir);
  }
});

test('the geography read as JSON reads it: written with an escape, "us" is still US-only', () => {
  const text = line('claude-opus-4-6', usage('us', 1000, 2000, 10_000, 500, 'fast'), 'msg_esc').replace('"inference_geo":"us"', '"inference_geo":"\\u0075s"').replace('"speed":"fast"', '"speed":"f\\u0061st"');
  assert.ok(text.includes('\\u0075s') && text.includes('f\\u0061st'));
  assert.equal(JSON.parse(text).message.usage.inference_geo, 'us');
  const [c] = parse(log(text));
  assert.equal(c.tier, 'fast@us');
});
