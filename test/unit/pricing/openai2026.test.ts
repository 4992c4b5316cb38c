/**
 * The OpenAI models Codex logs in 2026 H2 (GPT-5.5, GPT-5.6 Sol/Terra/Luna, GPT-6 Sol/Luna, GPT-6.1 Sol/Terra), read
 * from Codex token_count lines and priced: cache writes (`cache_write_input_tokens`, Codex ≥ 0.145) at the model's
 * cache-write rate, and a request whose input exceeds 272,000 tokens billed whole at the long-context rates
 * (2x input and cache, 1.5x output). Prices: prices.json source `openai-2026-h2`. Before, all of these were unpriced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseCodexBlock, type CodexParseOutput } from '../../../src/core/ingest/parse/codex';
import { loadFacts } from '../../../src/core/query/facts';
import type { CodexUsageRecord } from '../../../src/core/ingest/records';
import { vendorTierOf } from '../../../src/core/pricing/contextTier';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import type { TokenCounts } from '../../../src/core/types';
import * as h from '../ingest/helpers';

const table = createPriceTable();

function usage(input: number, cached: number, write: number, output: number, reasoning: number): string {
  return `{"input_tokens":${input},"cached_input_tokens":${cached},"cache_write_input_tokens":${write},"output_tokens":${output},"reasoning_output_tokens":${reasoning},"total_tokens":${input + output}}`;
}

/** One rollout: a session_meta, a turn_context with the model, then one token_count per call (cumulative totals). */
function events(model: string, calls: [number, number, number, number, number][]): CodexUsageRecord[] {
  let text = h.codexSessionMeta('2026-11-02T09:00:00.000Z', '/w/app') + h.codexTurnContext('2026-11-02T09:00:00.100Z', model);
  const total = [0, 0, 0, 0, 0];
  calls.forEach((c, i) => {
    for (let k = 0; k < 5; k++) total[k] += c[k];
    const ts = new Date(Date.parse('2026-11-02T09:01:00.000Z') + i * 30_000).toISOString();
    text += `{"timestamp":"${ts}","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":${usage(total[0], total[1], total[2], total[3], total[4])},"last_token_usage":${usage(...c)},"model_context_window":258400},"rate_limits":null}}\n`;
  });
  const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: {} };
  parseCodexBlock(Buffer.from(text), 0, out);
  return out.events;
}

function cost(e: CodexUsageRecord): number | null {
  const t: TokenCounts = { input: e.input, output: e.output, cacheWrite5m: e.cacheWrite, cacheWrite1h: 0, cacheRead: e.cacheRead, reasoning: e.reasoning, webSearch: 0, requests: 1 };
  return costOf(t, e.model, vendorTierOf(e.model, e.input + e.cacheRead + e.cacheWrite, e.ts), table);
}

const close = (actual: number | null, expected: number) => {
  assert.notEqual(actual, null, 'priced');
  assert.ok(Math.abs(actual! - expected) < 1e-12, `expected ${expected}, got ${actual}`);
};

test('GPT-5.6 Terra: cache writes at its cache-write rate, cache reads at its cached rate', () => {
  // 60,000 in = 1,000 uncached + 50,000 cached + 9,000 written
  const [e] = events('gpt-5.6-terra', [[60_000, 50_000, 9000, 300, 10]]);
  assert.deepEqual([e.input, e.cacheRead, e.cacheWrite, e.output], [1000, 50_000, 9000, 300]);
  // 1000×2 + 50000×0.2 + 9000×2.5 + 300×12 = 38100
  close(cost(e), 0.0381);
});

test('a request above 272,000 input tokens is billed whole at the long-context rates; at 272,000 it is not', () => {
  const [atLimit, above] = events('gpt-6-sol', [
    [272_000, 262_000, 0, 1000, 0],
    [300_000, 290_000, 0, 1000, 0],
  ]);
  // 10000×2 + 262000×0.2 + 1000×10 = 82400
  close(cost(atLimit), 0.0824);
  // 10000×4 + 290000×0.4 + 1000×15 = 171000
  close(cost(above), 0.171);
  // a model without listed long-context rates stays standard (as before)
  assert.equal(vendorTierOf('gpt-5.4', 300_000, Date.parse('2026-11-02T09:00:00Z')), 'standard');
});

