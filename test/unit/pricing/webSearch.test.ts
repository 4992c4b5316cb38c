/**
 * Web searches priced: Claude Code writes a request's server-side web searches in
 * `usage.server_tool_use.web_search_requests`; Anthropic bills them at $10 per 1,000 searches on top of the tokens
 * (platform.claude.com/docs/en/about-claude/pricing, "Web search tool"; prices.json source `anthropic-web-search`), on
 * every Claude model that has the tool (all but Claude 3 Opus and Claude 3 Haiku). A search is not multiplied by fast
 * mode or US-only inference (those multiply token prices). Searches on a model without a search price leave the cost
 * unknown (null), never $0. Lines in Claude Code 2.1.2xx's format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { costDetail, costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable, parsePriceOverrides, PriceOverrideError } from '../../../src/core/pricing/priceTable';
import { loadFacts } from '../../../src/core/query/facts';
import { RowAccumulator } from '../../../src/core/report/rows';
import type { ClaudeCallRecord } from '../../../src/core/ingest/records';
import type { TokenCounts } from '../../../src/core/types';
import * as h from '../ingest/helpers';
import { claudeCodeLine, claudeCodeUsage, close, log, parse, tokensOf } from './claudeCodeLines';

const table = createPriceTable();

const line = (model: string, usage: Record<string, unknown>, id: string, ts?: string) => claudeCodeLine(model, usage, id, ts, 's-web');
/** `searches` web searches in server_tool_use. */
const usage = (searches: number, input: number, cw5m: number, read: number, output: number, speed = 'standard', geo = 'global') =>
  claudeCodeUsage({ searches, input, cw5m, read, output, speed, geo });

const cost = (c: ClaudeCallRecord, t = table) => costOf(tokensOf(c), c.model, c.tier, t);

test('a request with 3 web searches costs its tokens plus 3 × $0.01; without searches, its tokens alone', () => {
  const [searched, plain] = parse(log(
    line('claude-sonnet-4-6', usage(3, 1000, 2000, 10_000, 500), 'msg_ws'),
    line('claude-sonnet-4-6', usage(0, 1000, 2000, 10_000, 500), 'msg_plain'),
  ));
  assert.equal(searched.webSearch, 3);
  // 1000×3 + 500×15 + 2000×3.75 + 10000×0.3 = 21,000 per million
  close(cost(plain), 0.021, 'no search');
  close(cost(searched), 0.021 + 0.03, 'three searches');
  // every Claude entry since 3.5 has the price; the two Claude 3 models never had the tool
  for (const model of ['claude-3-5-haiku-20241022', 'claude-3-7-sonnet-20250219', 'claude-opus-4-1', 'claude-opus-5-5', 'claude-haiku-5-5', 'claude-fable-5-2', 'claude-mythos-5-2']) {
    assert.equal(table.lookup(model)!.webSearchPerRequest, 0.01, model);
  }
  assert.equal(table.lookup('claude-3-haiku-20240307')!.webSearchPerRequest, undefined);
});

test('fast mode and US-only inference multiply the tokens, not the searches', () => {
  const [fastUs] = parse(log(line('claude-opus-4-6', usage(2, 1000, 2000, 10_000, 500, 'fast', 'us'), 'msg_fast_us')));
  assert.equal(fastUs.tier, 'fast@us');
  // Opus 4.6: 1000×5 + 500×25 + 2000×6.25 + 10000×0.5 = 35,000 per million; × 6 (fast) × 1.1 (US-only)
  close(cost(fastUs), 0.035 * 6 * 1.1 + 0.02, 'fast US-only with 2 searches');
});

test('searches on a model without a search price are unpriced (never $0); an unpriced model stays unpriced', () => {
  const [old, oldPlain, unknown] = parse(log(
    line('claude-3-haiku-20240307', usage(1, 1000, 0, 0, 500), 'msg_old'),
    line('claude-3-haiku-20240307', usage(0, 1000, 0, 0, 500), 'msg_old_plain'),
    line('claude-mystery-9', usage(2, 1000, 0, 0, 500), 'msg_unknown'),
  ));
  assert.equal(cost(old), null);
  assert.equal(costDetail(tokensOf(old), old.model, old.tier, table), null);
  // its tokens alone keep their price: 1000×0.25 + 500×1.25 = 875 per million
  close(cost(oldPlain), 0.000875, 'Claude 3 Haiku without a search');
  assert.equal(cost(unknown), null);
  // a report row with the unpriced part: cost null, the searched model listed as unpriced
  const acc = new RowAccumulator();
  const fact = (c: ClaudeCallRecord) => ({ ...tokensOf(c), source: 'claude', model: c.model, tier: c.tier, project: 'p', session: 's', branch: '', bucketStartMs: 0, firstMs: 1, lastMs: 2 });
  acc.add(fact(old) as never);
  acc.add(fact(oldPlain) as never);
  const row = acc.toRow('all', table);
  assert.equal(row.costUSD, null);
  assert.deepEqual(row.unpricedModels, ['claude-3-haiku-20240307']);
  assert.equal(row.webSearchRequests, 1);
});

test('an override may set a web-search price (a model of its own too); a -fast override cannot', () => {
  const t = createPriceTable(parsePriceOverrides({ 'claude-3-haiku-20240307': { webSearchPerRequest: 0.02 }, 'claude-sonnet-4-6': { webSearchPerRequest: 0.005 } }));
  const tokens: TokenCounts = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 4, requests: 1 };
  close(costOf(tokens, 'claude-3-haiku-20240307', 'standard', t), 0.08, 'override on a model without the tool');
  close(costOf(tokens, 'claude-sonnet-4-6', 'standard', t), 0.02, 'override of the bundled price');
  assert.throws(() => createPriceTable(parsePriceOverrides({ 'claude-opus-4-6-fast': { input: 30, output: 150, webSearchPerRequest: 0.02 } })), PriceOverrideError);
  assert.throws(() => parsePriceOverrides({ 'claude-opus-4-6': { webSearchPerRequest: -1 } }), PriceOverrideError);
});

test('indexed: a call\'s searches counted once with its final copy, and the report prices them', async () => {
  const dir = h.tmpDir();
  try {
    const proj = join(dir, 'claude/projects/-home-u-proj');
    mkdirSync(proj, { recursive: true });
    writeFileSync(join(proj, 's-web.jsonl'), log(
      // a streaming copy and the final copy of one call: the searches of the call once
      line('claude-opus-4-7', usage(2, 1000, 2000, 10_000, 12), 'msg_a'),
      line('claude-opus-4-7', usage(2, 1000, 2000, 10_000, 500), 'msg_a'),
      line('claude-opus-4-7', usage(1, 1000, 0, 20_000, 300), 'msg_b', '2026-11-20T10:05:00.000Z'),
    ));
    const { db } = await h.indexOnce(h.rootsFor({ claude: join(dir, 'claude') }));
    const facts = loadFacts(db);
    assert.equal(facts.reduce((n, f) => n + f.webSearch, 0), 3);
    const acc = new RowAccumulator();
    for (const f of facts) acc.add(f);
    const row = acc.toRow('all', table);
    // Opus 4.7: msg_a 35,000 per million; msg_b 1000×5 + 300×25 + 20000×0.5 = 22,500 per million; 3 searches
    close(row.costUSD, 0.035 + 0.0225 + 0.03, 'row');
    assert.equal(row.webSearchRequests, 3);
    db.close();
  } finally {
    h.cleanup(dir);
  }
});
