/**
 * Text the dashboard's view models produce (peak hours, cache hints, plan limits, budget labels): in English the same
 * words as the core rules write, in zh-CN from the string tables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMessage } from '../../../src/shared/i18n/format';
import { en, type MessageKey } from '../../../src/shared/i18n/messages.en';
import { createTranslator } from '../../../src/app/i18n/translator';
import { cacheHints } from '../../../src/core/limits/hints';
import { describePlanLimit, type PlanLimit } from '../../../src/core/limits/plans';
import { describePeakHours } from '../../../src/core/limits/peakHours';
import { describePlanLimitText, planLimitLabel } from '../../../src/app/planLimitText';
import { peakSentence } from '../../../src/app/dashboard/insights';

const zh = createTranslator('zh-CN');

test('cache hints: each hint\'s string-table message is, in English, exactly the core\'s text', () => {
  const summary = {
    uncachedInput: 2_000_000, write5mTokens: 100_000, write5mUsd: 0.4, write1hTokens: 400_000, write1hUsd: 2.4, readTokens: 300_000,
    readsAtInputPriceUsd: 0.9, readsPaidUsd: 0.09, savedUsd: 0.81, writePremiumUsd: 0.3, netSavedUsd: 0.51, hitRatio: 0.11, unpricedTokens: 0, anyPriced: true,
  };
  for (const idle of [
    { sessions: [{}], events: 3, tokens: 250_000, costUsd: 0.94, avoidableWith1hUsd: 0.6 },
    { sessions: [{}, {}], events: 3, tokens: 250_000, costUsd: 0.94, avoidableWith1hUsd: 0.1 },
    { sessions: [], events: 0, tokens: 0, costUsd: 0, avoidableWith1hUsd: 0 },
  ]) {
    const hints = cacheHints(summary, idle as never);
    assert.ok(hints.length >= 2);
    for (const h of hints) {
      assert.ok(h.message && h.message.key in en, h.id);
      assert.equal(formatMessage(en[h.message.key as MessageKey], h.message.args), h.text);
      assert.match(zh(h.message.key as MessageKey, h.message.args), /[\u4e00-\u9fff]/);
    }
  }
});

test('plan limits: the English text is core describePlanLimit\'s; zh-CN in words of the glossary', () => {
  const limits: PlanLimit[] = [
    { plan: 'max5', tokens: 88_000, costUsd: 35, method: 'preset', blocksUsed: 0, isEstimate: true },
    { plan: 'custom', tokens: null, costUsd: 12.5, method: 'custom', blocksUsed: 0, isEstimate: false },
    { plan: 'auto', tokens: 1_234_567, costUsd: null, method: 'p90-near-limit', blocksUsed: 12, isEstimate: true },
    { plan: 'auto', tokens: null, costUsd: null, method: 'p90-all', blocksUsed: 40, isEstimate: true },
  ] as PlanLimit[];
  for (const l of limits) assert.equal(describePlanLimitText(l), describePlanLimit(l));
  assert.equal(describePlanLimitText(limits[0], zh), 'max5（估算）：每 5 小时 88,000 Token / $35.00');
  assert.equal(describePlanLimitText(limits[3], zh), '自动（估算，全部 40 个已完成区块的 P90）：限额未知');
  assert.equal(planLimitLabel(limits[0]), 'max5 plan limit (estimate)');
  assert.equal(planLimitLabel(limits[2], zh), '接近套餐限额的 12 个已完成区块的 P90（估算）');
});

test('peak hours: the English sentence is the core\'s, zh-CN names the same hours and share', () => {
  const weekdays = [1, 2, 3, 4, 5, 6, 0];
  const zero = () => new Array<number>(24).fill(0);
  const cost = weekdays.map((d) => { const r = zero(); if (d >= 1 && d <= 5) { r[14] = 3; r[15] = 3; r[16] = 2; } r[9] = 1; return r; });
  const heatmap = { weekdays, costUSD: cost, tokens: cost.map(() => zero()), maxCostUSD: 3, maxTokens: 0, peak: null };
  const bySunday = Array.from({ length: 7 }, () => zero());
  cost.forEach((r, i) => { bySunday[weekdays[i]] = r; });
  const core = describePeakHours(bySunday, 'spend')!;
  assert.equal(peakSentence(heatmap as never), core.sentence);
  assert.match(core.sentence, /^Most of your spend is 14:00–16:00 on weekdays \(\d+%\)\.$/);
  const pct = /\((\d+)%\)/.exec(core.sentence)![1];
  assert.equal(peakSentence(heatmap as never, zh), `你的大部分费用集中在工作日的 14:00–16:00（${pct}%）。`);
  const flat = { ...heatmap, costUSD: weekdays.map(() => new Array<number>(24).fill(1)) };
  assert.equal(peakSentence(flat as never), 'Your spend is spread across the day.');
  assert.equal(peakSentence(flat as never, zh), '你的费用分布在全天各个时段。');
});
