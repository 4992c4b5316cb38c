/**
 * Codex's Flex service tier: after a `thread_settings_applied` (or `turn_context`) with `service_tier: "flex"`, calls
 * are of tier `<tier>@flex` (pricing/flexTier.ts) until a setting says otherwise, and cost the model's Flex price:
 * OpenAI bills Flex at its Batch API rates, half the Standard ones, long-context rates included (prices.json source
 * `openai-flex`), on the models with a published Flex price; the others keep their standard rates. Rollout lines in
 * Codex's format (the shapes of openai2026.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseCodexBlock, type CodexParseOutput } from '../../../src/core/ingest/parse/codex';
import { codexEventAt, packCodexEvents } from '../../../src/core/ingest/packedCodexEvents';
import { costOf } from '../../../src/core/pricing/costOf';
import { flexTierOf, isFlex } from '../../../src/core/pricing/flexTier';
import { plainTierOf } from '../../../src/core/pricing/inferenceGeo';
import { createPriceTable, parsePriceOverrides } from '../../../src/core/pricing/priceTable';
import type { TokenCounts } from '../../../src/core/types';
import * as h from '../ingest/helpers';
import { costByTier } from './costByTier';

const table = createPriceTable();

function usage(input: number, cached: number, output: number, reasoning: number): string {
  return `{"input_tokens":${input},"cached_input_tokens":${cached},"output_tokens":${output},"reasoning_output_tokens":${reasoning},"total_tokens":${input + output}}`;
}
const count = (ts: string, total: number[], last: number[]) =>
  `{"timestamp":"${ts}","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":${usage(total[0], total[1], total[2], total[3])},"last_token_usage":${usage(last[0], last[1], last[2], last[3])},"model_context_window":1050000},"rate_limits":null}}\n`;
const settings = (ts: string, set: Record<string, unknown>) =>
  `${JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'thread_settings_applied', thread_settings: set } })}\n`;

const close = (actual: number | null, expected: number, what = '') => {
  assert.notEqual(actual, null, `${what} priced`);
  assert.ok(Math.abs(actual! - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);
};

test('service_tier "flex" marks the calls after it until "default"; "priority" after "flex" is Fast, not Flex', () => {
  const turn = (ts: string, model: string, tier: string) =>
    `${JSON.stringify({ timestamp: ts, type: 'turn_context', payload: { cwd: '/w/app', approval_policy: 'on-request', model, effort: 'medium', summary: 'auto', service_tier: tier } })}\n`;
  let text = h.codexSessionMeta('2026-11-02T09:00:00.000Z', '/w/app') + h.codexTurnContext('2026-11-02T09:00:00.100Z', 'gpt-5.5');
  text += count('2026-11-02T09:01:00.000Z', [10_000, 8000, 100, 0], [10_000, 8000, 100, 0]);
  text += settings('2026-11-02T09:01:30.000Z', { model: 'gpt-5.5', service_tier: 'flex' });
  text += count('2026-11-02T09:02:00.000Z', [20_000, 16_000, 200, 0], [10_000, 8000, 100, 0]);
  text += turn('2026-11-02T09:02:10.000Z', 'gpt-5.5', 'flex');
  text += count('2026-11-02T09:02:20.000Z', [30_000, 24_000, 300, 0], [10_000, 8000, 100, 0]);
  text += settings('2026-11-02T09:02:30.000Z', { service_tier: 'priority' });
  text += count('2026-11-02T09:03:00.000Z', [40_000, 32_000, 400, 0], [10_000, 8000, 100, 0]);
  text += settings('2026-11-02T09:03:30.000Z', { service_tier: 'flex' });
  text += count('2026-11-02T09:04:00.000Z', [50_000, 40_000, 500, 0], [10_000, 8000, 100, 0]);
  text += settings('2026-11-02T09:04:30.000Z', { service_tier: 'default' });
  text += count('2026-11-02T09:05:00.000Z', [60_000, 48_000, 600, 0], [10_000, 8000, 100, 0]);
  const out: CodexParseOutput = { events: [], rateLimits: [], malformed: 0, duplicates: 0, fallbackModelEvents: 0, state: {} };
  parseCodexBlock(Buffer.from(text), 0, out);
  const mode = (e: { fast?: boolean; flex?: boolean }) => (e.fast ? 'fast' : e.flex ? 'flex' : 'standard');
  assert.deepEqual(out.events.map(mode), ['standard', 'flex', 'flex', 'fast', 'flex', 'standard']);
  // the flag survives the columns a parse worker hands over
  const packed = packCodexEvents(out.events);
  assert.deepEqual(out.events.map((_, i) => mode(codexEventAt(packed, i))), ['standard', 'flex', 'flex', 'fast', 'flex', 'standard']);
});

test('Flex costs half on a model with a Flex price (long-context and cut rates included), the standard rates on one without', () => {
  const t: TokenCounts = { input: 2000, output: 100, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 8000, reasoning: 0, webSearch: 0, requests: 1 };
  // GPT-5.5: 2000×5 + 8000×0.5 + 100×30 = 17,000 per million; Flex half
  close(costOf(t, 'gpt-5.5', 'standard', table), 0.017, 'standard');
  close(costOf(t, 'gpt-5.5', flexTierOf('standard'), table), 0.0085, 'Flex');
  // above 272k: 2000×10 + 8000×1 + 100×45 = 32,500 per million, Flex half
  close(costOf(t, 'gpt-5.5', 'long@flex', table), 0.01625, 'long Flex');
  // GPT-5.6 Sol after its 2026-08-21 cut (4 / 0.4 / 20): 2000×4 + 8000×0.4 + 100×20 = 13,200, Flex half
  close(costOf(t, 'gpt-5.6-sol', 'dated1@flex', table), 0.0066, 'Sol after the cut, Flex');
  // GPT-5.4: 2000×2.5 + 8000×0.25 + 100×15 = 8,500 per million, Flex half (cached 0.125, OpenAI's page rounds to 0.13)
  close(costOf(t, 'gpt-5.4', 'standard@flex', table), 0.00425, 'GPT-5.4 Flex');
  // no Flex price found: GPT-6 Sol and the -codex models at their standard rates
  close(costOf(t, 'gpt-6-sol', 'standard@flex', table), costOf(t, 'gpt-6-sol', 'standard', table)!, 'GPT-6 Sol');
  close(costOf(t, 'gpt-5.3-codex', 'standard@flex', table), costOf(t, 'gpt-5.3-codex', 'standard', table)!, 'GPT-5.3 Codex');
  // an override may give one
  const o = createPriceTable(parsePriceOverrides({ 'gpt-6-sol': { flexMultiplier: 0.5 } }));
  close(costOf(t, 'gpt-6-sol', 'standard@flex', o), costOf(t, 'gpt-6-sol', 'standard', table)! / 2, 'override');
  assert.ok(isFlex('long@flex') && !isFlex('long') && !isFlex('standard@us'));
  assert.equal(plainTierOf('long@flex'), 'long');
});

test('indexed: Flex calls keep their tier in the index (every model), and the facts cost the Flex price', async () => {
  const dir = h.tmpDir();
  try {
    const text =
      h.codexSessionMeta('2026-11-30T09:00:00.000Z', '/w/app') +
      h.codexTurnContext('2026-11-30T09:00:00.100Z', 'gpt-5.5') +
      settings('2026-11-30T09:00:30.000Z', { model: 'gpt-5.5', service_tier: 'flex' }) +
      // a 100,000-token prompt (80,000 cached), then a 300,000-token one (280,000 cached): above 272k
      count('2026-11-30T09:01:00.000Z', [100_000, 80_000, 2000, 1200], [100_000, 80_000, 2000, 1200]) +
      count('2026-11-30T09:02:00.000Z', [400_000, 360_000, 4000, 2400], [300_000, 280_000, 2000, 1200]) +
      settings('2026-11-30T09:02:30.000Z', { model: 'gpt-6-sol', service_tier: 'flex' }) +
      count('2026-11-30T09:03:00.000Z', [500_000, 440_000, 6000, 3600], [100_000, 80_000, 2000, 1200]) +
      settings('2026-11-30T09:03:30.000Z', { model: 'gpt-5.5', service_tier: 'default' }) +
      count('2026-11-30T09:04:00.000Z', [600_000, 520_000, 8000, 4800], [100_000, 80_000, 2000, 1200]);
    h.write(join(dir, 'codex/sessions/2026/11/30/rollout-2026-11-30T09-00-00-0199f1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c.jsonl'), text);
    const { db, indexer } = await h.indexOnce(h.rootsFor({ codex: join(dir, 'codex') }), undefined, Date.parse('2026-12-01T00:00:00Z'));
    const byTier = costByTier(db, table);
    // GPT-5.5 standard: 20000×5 + 80000×0.5 + 2000×30 = 200,000 per million; Flex half: 0.1
    // above 272k: 20000×10 + 280000×1 + 2000×45 = 570,000; Flex half: 0.285
    // GPT-6 Sol, no Flex price: 20000×2 + 80000×0.2 + 2000×10 = 76,000 at the standard rates
    assert.deepEqual(byTier, {
      'gpt-5.5 standard@flex': 0.1, 'gpt-5.5 long@flex': 0.285, 'gpt-6-sol standard@flex': 0.076, 'gpt-5.5 standard': 0.2,
    });
    await indexer.dispose();
    db.close();
  } finally {
    h.cleanup(dir);
  }
});

/** Index one Codex rollout and sum each model+tier's cost, rounded to 1e-9. */
async function indexedCostByTier(day: string, text: string): Promise<Record<string, number>> {
  const dir = h.tmpDir();
  try {
    h.write(join(dir, `codex/sessions/2026/11/${day}/rollout-2026-11-${day}T09-00-00-0199f1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d.jsonl`), text);
    const { db, indexer } = await h.indexOnce(h.rootsFor({ codex: join(dir, 'codex') }), undefined, Date.parse('2026-12-01T00:00:00Z'));
    const byTier = costByTier(db, table);
    await indexer.dispose();
    db.close();
    return byTier;
  } finally {
    h.cleanup(dir);
  }
}

