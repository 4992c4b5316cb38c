import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRoots } from '../../../src/core/discovery';
import { costOf } from '../../../src/core/pricing/costOf';
import { fastTierOf, inPeakHours, pricingTierOf, vendorTierOf } from '../../../src/core/pricing/contextTier';
import { createPriceTable, priceSources } from '../../../src/core/pricing/priceTable';
import { loadFacts } from '../../../src/core/query/facts';
import { zeroTokens, type Tier, type TokenCounts } from '../../../src/core/types';
import { claudeAssistant, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, tmpDir, write } from '../ingest/helpers';
import { ensureBuilt, json } from '../cli/cliRun';

/**
 * deepseek-chat and deepseek-reasoner over their whole history (prices.json `deepseek-v3-r1` … `deepseek-v4-legacy`),
 * USD per million tokens, cache hit / miss / output:
 *   chat      dated1 0.014/0.14/0.28 (V2.5, V3's launch discount) · dated2 0.07/0.27/1.10 from 2025-02-08 16:00 UTC
 *   reasoner  dated1 0.14/0.55/2.19 (R1, from 2025-01-20)
 *   both      night 16:30-00:30 UTC from 2025-02-26 16:30 until 2025-09-05 16:00: 0.035/0.135/0.55 (tier …offpeak)
 *             0.07/0.56/1.68 from 2025-09-05 16:00 · 0.028/0.28/0.42 from 2025-09-29 · V4-Flash 0.028/0.14/0.28 from
 *             2026-04-24, 0.0028/0.14/0.28 from 2026-04-26 12:15 UTC, kept after the retirement of 2026-07-24.
 * Every expected dollar below is computed by hand from those rates.
 */
const table = createPriceTable();
const at = (iso: string) => Date.parse(iso);
const t = (p: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), requests: 1, ...p });
const close = (actual: number | null | undefined, expected: number) => {
  assert.ok(actual !== null && actual !== undefined, `expected ${expected}, got ${actual}`);
  assert.ok(Math.abs(actual - expected) < 1e-12, `expected ${expected}, got ${actual}`);
};

test('the period and the night window of each request: exactly at each change, at 16:30 and 00:30 UTC, after retirement', () => {
  const chat = (iso: string) => pricingTierOf('deepseek-chat', 50_000, at(iso));
  const r1 = (iso: string) => pricingTierOf('deepseek-reasoner', 50_000, at(iso));
  assert.equal(chat('2024-12-30T10:00:00Z'), 'dated1');
  assert.equal(chat('2025-02-08T15:59:59.999Z'), 'dated1');
  assert.equal(chat('2025-02-08T16:00:00.000Z'), 'dated2');
  // the night discount starts with the window of 2025-02-26 16:30 UTC (00:30 on the 27th in Beijing)
  assert.equal(chat('2025-02-26T00:15:00Z'), 'dated2');
  assert.equal(chat('2025-02-26T16:29:59.999Z'), 'dated2');
  assert.equal(chat('2025-02-26T16:30:00.000Z'), 'dated2offpeak');
  assert.equal(chat('2025-03-08T23:59:59Z'), 'dated2offpeak', 'every day, weekends too');
  assert.equal(chat('2025-03-09T00:29:59.999Z'), 'dated2offpeak');
  assert.equal(chat('2025-03-09T00:30:00.000Z'), 'dated2');
  assert.equal(chat('2025-03-09T16:29:00Z'), 'dated2');
  // the last window (2025-09-04 16:30 → 09-05 00:30); at 16:00 on the 5th the V3.1 prices replace the discount
  assert.equal(chat('2025-09-05T00:20:00Z'), 'dated2offpeak');
  assert.equal(chat('2025-09-05T15:59:59.999Z'), 'dated2');
  assert.equal(chat('2025-09-05T16:00:00.000Z'), 'dated3');
  assert.equal(chat('2025-09-05T16:30:00.000Z'), 'dated3', 'no night discount after 2025-09-05 16:00 UTC');
  assert.equal(chat('2025-09-28T23:59:59.999Z'), 'dated3');
  assert.equal(chat('2025-09-29T00:00:00.000Z'), 'dated4');
  assert.equal(chat('2026-04-24T00:00:00.000Z'), 'dated5');
  assert.equal(chat('2026-04-26T12:14:59.999Z'), 'dated5');
  assert.equal(chat('2026-04-26T12:15:00.000Z'), 'dated6');
  assert.equal(chat('2026-07-24T15:58:59Z'), 'dated6');
  assert.equal(chat('2026-11-02T02:15:00Z'), 'dated6', 'after retirement: the last price, never the V4 peak hours');
  // R1: its own price from launch, then the same changes as V3 from 2025-09-05 (one fewer: no launch discount)
  assert.equal(r1('2025-01-20T00:00:00Z'), 'dated1');
  assert.equal(r1('2025-02-26T16:30:00Z'), 'dated1offpeak');
  assert.equal(r1('2025-09-05T00:29:59Z'), 'dated1offpeak');
  assert.equal(r1('2025-09-05T16:00:00Z'), 'dated2');
  assert.equal(r1('2025-09-29T00:00:00Z'), 'dated3');
  assert.equal(r1('2026-04-26T12:15:00Z'), 'dated5');
  // before the model had a price, or without a usable time: no period, hence no price
  assert.equal(r1('2025-01-19T23:59:59Z'), 'standard');
  assert.equal(pricingTierOf('deepseek-chat', 50_000, Number.NaN), 'standard');
  // Codex records vendor tiers: the same; a provider prefix is the same model
  assert.equal(vendorTierOf('deepseek-chat', 50_000, at('2025-03-09T00:29:59Z')), 'dated2offpeak');
  assert.equal(vendorTierOf('deepseek/deepseek-reasoner', 50_000, at('2025-09-29T08:00:00Z')), 'dated3');
  assert.equal(fastTierOf('deepseek-chat', at('2025-09-29T08:00:00Z')), 'dated4fast');
});