test('GPT-5.5, GPT-5.6 Sol/Luna, GPT-6 Luna/Astra, GPT-6.1 Sol/Terra and GPT-6.2 Astra are priced', () => {
  const t: TokenCounts = { input: 1000, output: 1000, cacheWrite5m: 1000, cacheWrite1h: 0, cacheRead: 10_000, reasoning: 0, webSearch: 0, requests: 1 };
  // GPT-5.5 lists no cache-write rate: writes at its input rate — 1000×5 + 1000×30 + 1000×5 + 10000×0.5 = 45000
  close(costOf(t, 'gpt-5.5', 'standard', table), 0.045);
  // 1000×5 + 1000×30 + 1000×6.25 + 10000×0.5 = 46250; `gpt-5.6` is Sol
  close(costOf(t, 'gpt-5.6-sol', 'standard', table), 0.04625);
  close(costOf(t, 'gpt-5.6', 'standard', table), 0.04625);
  // after its 2026-07-30 cut (tier dated1): 1000×0.2 + 1000×1.2 + 1000×0.25 + 10000×0.02 = 1850; before it (standard):
  // 1000×1 + 1000×6 + 1000×1.25 + 10000×0.1 = 9250
  close(costOf(t, 'gpt-5.6-luna', 'dated1', table), 0.00185);
  close(costOf(t, 'gpt-5.6-luna', 'standard', table), 0.00925);
  // Sol after its 2026-08-21 cut: 1000×4 + 1000×20 + 1000×5 + 10000×0.4 = 33000
  close(costOf(t, 'gpt-5.6-sol', 'dated1', table), 0.033);
  // 1000×0.1 + 1000×0.5 + 1000×0.125 + 10000×0.01 = 825
  close(costOf(t, 'gpt-6-luna', 'standard', table), 0.000825);
  // 1000×2 + 1000×10 + 1000×2.5 + 10000×0.1 = 15500
  close(costOf(t, 'gpt-6.1-sol', 'standard', table), 0.0155);
  // 1000×1 + 1000×5 + 1000×1.25 + 10000×0.05 = 7750
  close(costOf(t, 'gpt-6.1-terra', 'standard', table), 0.00775);
  // GPT-6 Astra: 1000×10 + 1000×50 + 1000×12.5 + 10000×1 = 82500; GPT-6.2 Astra (no write rate: input) 8000+40000+8000+8000
  close(costOf(t, 'gpt-6-astra', 'standard', table), 0.0825);
  close(costOf(t, 'gpt-6.2-astra', 'standard', table), 0.064);
  // provider prefixes and dated ids reach the same entries
  close(costOf(t, 'openai/gpt-6.1-sol', 'standard', table), 0.0155);
  close(costOf(t, 'gpt-6.1-sol-2026-09-29', 'standard', table), 0.0155);
});

test('Codex Fast mode: thread_settings_applied service_tier "priority" bills the calls after it at the fast multiplier', () => {
  // event shapes as peers that read current rollouts test them (e.g. `{"type":"event_msg","payload":{"type":
  // "thread_settings_applied","thread_settings":{"model":"gpt-6-astra","service_tier":"priority",…}}}`)
  const settings = (ts: string, set: Record<string, unknown>) => `${JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'thread_settings_applied', thread_settings: set } })}\n`;
  const count = (ts: string, total: number[], last: number[]) =>
    `{"timestamp":"${ts}","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":${usage(total[0], total[1], total[2], total[3], total[4])},"last_token_usage":${usage(last[0], last[1], last[2], last[3], last[4])},"model_context_window":258400},"rate_limits":null}}\n`;
  let text = h.codexSessionMeta('2026-11-02T09:00:00.000Z', '/w/app') + h.codexTurnContext('2026-11-02T09:00:00.100Z', 'gpt-5.6-terra');
  text += count('2026-11-02T09:01:00.000Z', [10_000, 8000, 0, 100, 0], [10_000, 8000, 0, 100, 0]);
  text += settings('2026-11-02T09:01:30.000Z', { model: 'gpt-6-astra', service_tier: 'priority' });
  text += count('2026-11-02T09:02:00.000Z', [20_000, 16_000, 0, 200, 0], [10_000, 8000, 0, 100, 0]);
  text += settings('2026-11-02T09:02:30.000Z', { service_tier: 'default' });
  text += count('2026-11-02T09:03:00.000Z', [30_000, 24_000, 0, 300, 0], [10_000, 8000, 0, 100, 0]);
  const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: {} };
  parseCodexBlock(Buffer.from(text), 0, out);
  assert.deepEqual(out.events.map((e) => [e.model, e.fast === true]), [['gpt-5.6-terra', false], ['gpt-6-astra', true], ['gpt-6-astra', false]]);
  const t: TokenCounts = { input: 2000, output: 100, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 8000, reasoning: 0, webSearch: 0, requests: 1 };
  // (2000×10 + 8000×1 + 100×50) × 2 = 66000
  close(costOf(t, 'gpt-6-astra', 'fast', table), 0.066);
  // GPT-5.5 2.5x: (2000×5 + 8000×0.5 + 100×30) × 2.5 = 42500
  close(costOf(t, 'gpt-5.5', 'fast', table), 0.0425);
});

