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