test('one hour rule for the V4 peak hours and the 2025 night: fractional hours, a window until a time', () => {
  const night = table.lookup('deepseek-chat')!.offPeak!;
  assert.deepEqual(night.hoursUtc, [[16.5, 24], [0, 0.5]]);
  assert.equal(inPeakHours(night, at('2025-06-10T16:30:00Z')), true);
  assert.equal(inPeakHours(night, at('2025-06-10T16:29:59.999Z')), false);
  assert.equal(inPeakHours(night, at('2025-06-11T00:30:00Z')), false);
  assert.equal(inPeakHours(night, at('2025-09-05T16:30:00Z')), false, 'until is exclusive');
  const peak = table.lookup('deepseek-v4-pro')!.peak!;
  // Monday 2026-11-02: 01:00-04:00 and 06:00-10:00 UTC, whole hours as before
  assert.equal(inPeakHours(peak, at('2026-11-02T00:59:59Z')), false);
  assert.equal(inPeakHours(peak, at('2026-11-02T01:00:00Z')), true);
  assert.equal(inPeakHours(peak, at('2026-11-02T09:59:59Z')), true);
  assert.equal(inPeakHours(peak, at('2026-11-02T10:00:00Z')), false);
  // before 1970 the day still starts at 00:00 UTC (a negative epoch)
  assert.equal(inPeakHours({ hoursUtc: [[16.5, 24]], weekdaysOnly: false, since: '1960-01-01T00:00:00Z' }, at('1969-12-31T16:45:00Z')), true);
});

test('each period at its own rates, the night at its listed rates, a standard-tier request (indexed before the periods) unpriced', () => {
  const tok = t({ input: 10_000, cacheRead: 90_000, output: 1_000 });
  const chat = (tier: Tier) => costOf(tok, 'deepseek-chat', tier, table);
  const r1 = (tier: Tier) => costOf(tok, 'deepseek-reasoner', tier, table);
  // 10000×0.14 + 90000×0.014 + 1000×0.28 = 1400 + 1260 + 280 = 2940
  close(chat('dated1'), 0.00294);
  // 10000×0.27 + 90000×0.07 + 1000×1.10 = 2700 + 6300 + 1100 = 10100
  close(chat('dated2'), 0.0101);
  // night: 10000×0.135 + 90000×0.035 + 1000×0.55 = 1350 + 3150 + 550 = 5050, for both models
  close(chat('dated2offpeak'), 0.00505);
  close(r1('dated1offpeak'), 0.00505);
  // R1: 10000×0.55 + 90000×0.14 + 1000×2.19 = 5500 + 12600 + 2190 = 20290
  close(r1('dated1'), 0.02029);
  // V3.1: 10000×0.56 + 90000×0.07 + 1000×1.68 = 5600 + 6300 + 1680 = 13580
  close(chat('dated3'), 0.01358);
  close(r1('dated2'), 0.01358);
  // V3.2: 10000×0.28 + 90000×0.028 + 1000×0.42 = 2800 + 2520 + 420 = 5740
  close(chat('dated4'), 0.00574);
  close(r1('dated3'), 0.00574);
  // V4-Flash: 10000×0.14 + 90000×0.028 + 1000×0.28 = 1400 + 2520 + 280 = 4200; from 04-26 12:15: 1400 + 252 + 280 = 1932
  close(chat('dated5'), 0.0042);
  close(chat('dated6'), 0.001932);
  close(r1('dated5'), 0.001932);
  // Cline's DeepSeek provider stores the cache misses as cache writes: billed as input, the same
  close(costOf(t({ cacheWrite5m: 10_000, cacheRead: 90_000, output: 1_000 }), 'deepseek-chat', 'dated3', table), 0.01358);
  // reasoning is inside output, never billed again
  close(costOf({ ...tok, reasoning: 800 }, 'deepseek-reasoner', 'dated2', table), 0.01358);
  // requests an older index holds as `standard` (read before these prices existed) keep no price until re-read
  for (const tier of ['standard', 'peak', 'offpeak', 'long'] as const) {
    assert.equal(costOf(tok, 'deepseek-chat', tier, table), null, tier);
    assert.equal(costOf(tok, 'deepseek-reasoner', tier, table), null, tier);
  }
});

