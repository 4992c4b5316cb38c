/**
 * The bench's cost truth (scripts/bench/truth.mjs `truthCost`), kept apart from the pricing code it checks: the Claude
 * calls' tokens at list prices plus their web searches at $10 per 1,000 (Anthropic's Web search tool price), as the
 * index prices them, so `npm run bench -- --year` stays "to the cent" on a corpus whose calls search the web.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countClaudeCall, type ClaudeTruth } from '../../../scripts/bench/claudeTruth.mjs';
import type { CorpusManifest } from '../../../scripts/bench/corpus.mjs';
import { truthCost } from '../../../scripts/bench/truth.mjs';
import { costOf } from '../../../src/core/pricing/costOf';
import { pricingTierOf } from '../../../src/core/pricing/contextTier';
import { createPriceTable } from '../../../src/core/pricing/priceTable';

test('truthCost adds $0.01 per web search to the Claude tokens, and agrees with the index\'s pricing', () => {
  const truth: Record<string, ClaudeTruth> = {};
  const calls = [
    { model: 'claude-opus-4-6', u: { input: 1000, cw5m: 2000, cw1h: 0, cacheRead: 10_000, output: 500, webSearch: 3 } },
    { model: 'claude-opus-4-6', u: { input: 10, cw5m: 0, cw1h: 4000, cacheRead: 90_000, output: 900, webSearch: 0 } },
    { model: 'claude-haiku-4-5-20251001', u: { input: 5, cw5m: 300, cw1h: 0, cacheRead: 20_000, output: 60, webSearch: 1 } },
  ];
  for (const c of calls) countClaudeCall(truth, c.model, c.u);
  const manifest = { claude: { truthByModel: truth }, codex: { truthByModel: {} } } as unknown as CorpusManifest;
  const got = truthCost(manifest);
  // Opus 4.6: 1000×5 + 500×25 + 2000×6.25 + 10000×0.5 = 35,000; 10×5 + 900×25 + 4000×10 + 90000×0.5 = 107,550;
  // Haiku 4.5: 5×1 + 60×5 + 300×1.25 + 20000×0.1 = 2,680 per million; 4 searches
  const want = (35_000 + 107_550 + 2680) / 1e6 + 0.04;
  assert.ok(Math.abs(got.claude - want) < 1e-12, `${got.claude} vs ${want}`);
  assert.equal(got.codex, 0);
  const table = createPriceTable();
  const indexed = calls.reduce(
    (n, c) => n + costOf({ input: c.u.input, output: c.u.output, cacheWrite5m: c.u.cw5m, cacheWrite1h: c.u.cw1h, cacheRead: c.u.cacheRead, reasoning: 0, webSearch: c.u.webSearch, requests: 1 }, c.model, 'standard', table)!,
    0,
  );
  assert.ok(Math.abs(indexed - got.claude) < 1e-12, `index ${indexed} vs truth ${got.claude}`);
});

test('truthCost prices Opus 4.6 requests above 200k at its long rates before 2026-03-13 only, as the index does', () => {
  const truth: Record<string, ClaudeTruth> = {};
  // a 210,100-token prompt the hour before the 1M window went GA, and the same the hour after it
  const u = { input: 100, cw5m: 20_000, cw1h: 0, cacheRead: 190_000, output: 800, webSearch: 0 };
  const calls = [
    { model: 'claude-opus-4-6', u, at: Date.parse('2026-03-12T23:00:00Z') },
    { model: 'claude-opus-4-6', u, at: Date.parse('2026-03-13T01:00:00Z') },
    { model: 'claude-opus-4-6', u: { ...u, cacheRead: 150_000 }, at: Date.parse('2026-02-10T09:00:00Z') },
  ];
  for (const c of calls) countClaudeCall(truth, c.model, c.u, c.at);
  const manifest = { startDay: '2025-12-07', claude: { truthByModel: truth }, codex: { truthByModel: {} } } as unknown as CorpusManifest;
  // before, long: 100×10 + 800×37.5 + 20000×12.5 + 190000×1 = 471,000; after: 100×5 + 800×25 + 20000×6.25 + 190000×0.5
  // = 240,500; the 170,100-token prompt before: 100×5 + 800×25 + 20000×6.25 + 150000×0.5 = 220,500 per million
  const want = (471_000 + 240_500 + 220_500) / 1e6;
  const got = truthCost(manifest);
  assert.ok(Math.abs(got.claude - want) < 1e-12, `${got.claude} vs ${want}`);
  const table = createPriceTable();
  const indexed = calls.reduce((n, c) => {
    const tier = pricingTierOf(c.model, c.u.input + c.u.cw5m + c.u.cw1h + c.u.cacheRead, c.at);
    const tokens = { input: c.u.input, output: c.u.output, cacheWrite5m: c.u.cw5m, cacheWrite1h: c.u.cw1h, cacheRead: c.u.cacheRead, reasoning: 0, webSearch: 0, requests: 1 };
    return n + costOf(tokens, c.model, tier, table)!;
  }, 0);
  assert.ok(Math.abs(indexed - want) < 1e-12, `index ${indexed} vs truth ${want}`);
  // a manifest of an older generator (no days of its long requests): unknown when its span starts before the change,
  // the standard rates when it starts after it (the default corpus: 2026-04-02 on)
  const old = structuredClone(truth);
  delete (old['claude-opus-4-6'] as Partial<ClaudeTruth>).longByDay;
  assert.ok(Number.isNaN(truthCost({ ...manifest, claude: { truthByModel: old } } as unknown as CorpusManifest).claude));
  const later = { startMs: Date.parse('2026-04-02T00:00:00Z'), claude: { truthByModel: old }, codex: { truthByModel: {} } } as unknown as CorpusManifest;
  assert.ok(Math.abs(truthCost(later).claude - (240_500 * 2 + 220_500) / 1e6) < 1e-12);
});
