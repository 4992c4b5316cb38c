/** The status bar item in zh-CN: the default format, the tooltip's headings, and the same numbers as in English. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zeroTokens, type Fact, type TokenCounts } from '../../../src/core/types';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { summarizeStatus } from '../../../src/app/status/statusSummary';
import { buildStatusView, DEFAULT_STATUS_FORMAT, type StatusDisplay } from '../../../src/app/status/statusText';
import { createTranslator } from '../../../src/app/i18n/translator';

const NOW = Date.parse('2026-03-10T06:30:00Z'); // 14:30 in Shanghai

function fact(iso: string, source: 'claude' | 'codex', model: string, t: Partial<TokenCounts>): Fact {
  const ms = Date.parse(iso);
  return {
    ...zeroTokens(), requests: 1, ...t, source, model, project: 'app', session: `s-${source}`, branch: 'main', tier: 'standard',
    bucketStartMs: Math.floor(ms / 900_000) * 900_000, firstMs: ms, lastMs: ms + 60_000,
  };
}

const summary = summarizeStatus({
  facts: [
    fact('2026-03-10T03:00:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 1000, output: 2000, cacheRead: 100_000 }),
    fact('2026-03-10T05:00:00Z', 'codex', 'gpt-5', { input: 100_000, cacheRead: 400_000, output: 5000 }),
    fact('2026-03-10T05:10:00Z', 'claude', 'mystery-model', { input: 500 }),
  ],
  prices: createPriceTable(),
  nowMs: NOW,
  timeZone: 'Asia/Shanghai',
  weekStart: 1,
  billingCycleStartDay: 1,
  budgets: { dailyUsd: 1 },
  rateLimits: null,
} as never);

const display = (locale: string): StatusDisplay => ({
  format: DEFAULT_STATUS_FORMAT, showCodexQuota: true, currency: { code: 'CNY', rateToUsd: 7.2 }, locale,
  thresholds: [50, 80, 100], lastUpdatedMs: NOW - 2000, indexing: false,
});

test('zh-CN: the default status text reads 今天 … · 5 小时 …, costs in ¥ with the currency setting', () => {
  const zh = buildStatusView(summary, display('zh-CN'), createTranslator('zh-CN'));
  const en = buildStatusView(summary, display('en-US'));
  assert.match(zh.text, /^\$\(pulse\) 今天 ¥\d+\.\d\d\+\? · 5 小时 ¥\d+\.\d\d\+\?$/);
  // the same amounts in both languages
  const amounts = (s: string) => [...s.matchAll(/[\d.]+\+\?/g)].map((m) => m[0]);
  assert.deepEqual(amounts(zh.text), amounts(en.text.replace(/CN¥/g, '¥')));
  assert.equal(zh.accessibilityLabel.startsWith('AgentMeter：今天 ¥'), true);
});

test('zh-CN tooltip: headings and labels in Chinese, no English words left but names, codes and units', () => {
  const { tooltip } = buildStatusView(summary, display('zh-CN'), createTranslator('zh-CN'));
  for (const s of ['**AgentMeter** — 今天', '| 今天 | 费用 | Token | 请求数 |', '| 模型 | 费用 | Token |', '**合计**', '**Claude 5 小时区块**',
    '**本周**', '**本月至今**', '**预算**：每日', '**未定价的模型**', '_更新于 ', '点击打开仪表板_']) {
    assert.ok(tooltip.includes(s), `tooltip lacks ${s}\n${tooltip}`);
  }
  const words = tooltip
    .replace(/`[^`]*`/g, '').replace(/\$\([\w~-]+\)/g, '')
    .replace(/AgentMeter|Claude( Code)?|Codex|Token|Asia\/Shanghai|mystery\\?-model|claude\\?-sonnet\\?-4\\?-5\\?-20250929|gpt\\?-5|CN¥|\bh\b|\bm\b/g, '');
  assert.deepEqual(words.match(/[A-Za-z]{3,}/g), null, words);
});

test('a format the user wrote is used as written (placeholders filled, words untouched)', () => {
  const v = buildStatusView(summary, { ...display('zh-CN'), format: 'spent {todayCost}' }, createTranslator('zh-CN'));
  assert.match(v.text, /^spent ¥/);
});

test('the plan limit line gives its cost in the display currency, like every other amount of the tooltip', () => {
  const withLimit = summarizeStatus({
    facts: [fact('2026-03-10T05:00:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 40_000, output: 8_000 })],
    prices: createPriceTable(), nowMs: NOW, timeZone: 'Asia/Shanghai', weekStart: 1, billingCycleStartDay: 1, budgets: {}, rateLimits: null,
    planLimit: { plan: 'max5', tokens: 88_000, costUsd: 35, method: 'preset', blocksUsed: 0, isEstimate: true },
  } as never);
  // the tooltip is Markdown: its text escapes '.' and the like
  const plain = (md: string) => md.replace(/\\(.)/g, '$1');
  const zh = plain(buildStatusView(withLimit, display('zh-CN'), createTranslator('zh-CN')).tooltip);
  const line = zh.split('\n').find((l) => l.includes('88,000'));
  assert.ok(line, zh);
  assert.ok(line.includes('¥252.00'), `35 USD at 7.2 CNY per USD: ${line}`);
  assert.ok(!line.includes('$35'), line);
  const usd = plain(buildStatusView(withLimit, { ...display('en-US'), currency: { code: 'USD', rateToUsd: 1 } }).tooltip);
  assert.ok(usd.includes('88,000 tokens / $35.00 per 5 h'), usd);
});
