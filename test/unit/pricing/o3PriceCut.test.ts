/**
 * o3's price before its 2025-06-10 cut: 10 / 2.50 cached / 40 per million tokens until then, 2 / 0.50 / 8 from then
 * on (prices.json sources `openai-o3-before-cut`, `openai-genai-prices`). The earlier rates are a period that ends
 * (`priceChanges: [{ until }]`, tier `dated1` decided per request when logs are read), so the entry's own rates stay
 * the current ones and a row an earlier version stored as `standard` keeps them. Flex is half of each period's rates.
 * Expected costs by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { costOf } from '../../../src/core/pricing/costOf';
import { fastTierOf, pricingTierOf, vendorTierOf } from '../../../src/core/pricing/contextTier';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { zeroTokens, type TokenCounts } from '../../../src/core/types';
import * as h from '../ingest/helpers';
import { costByTier } from './costByTier';

const table = createPriceTable();
const t = (p: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), requests: 1, ...p });
const close = (actual: number | null, expected: number, what = '') => {
  assert.notEqual(actual, null, `${what} priced`);
  assert.ok(Math.abs(actual! - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);
};
const LAST_BEFORE = Date.parse('2025-06-09T23:59:59.999Z');
const CUT = Date.parse('2025-06-10T00:00:00.000Z');

test('o3: requests before 2025-06-10 00:00 UTC are dated1 (its launch rates), from then on standard', () => {
  for (const m of ['o3', 'o3-2025-04-16', 'openai/o3']) {
    assert.equal(pricingTierOf(m, 20_000, Date.parse('2025-04-20T10:00:00Z')), 'dated1', m);
    assert.equal(pricingTierOf(m, 20_000, LAST_BEFORE), 'dated1', m);
    assert.equal(pricingTierOf(m, 20_000, CUT), 'standard', m);
    assert.equal(pricingTierOf(m, 20_000, Date.parse('2026-11-20T09:00:00Z')), 'standard', m);
    // Codex records vendor tiers only: o3's earlier period is one; its priority tier before the cut is dated1fast
    assert.equal(vendorTierOf(m, 20_000, LAST_BEFORE), 'dated1', m);
    assert.equal(vendorTierOf(m, 20_000, CUT), 'standard', m);
    assert.equal(fastTierOf(m, LAST_BEFORE), 'dated1fast', m);
    assert.equal(fastTierOf(m, CUT), 'fast', m);
  }
  // a request without a usable time stays at the entry's own (current) rates; o4-mini's price never changed
  assert.equal(pricingTierOf('o3', 20_000, Number.NaN), 'standard');
  assert.equal(vendorTierOf('o4-mini', 20_000, LAST_BEFORE), 'standard');
});

test('o3 costs: 10 / 2.50 / 40 before the cut, 2 / 0.50 / 8 after, Flex half of each; a stored standard row keeps the current rates', () => {
  const tok = t({ input: 20_000, cacheRead: 80_000, output: 2_000, reasoning: 1_200 });
  // before: 20000×10 + 80000×2.5 + 2000×40 = 480,000 per million
  close(costOf(tok, 'o3', 'dated1', table), 0.48, 'dated1');
  close(costOf(tok, 'o3', 'dated1@flex', table), 0.24, 'dated1@flex');
  // after: 20000×2 + 80000×0.5 + 2000×8 = 96,000 per million — also what a row stored as standard by an earlier version costs
  close(costOf(tok, 'o3', 'standard', table), 0.096, 'standard');
  close(costOf(tok, 'o3', 'standard@flex', table), 0.048, 'standard@flex');
  // o3 has no fast multiplier: a priority request before the cut is billed at that period's rates
  close(costOf(tok, 'o3', 'dated1fast', table), 0.48, 'dated1fast');
  // an override of o3's rates is its price on every date
  const over = createPriceTable({ o3: { input: 1, output: 4 } });
  close(costOf(tok, 'o3', 'dated1', over), (20_000 * 1 + 80_000 * 0.5 + 2_000 * 4) / 1e6, 'overridden dated1');
});

test('a period that ends and changes that start on one entry: before the first, between, after the second', () => {
  const tt = createPriceTable({
    'period-model': {
      provider: 'openai', input: 2, output: 8,
      priceChanges: [
        { until: '2025-06-10T00:00:00Z', input: 10, output: 40 },
        { since: '2026-01-01T00:00:00Z', input: 1, output: 4 },
      ],
    },
  });
  const tier = (iso: string) => pricingTierOf('period-model', 1_000, Date.parse(iso), tt);
  assert.equal(tier('2025-06-09T23:59:59Z'), 'dated1');
  assert.equal(tier('2025-06-10T00:00:00Z'), 'standard');
  assert.equal(tier('2025-12-31T23:59:59Z'), 'standard');
  assert.equal(tier('2026-01-01T00:00:00Z'), 'dated2');
  const tok = t({ input: 1_000_000, output: 100_000 });
  close(costOf(tok, 'period-model', 'dated1', tt), 14); // 10 + 0.1×40
  close(costOf(tok, 'period-model', 'standard', tt), 2.8); // 2 + 0.1×8
  close(costOf(tok, 'period-model', 'dated2', tt), 1.4); // 1 + 0.1×4
});

const usage = (input: number, cached: number, output: number, reasoning: number) =>
  `{"input_tokens":${input},"cached_input_tokens":${cached},"output_tokens":${output},"reasoning_output_tokens":${reasoning},"total_tokens":${input + output}}`;
const count = (ts: string, total: number[], last: number[]) =>
  `{"timestamp":"${ts}","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":${usage(total[0], total[1], total[2], total[3])},"last_token_usage":${usage(last[0], last[1], last[2], last[3])},"model_context_window":200000},"rate_limits":null}}\n`;
const settings = (ts: string, set: Record<string, unknown>) =>
  `${JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'thread_settings_applied', thread_settings: set } })}\n`;

test('indexed Codex rollout across the cut: each request at its period\'s rates, Flex half, to the cent', async () => {
  const dir = h.tmpDir();
  try {
    const call = [100_000, 80_000, 2000, 1200];
    const sum = (n: number) => call.map((x) => x * n);
    const text =
      h.codexSessionMeta('2025-06-09T23:40:00.000Z', '/w/app') +
      h.codexTurnContext('2025-06-09T23:40:00.100Z', 'o3') +
      count('2025-06-09T23:45:00.000Z', sum(1), call) +
      settings('2025-06-09T23:50:00.000Z', { model: 'o3', service_tier: 'flex' }) +
      count('2025-06-09T23:59:59.000Z', sum(2), call) +
      count('2025-06-10T00:00:01.000Z', sum(3), call) +
      settings('2025-06-10T00:05:00.000Z', { service_tier: 'default' }) +
      count('2025-06-10T00:10:00.000Z', sum(4), call);
    h.write(join(dir, 'codex/sessions/2025/06/09/rollout-2025-06-09T23-40-00-0197f1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d.jsonl'), text);
    const { db, indexer } = await h.indexOnce(h.rootsFor({ codex: join(dir, 'codex') }), undefined, Date.parse('2025-06-11T00:00:00Z'));
    const byTier = costByTier(db, table);
    await indexer.dispose();
    db.close();
    // each call: 20000 uncached + 80000 cached + 2000 output (reasoning inside it)
    // before the cut 20000×10 + 80000×2.5 + 2000×40 = 480,000 per million, Flex half;
    // after it 20000×2 + 80000×0.5 + 2000×8 = 96,000 per million, Flex half
    assert.deepEqual(byTier, {
      'o3 dated1': 0.48, 'o3 dated1@flex': 0.24, 'o3 standard@flex': 0.048, 'o3 standard': 0.096,
    });
  } finally {
    h.cleanup(dir);
  }
});