test('indexed: o3 and o4-mini Flex calls cost half (OpenAI launched Flex on them; LiteLLM *_flex rates are half of each)', async () => {
  const text =
    h.codexSessionMeta('2026-11-20T09:00:00.000Z', '/w/app') +
    h.codexTurnContext('2026-11-20T09:00:00.100Z', 'o3') +
    count('2026-11-20T09:01:00.000Z', [100_000, 80_000, 2000, 1200], [100_000, 80_000, 2000, 1200]) +
    settings('2026-11-20T09:01:30.000Z', { model: 'o3', service_tier: 'flex' }) +
    count('2026-11-20T09:02:00.000Z', [200_000, 160_000, 4000, 2400], [100_000, 80_000, 2000, 1200]) +
    settings('2026-11-20T09:02:30.000Z', { model: 'o4-mini', service_tier: 'flex' }) +
    count('2026-11-20T09:03:00.000Z', [300_000, 240_000, 6000, 3600], [100_000, 80_000, 2000, 1200]);
  // o3: 20000×2 + 80000×0.5 + 2000×8 = 96,000 per million at standard, Flex half;
  // o4-mini: 20000×1.1 + 80000×0.275 + 2000×4.4 = 52,800 per million, Flex half
  assert.deepEqual(await indexedCostByTier('20', text), {
    'o3 standard': 0.096, 'o3 standard@flex': 0.048, 'o4-mini standard@flex': 0.0264,
  });
});