test('an override of the rates is the price on every date: the periods, the night and the unpriced standard tier go', () => {
  const o = createPriceTable({ 'deepseek-chat': { input: 0.56, cacheRead: 0.07, output: 1.68 } });
  const tok = t({ input: 10_000, cacheRead: 90_000, output: 1_000 });
  for (const tier of ['standard', 'dated1', 'dated2offpeak', 'dated6'] as const) close(costOf(tok, 'deepseek-chat', tier, o), 0.01358);
  assert.equal(o.lookup('deepseek-chat')!.offPeak, undefined);
  assert.equal(o.lookup('deepseek-reasoner')!.priceChanges?.length, 5, 'the other model keeps its periods');
});

test('every period and the night name a dated DeepSeek source with its address', () => {
  for (const m of ['deepseek-chat', 'deepseek-reasoner']) {
    const p = table.lookup(m)!;
    for (const key of [p.source, p.offPeak?.source, ...(p.priceChanges ?? []).map((c) => c.source)]) {
      const src = priceSources[key ?? ''];
      assert.ok(src, `${m}: ${key}`);
      assert.ok(src.date ?? src.retrieved, `${m}: ${key}`);
      assert.ok(src.url?.startsWith('https://api-docs.deepseek.com/'), `${m}: ${key}`);
    }
  }
});

/** Claude Code through DeepSeek's Anthropic-compatible endpoint: ordinary assistant lines naming deepseek-chat. */
function chatLines(): string {
  const u = { input: 10_000, cacheRead: 90_000, output: 1_000 };
  const line = (id: string, ts: string) => claudeAssistant({ id, ts, model: 'deepseek-chat', usage: u, session: '6a1e0c52-2b8f-4d3e-9c71-0d5e8f3a2b14' });
  return [
    line('msg_01', '2025-02-08T15:59:59.000Z'), // dated1: 2940
    line('msg_02', '2025-02-08T16:00:00.000Z'), // dated2: 10100
    line('msg_03', '2025-03-03T16:30:00.000Z'), // dated2offpeak: 5050
    line('msg_04', '2025-03-04T00:29:59.000Z'), // dated2offpeak: 5050
    line('msg_05', '2025-03-04T00:30:00.000Z'), // dated2: 10100
    line('msg_06', '2025-09-05T00:15:00.000Z'), // dated2offpeak (the last night): 5050
    line('msg_07', '2025-09-05T16:00:00.000Z'), // dated3: 13580
    line('msg_08', '2025-09-05T16:45:00.000Z'), // dated3 (no night any more): 13580
    line('msg_09', '2025-09-29T00:00:00.000Z'), // dated4: 5740
    line('msg_10', '2026-04-24T09:00:00.000Z'), // dated5: 4200
    line('msg_11', '2026-04-26T12:15:00.000Z'), // dated6: 1932
    line('msg_12', '2026-07-25T09:00:00.000Z'), // after retirement, dated6: 1932
  ].join('');
}

