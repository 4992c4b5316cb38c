/**
 * The Claude models of mid/late 2026 that Claude Code logs (Opus 4.8, Opus 5, Opus 5.5, Sonnet 5, Sonnet 5.5,
 * Haiku 5.5, Fable/Mythos 5, 5.1, 5.2): read from assistant lines in Claude Code 2.1.2xx's format and priced.
 * Before these entries every such call was unpriced.
 *
 * Prices: platform.claude.com/docs/en/about-claude/pricing and the models' overview pages (prices.json source
 * `anthropic-2026-12`). The Opus 5 check is against Claude Code's own figure: a `result` frame of Claude Code 2.1.x
 * (stream-json, found by full-text search of public repositories; repository not identifiable) has
 * `"modelUsage":{"claude-opus-5[1m]":{"inputTokens":4,"outputTokens":263,"cacheReadInputTokens":26703,
 * "cacheCreationInputTokens":6792,…,"costUSD":0.0878665,…}}` for the call whose usage is the line below (its cache
 * writes all 1-hour: `"cache_creation":{"ephemeral_1h_input_tokens":6792,"ephemeral_5m_input_tokens":0}`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClaudeBlock, type ClaudeParseOutput } from '../../../src/core/ingest/parse/claude';
import { costOf } from '../../../src/core/pricing/costOf';
import { pricingTierOf } from '../../../src/core/pricing/contextTier';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { normalizeModel } from '../../../src/core/pricing/normalizeModel';
import type { ClaudeCallRecord } from '../../../src/core/ingest/records';
import type { TokenCounts } from '../../../src/core/types';

const table = createPriceTable();

function line(model: string, usage: Record<string, unknown>, id = 'msg_01A', ts = '2026-11-20T10:00:00.000Z'): string {
  return JSON.stringify({
    parentUuid: 'p', isSidechain: false, userType: 'external', cwd: '/home/u/proj', sessionId: 's', version: '2.1.293', gitBranch: 'main',
    message: { id, type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage },
    requestId: `req_${id}`, type: 'assistant', uuid: `u_${id}`, timestamp: ts,
  });
}

/** Claude Code 2.1.2xx usage object (key order as written by current versions). */
function usage(input: number, cw5m: number, cw1h: number, read: number, output: number, speed = 'standard'): Record<string, unknown> {
  return {
    input_tokens: input, cache_creation_input_tokens: cw5m + cw1h, cache_read_input_tokens: read, output_tokens: output,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 }, service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: cw1h, ephemeral_5m_input_tokens: cw5m }, inference_geo: 'not_available',
    iterations: [{ input_tokens: input, output_tokens: output, cache_read_input_tokens: read, cache_creation_input_tokens: cw5m + cw1h, type: 'message' }],
    speed,
  };
}

function parse(text: string): ClaudeCallRecord[] {
  const out: ClaudeParseOutput = { calls: [], resets: [], malformed: 0, state: {} };
  parseClaudeBlock(Buffer.from(text), 0, out);
  return out.calls;
}

function tokensOf(c: ClaudeCallRecord): TokenCounts {
  return { input: c.input, output: c.output, cacheWrite5m: c.cw5m, cacheWrite1h: c.cw1h, cacheRead: c.cacheRead, reasoning: 0, webSearch: c.webSearch, requests: 1 };
}

const close = (actual: number | null, expected: number) => {
  assert.notEqual(actual, null, 'priced');
  assert.ok(Math.abs(actual! - expected) < 1e-12, `expected ${expected}, got ${actual}`);
};

test('Opus 5: a real call costs what Claude Code itself reported (costUSD 0.0878665)', () => {
  const [c] = parse(`${line('claude-opus-5', usage(4, 0, 6792, 26703, 263))}\n`);
  assert.equal(c.cw1h, 6792);
  // 4×5 + 263×25 + 6792×10 (1h: 2×input) + 26703×0.5 = 87866.5 per million
  close(costOf(tokensOf(c), c.model, c.tier, table), 0.0878665);
  // the 1M variant's name as Claude Code writes it in modelUsage / hooks
  close(costOf(tokensOf(c), 'claude-opus-5[1m]', c.tier, table), 0.0878665);
  assert.equal(normalizeModel('claude-opus-5[1m]'), 'claude-opus-5');
});

test('Opus 5.5 and Sonnet 5.5: cache reads at their own listed rate (0.05x input), not 0.1x', () => {
  const [opus, sonnet] = parse(`${line('claude-opus-5-5', usage(2, 1000, 5000, 100_000, 800), 'msg_a')}\n${line('claude-sonnet-5-5', usage(2, 1000, 5000, 100_000, 800), 'msg_b')}\n`);
  // Opus 5.5: 2×4 + 800×20 + 1000×5 + 5000×8 + 100000×0.2 = 81008
  close(costOf(tokensOf(opus), opus.model, opus.tier, table), 0.081008);
  // Sonnet 5.5: 2×2 + 800×10 + 1000×2.5 + 5000×4 + 100000×0.1 = 40504
  close(costOf(tokensOf(sonnet), sonnet.model, sonnet.tier, table), 0.040504);
});