test('indexed: GPT-6 Astra Flex calls cost half, its >272k rates included', async () => {
  const text =
    h.codexSessionMeta('2026-11-21T09:00:00.000Z', '/w/app') +
    h.codexTurnContext('2026-11-21T09:00:00.100Z', 'gpt-6-astra') +
    settings('2026-11-21T09:00:30.000Z', { model: 'gpt-6-astra', service_tier: 'flex' }) +
    count('2026-11-21T09:01:00.000Z', [100_000, 80_000, 2000, 1200], [100_000, 80_000, 2000, 1200]) +
    count('2026-11-21T09:02:00.000Z', [400_000, 360_000, 4000, 2400], [300_000, 280_000, 2000, 1200]) +
    settings('2026-11-21T09:02:30.000Z', { service_tier: 'default' }) +
    count('2026-11-21T09:03:00.000Z', [500_000, 440_000, 6000, 3600], [100_000, 80_000, 2000, 1200]);
  // standard: 20000×10 + 80000×1 + 2000×50 = 380,000 per million; Flex half: 0.19
  // above 272k: 20000×20 + 280000×2 + 2000×75 = 1,110,000; Flex half: 0.555
  assert.deepEqual(await indexedCostByTier('21', text), {
    'gpt-6-astra standard@flex': 0.19, 'gpt-6-astra long@flex': 0.555, 'gpt-6-astra standard': 0.38,
  });
});