test('Codex Fast mode end to end: the indexed calls keep the fast tier, and the report prices them at it', async () => {
  const dir = h.tmpDir();
  try {
    const set = `${JSON.stringify({ timestamp: '2026-11-02T09:00:30.000Z', type: 'event_msg', payload: { type: 'thread_settings_applied', thread_settings: { service_tier: 'priority' } } })}\n`;
    const text =
      h.codexSessionMeta('2026-11-02T09:00:00.000Z', '/w/app') +
      h.codexTurnContext('2026-11-02T09:00:00.100Z', 'gpt-5.6-sol') +
      set +
      `{"timestamp":"2026-11-02T09:01:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":${usage(10_000, 8000, 0, 100, 0)},"last_token_usage":${usage(10_000, 8000, 0, 100, 0)},"model_context_window":258400},"rate_limits":null}}\n`;
    h.write(join(dir, 'codex/sessions/2026/11/02/rollout-2026-11-02T10-00-00-a.jsonl'), text);
    const { db } = await h.indexOnce(h.rootsFor({ codex: join(dir, 'codex') }), undefined, Date.parse('2026-11-03T00:00:00Z'));
    const facts = loadFacts(db, {});
    // fast, after Sol's 2026-08-21 price cut: dated1fast
    assert.deepEqual(facts.map((f) => [f.model, f.tier, f.input, f.cacheRead, f.output]), [['gpt-5.6-sol', 'dated1fast', 2000, 8000, 100]]);
    // at the cut rates: (2000×4 + 8000×0.4 + 100×20) × 2 = 26400
    close(costOf(facts[0], facts[0].model, facts[0].tier, table), 0.0264);
    db.close();
  } finally {
    h.cleanup(dir);
  }
});

test('GPT-6.2 Sol through Codex (OpenAI\'s model page, released 2026-11-17): standard, above 272k and Fast requests at its rates', async () => {
  const dir = h.tmpDir();
  try {
    const count = (ts: string, total: number[], last: number[]) =>
      `{"timestamp":"${ts}","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":${usage(total[0], total[1], 0, total[2], total[3])},"last_token_usage":${usage(last[0], last[1], 0, last[2], last[3])},"model_context_window":1050000},"rate_limits":null}}\n`;
    const set = (ts: string, tier: string) => `${JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'thread_settings_applied', thread_settings: { service_tier: tier } } })}\n`;
    const text =
      h.codexSessionMeta('2026-11-30T09:00:00.000Z', '/w/app') +
      h.codexTurnContext('2026-11-30T09:00:00.100Z', 'gpt-6.2-sol') +
      // a 100,000-token prompt (80,000 cached), 2,000 output of which 1,200 reasoning
      count('2026-11-30T09:01:00.000Z', [100_000, 80_000, 2000, 1200], [100_000, 80_000, 2000, 1200]) +
      // a 300,000-token prompt (280,000 cached): above 272k, the whole request at the long rates
      count('2026-11-30T09:02:00.000Z', [400_000, 360_000, 4000, 2400], [300_000, 280_000, 2000, 1200]) +
      set('2026-11-30T09:02:30.000Z', 'priority') +
      count('2026-11-30T09:03:00.000Z', [500_000, 440_000, 6000, 3600], [100_000, 80_000, 2000, 1200]);
    h.write(join(dir, 'codex/sessions/2026/11/30/rollout-2026-11-30T09-00-00-0199f1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl'), text);
    const { db, indexer } = await h.indexOnce(h.rootsFor({ codex: join(dir, 'codex') }), undefined, Date.parse('2026-12-01T00:00:00Z'));
    const byTier = new Map<string, number>();
    for (const f of loadFacts(db, {})) {
      assert.equal(f.model, 'gpt-6.2-sol');
      byTier.set(f.tier, (byTier.get(f.tier) ?? 0) + costOf(f, f.model, f.tier, table)!);
    }
    // standard: 20000×2 + 80000×0.1 + 2000×10 = 68000; above 272k: 20000×4 + 280000×0.2 + 2000×15 = 166000;
    // Fast: 2 × 68000 = 136000
    assert.deepEqual(Object.fromEntries([...byTier].map(([k, v]) => [k, Math.round(v * 1e9) / 1e9])), { standard: 0.068, long: 0.166, fast: 0.136 });
    await indexer.dispose();
    db.close();
  } finally {
    h.cleanup(dir);
  }
});