test('Sonnet 5.5: cache reads at 0.20 for requests before 2026-10-07 00:00 UTC (tier dated1), 0.10 from then on', () => {
  for (const m of ['claude-sonnet-5-5', 'claude-sonnet-5-5[1m]']) {
    assert.equal(pricingTierOf(m, 50_000, Date.parse('2026-09-30T12:00:00Z')), 'dated1', m);
    assert.equal(pricingTierOf(m, 50_000, Date.parse('2026-10-06T23:59:59.999Z')), 'dated1', m);
    assert.equal(pricingTierOf(m, 50_000, Date.parse('2026-10-07T00:00:00Z')), 'standard', m);
    // no long-context rates: a long prompt is priced as any other
    assert.equal(pricingTierOf(m, 500_000, Date.parse('2026-10-01T00:00:00Z')), 'dated1', m);
  }
  const [before, after] = parse(
    `${line('claude-sonnet-5-5', usage(2, 1000, 5000, 100_000, 800), 'msg_b', '2026-10-06T23:59:00.000Z')}\n${line('claude-sonnet-5-5', usage(2, 1000, 5000, 100_000, 800), 'msg_a', '2026-10-07T00:01:00.000Z')}\n`,
  );
  assert.deepEqual([before.tier, after.tier], ['dated1', 'standard']);
  // before: 2×2 + 800×10 + 1000×2.5 + 5000×4 + 100000×0.2 = 50504; after: 100000×0.1 instead = 40504
  close(costOf(tokensOf(before), before.model, before.tier, table), 0.050504);
  close(costOf(tokensOf(after), after.model, after.tier, table), 0.040504);
  close(costOf(tokensOf(before), before.model, 'dated1@us', table), 0.050504 * 1.1);
});

test('Haiku 5.5: a request whose prompt exceeds 100,000 tokens is billed whole at the higher rates', () => {
  const [short, long] = parse(
    `${line('claude-haiku-5-5', usage(10, 0, 2000, 97_990, 500), 'msg_s')}\n${line('claude-haiku-5-5', usage(10, 0, 2000, 97_991, 500), 'msg_l')}\n`,
  );
  // prompt 10 + 2000 + 97,990 = 100,000: not above the boundary
  assert.equal(short.tier, 'standard');
  assert.equal(long.tier, 'long');
  // 10×0.1 + 500×0.5 + 2000×0.2 (1h: 2×input) + 97990×0.01 = 1630.9
  close(costOf(tokensOf(short), short.model, short.tier, table), 0.0016309);
  // 10×0.5 + 500×2.5 + 2000×1.0 + 97991×0.05 = 8154.55
  close(costOf(tokensOf(long), long.model, long.tier, table), 0.00815455);
});

test('Opus 4.8, Sonnet 5, Fable 5 / 5.1 / 5.2 and Mythos are priced; Fable 5.1 reads at $0.25', () => {
  const tokens: TokenCounts = { input: 100, output: 1000, cacheWrite5m: 2000, cacheWrite1h: 4000, cacheRead: 100_000, reasoning: 0, webSearch: 0, requests: 1 };
  // Opus 4.8: 100×5 + 1000×25 + 2000×6.25 + 4000×10 + 100000×0.5 = 128000
  close(costOf(tokens, 'claude-opus-4-8', 'standard', table), 0.128);
  // Sonnet 5: 100×2 + 1000×10 + 2000×2.5 + 4000×4 + 100000×0.2 = 51200
  close(costOf(tokens, 'claude-sonnet-5', 'standard', table), 0.0512);
  // Fable 5: 100×10 + 1000×50 + 2000×12.5 + 4000×20 + 100000×1 = 256000
  close(costOf(tokens, 'claude-fable-5', 'standard', table), 0.256);
  close(costOf(tokens, 'claude-mythos-5', 'standard', table), 0.256);
  // Fable 5.1: the same but reads at 0.25 → 181000
  close(costOf(tokens, 'claude-fable-5-1', 'standard', table), 0.181);
  // Fable 5.2: 100×8 + 1000×40 + 2000×10 + 4000×16 + 100000×0.2 = 144800
  close(costOf(tokens, 'claude-fable-5-2', 'standard', table), 0.1448);
  // Bedrock / Vertex / provider-prefixed ids reach the same entries
  close(costOf(tokens, 'us.anthropic.claude-opus-4-8-v1:0', 'standard', table), 0.128);
  close(costOf(tokens, 'anthropic/claude-fable-5-1', 'standard', table), 0.181);
});

test('fast mode: 2x on Opus 5.5, Opus 5 and Opus 4.8 (6x stays Opus 4.6/4.7\'s)', () => {
  const [c] = parse(`${line('claude-opus-5-5', usage(100, 0, 0, 10_000, 1000, 'fast'))}\n`);
  assert.equal(c.tier, 'fast');
  // (100×4 + 1000×20 + 10000×0.2) × 2 = 44800
  close(costOf(tokensOf(c), c.model, c.tier, table), 0.0448);
  const t = tokensOf(c);
  // (100×5 + 1000×25 + 10000×0.5) × 2 = 61000
  close(costOf(t, 'claude-opus-5', 'fast', table), 0.061);
  close(costOf(t, 'claude-opus-4-8', 'fast', table), 0.061);
  close(costOf(t, 'claude-opus-4-6', 'fast', table), 0.183);
});

test('Sonnet 5 keeps 2 / 10 after 2026-08-31: the introductory price was made its standard price (the 3 / 15 increase was called off)', () => {
  // Anthropic updated the Sonnet 5 announcement on 2026-08-10 and its pricing page says the September 1 increase will
  // not occur (quoted in theopenco/llmgateway#3612, Piebald-AI/splitrail#235, zzet/gortex#786)
  const [c] = parse(`${line('claude-sonnet-5', usage(100, 2000, 4000, 100_000, 1000))}\n`); // 2026-11-20
  assert.equal(c.tier, 'standard');
  // 100×2 + 1000×10 + 2000×2.5 + 4000×4 + 100000×0.2 = 51200
  close(costOf(tokensOf(c), c.model, c.tier, table), 0.0512);
});