/** Codex with DeepSeek as a custom provider: one rollout per day, cumulative totals (input includes cached). */
function reasonerRollouts(home: string): void {
  const T = (input: number, cached: number, output: number) => ({ input, cached, output, reasoning: 600 });
  const day = (iso: string, uuid: string) => {
    const [d] = iso.split('T');
    const [y, m, dd] = d.split('-');
    const lines = [
      codexSessionMeta(iso, '/home/u/svc'),
      codexTurnContext(iso, 'deepseek-reasoner'),
      // one request: a 100,000-token prompt of which 90,000 cached, 1,000 output
      codexTokenCount(iso.replace(/:00\.000Z$/, ':30.000Z'), T(100_000, 90_000, 1_000)),
    ];
    write(join(home, `.codex/sessions/${y}/${m}/${dd}/rollout-${d}T00-00-00-${uuid}.jsonl`), lines.join(''));
  };
  day('2025-01-27T09:00:00.000Z', '0194a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a01'); // dated1: 20290
  day('2025-02-26T16:30:00.000Z', '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a02'); // 16:30:30 → dated1offpeak: 5050
  day('2025-09-05T16:00:00.000Z', '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a03'); // 16:00:30 → dated2: 13580
  day('2025-10-02T16:30:00.000Z', '0199b1b2-c3d4-7e5f-8a9b-0c1d2e3f4a04'); // dated3: 5740
}

test('Claude Code and Codex logs across every period: each request at its period\'s and hour\'s rate, to the cent', async () => {
  const home = tmpDir('agentmeter-deepseek-');
  try {
    write(join(home, '.claude/projects/-home-u-proj/6a1e0c52-2b8f-4d3e-9c71-0d5e8f3a2b14.jsonl'), chatLines());
    reasonerRollouts(home);
    const { db, indexer } = await indexOnce(discoverRoots({ env: {}, home }));
    const byKey = new Map<string, { usd: number; requests: number }>();
    for (const f of loadFacts(db)) {
      const key = `${f.source} ${f.model} ${f.tier}`;
      const c = costOf(f, f.model, f.tier, table);
      assert.notEqual(c, null, key);
      const e = byKey.get(key) ?? { usd: 0, requests: 0 };
      byKey.set(key, { usd: e.usd + c!, requests: e.requests + f.requests });
    }
    // the tier names come back from the store as they were decided
    assert.deepEqual(Object.fromEntries([...byKey].map(([k, v]) => [k, [Math.round(v.usd * 1e9) / 1e9, v.requests]])), {
      'claude deepseek-chat dated1': [0.00294, 1],
      'claude deepseek-chat dated2': [0.0202, 2],
      'claude deepseek-chat dated2offpeak': [0.01515, 3],
      'claude deepseek-chat dated3': [0.02716, 2],
      'claude deepseek-chat dated4': [0.00574, 1],
      'claude deepseek-chat dated5': [0.0042, 1],
      'claude deepseek-chat dated6': [0.003864, 2],
      'codex deepseek-reasoner dated1': [0.02029, 1],
      'codex deepseek-reasoner dated1offpeak': [0.00505, 1],
      'codex deepseek-reasoner dated2': [0.01358, 1],
      'codex deepseek-reasoner dated3': [0.00574, 1],
    });
    await indexer.dispose();
    db.close();
  } finally {
    cleanup(home);
  }
});

test('CLI report over a range spanning the V3.1 change: days and totals sum the two periods exactly', { timeout: 120_000 }, async () => {
  ensureBuilt();
  const home = mkdtempSync(join(tmpdir(), 'agentmeter-deepseek-cli-'));
  try {
    write(join(home, 'claude/projects/-home-u-proj/6a1e0c52-2b8f-4d3e-9c71-0d5e8f3a2b14.jsonl'), chatLines());
    const out = await json(['report', '--claude-dir', join(home, 'claude'), '--no-cache', '--timezone', 'UTC', '--since', '2025-09-04', '--until', '2025-09-06']);
    // 2025-09-05: the last night (00:15, 5050) and two V3.1 requests (16:00 and 16:45, 13580 each)
    assert.deepEqual(out.rows.map((r: { key: string; requests: number }) => [r.key, r.requests]), [['2025-09-05', 3]]);
    close(out.rows[0].costUSD, 0.00505 + 0.01358 + 0.01358);
    close(out.totals.costUSD, 0.03221);
    assert.equal(out.totals.unpricedTokens, 0);
    // the whole history: 2940 + 2×10100 + 3×5050 + 2×13580 + 5740 + 4200 + 2×1932
    const all = await json(['report', '--claude-dir', join(home, 'claude'), '--no-cache', '--timezone', 'UTC', '--by', 'month']);
    close(all.totals.costUSD, 0.079254);
    close(all.rows.reduce((s: number, r: { costUSD: number }) => s + r.costUSD, 0), 0.079254);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
