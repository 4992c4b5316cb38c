/** The string tables and the translator: templates, plurals, language resolution, and the zh-CN text where it shows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMessage, placeholdersOf } from '../../../src/shared/i18n/format';
import { posixLocaleToBcp47, resolveLanguage } from '../../../src/shared/i18n/languages';
import { en } from '../../../src/shared/i18n/messages.en';
import { dashboardEn } from '../../../src/shared/i18n/dashboard.en';
import { zhCn } from '../../../src/shared/i18n/zh-cn';
import { createTranslator, dashboardStrings, englishTranslator } from '../../../src/app/i18n/translator';
import { alertText } from '../../../src/app/alertText';
import { progressMessage } from '../../../src/app/progressText';
import { exportGrainChoices, exportRangeChoices, validateDay } from '../../../src/app/export';
import { evaluateBudgetAlerts } from '../../../src/core/limits/alerts';
import { evaluateClaudeProjectionAlert, evaluateCodexQuotaAlerts } from '../../../src/core/limits/quotaAlerts';
import { emptyAlertState } from '../../../src/core/limits/alertState';
import { dashboardHtml } from '../../../src/host/dashboard/html';
import { countdownText, localizeCountdown, localizeWindowLabel, resetText } from '../../../src/app/i18n/durations';
import { formatCountdown, resetCountdown, windowLabel } from '../../../src/core/limits/codexQuota';

test('formatMessage: named placeholders, plurals with #, a missing argument stays visible', () => {
  assert.equal(formatMessage('{a} of {b}', { a: 1, b: 'x' }), '1 of x');
  const t = '{n, plural, one {# day} other {# days}} left, {who}';
  assert.equal(formatMessage(t, { n: 1, who: 'you' }), '1 day left, you');
  assert.equal(formatMessage(t, { n: 3, who: 'you' }), '3 days left, you');
  assert.equal(formatMessage(t, { n: 0, who: 'you' }), '0 days left, you');
  assert.equal(formatMessage('{a} and {b}', { a: 1 }), '1 and {b}');
  assert.equal(formatMessage('{ "json": 1 }', { json: 2 }), '{ "json": 1 }', 'braces that are not placeholders are left alone');
  assert.deepEqual(placeholdersOf(t), ['n', 'who']);
});

test('resolveLanguage: every Chinese locale reads zh-CN, everything else English', () => {
  for (const l of ['zh', 'zh-CN', 'zh-cn', 'zh_CN.UTF-8', 'zh-Hans', 'zh-TW', 'ZH-CN']) assert.equal(resolveLanguage(l), 'zh-cn', l);
  for (const l of ['en', 'en-US', 'de', 'fr-CA', '', undefined, null, 'C', 'zhx']) assert.equal(resolveLanguage(l), 'en', String(l));
  assert.equal(posixLocaleToBcp47('zh_CN.UTF-8'), 'zh-CN');
  assert.equal(posixLocaleToBcp47('C.UTF-8'), undefined);
});

test('every English key has a zh-CN translation with the same placeholders, and no zh-CN key is extra', () => {
  for (const [k, v] of Object.entries(en)) {
    const zh = (zhCn as Record<string, string>)[k];
    assert.ok(typeof zh === 'string' && zh.length > 0, `zh-CN lacks ${k}`);
    assert.deepEqual(placeholdersOf(zh), placeholdersOf(v), `placeholders of ${k}`);
  }
  assert.deepEqual(Object.keys(zhCn).filter((k) => !(k in en)), []);
});

test('createTranslator: zh-CN for zh locales, English otherwise and for unknown languages', () => {
  const zh = createTranslator('zh-CN');
  assert.equal(zh.language, 'zh-cn');
  assert.equal(zh('dashboard.card.today'), '今天');
  assert.equal(zh('status.moreModels', { n: 3 }), '…另有 3 个模型');
  assert.equal(createTranslator('de')('status.moreModels', { n: 1 }), '…and 1 more model');
  assert.equal(englishTranslator('status.moreModels', { n: 2 }), '…and 2 more models');
});

test('dashboardStrings: only the dashboard keys, in the display language', () => {
  const zh = dashboardStrings('zh-CN');
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(dashboardEn).sort());
  assert.equal(zh['dashboard.panel.budgets'], '预算');
  assert.equal(dashboardStrings('en-GB')['dashboard.panel.budgets'], 'Budgets');
});

test('the dashboard page carries the strings as inert JSON that cannot close its script element', () => {
  const html = dashboardHtml({ cspSource: 'x', scriptUri: 's.js', styleUri: 's.css', lang: 'zh-cn', strings: { 'dashboard.title': '</script><script>alert(1)</script>' } }, 'n');
  const m = /<script type="application\/json" id="agentmeter-strings">(.*?)<\/script>/.exec(html);
  assert.ok(m);
  assert.ok(!m[1].includes('<'));
  assert.deepEqual(JSON.parse(m[1]), { 'dashboard.title': '</script><script>alert(1)</script>' });
  assert.match(html, /<html lang="zh-cn">/);
});

test('notifications raised by the core rules read in Chinese; without a key the English message is kept', () => {
  const zh = createTranslator('zh-CN');
  const now = Date.parse('2026-03-10T12:00:00Z');
  const budget = evaluateBudgetAlerts([{
    budgetId: 'monthly', kind: 'month', period: { id: 'month:2026-03-01', startMs: 0, endMs: 1 } as never, limitUsd: 100, spentUsd: 85.5,
    unpricedTokens: 0, fraction: 0.855, crossed: [50, 80],
  } as never], emptyAlertState(), now).fire[0];
  assert.equal(alertText(budget), budget.message);
  assert.equal(alertText(budget, zh), '每月预算：已花费 $85.50，预算 $100.00（85%），已超过 80%。');
  const quota = evaluateCodexQuotaAlerts({
    observedMs: now, planType: null, windows: [{ slot: 'primary', label: '5h', usedPercent: 91, windowMinutes: 300, resetsAtMs: now + 90 * 60_000, isStale: false }],
  } as never, emptyAlertState(), now, [50, 80, 90]).fire[0];
  assert.equal(alertText(quota, zh), 'Codex 5 小时额度已用 91%（超过 90%），1 小时 30 分后重置。');
  const claude = evaluateClaudeProjectionAlert(now - 3_600_000, {
    crossesLimit: true, limitReached: false, msToLimit: 45 * 60_000, resetsAtMs: now + 4 * 3_600_000, msToReset: 4 * 3_600_000,
  } as never, { plan: 'max5', isEstimate: true } as never, emptyAlertState(), now).fire[0];
  assert.equal(alertText(claude), claude.message, 'the English template says what the core said');
  assert.equal(alertText(claude, zh), '预计当前 Claude 5 小时区块将在 45 分钟后达到 max5 套餐限额（估算的限额），早于 4 小时 00 分后的重置。');
  assert.equal(alertText({ message: 'plain', text: { key: 'no.such.key', args: {} } }, zh), 'plain');
});

test('progress, export pickers and the day check in Chinese', () => {
  const zh = createTranslator('zh-CN');
  assert.equal(progressMessage({ filesDone: 120, filesTotal: 3400, bytesDone: 85_200_000, bytesTotal: 1_024_000_000 } as never, zh), '120 / 3,400 个文件 · 85.2 / 1,024.0 MB');
  assert.equal(progressMessage({ filesDone: 1, filesTotal: 2, bytesDone: 0, bytesTotal: 1e6 } as never), '1 / 2 files · 0.0 / 1.0 MB');
  assert.deepEqual(exportGrainChoices(zh).map((g) => g.label), ['按天', '按周', '按月', '按会话', '按项目', '按模型', '按分支', '按活动类型', '15 分钟时段']);
  assert.deepEqual(exportGrainChoices().map((g) => g.label), ['Daily', 'Weekly', 'Monthly', 'By session', 'By project', 'By model', 'By branch', 'By activity', '15-minute buckets']);
  assert.deepEqual(exportRangeChoices(zh).map((r) => r.preset), ['thisMonth', 'last30', 'all', 'custom']);
  assert.equal(exportRangeChoices(zh)[1].label, '最近 30 天');
  assert.equal(validateDay('2026-13-01', zh), '请按 YYYY-MM-DD 格式输入日期，例如 2026-03-01');
  assert.equal(validateDay('2026-03-01', zh), undefined);
});

test('countdowns and window names: English is the core\'s text; zh-CN reads them in words', () => {
  const zh = createTranslator('zh-CN');
  for (const ms of [-1, 0, 30_000, 60_000, 45 * 60_000, 2 * 3_600_000 + 5 * 60_000, 3 * 86_400_000 + 7_200_000]) {
    assert.equal(countdownText(ms), formatCountdown(ms), String(ms));
  }
  for (const min of [null, 300, 10080, 1440 * 3, 120, 90]) assert.equal(localizeWindowLabel(windowLabel(min)), windowLabel(min));
  const w = { isStale: false, resetsAtMs: 1_000 + 3_600_000 + 5 * 60_000, slot: 'primary', label: '5h', usedPercent: 1, windowMinutes: 300 };
  assert.equal(resetText(w, 1_000), resetCountdown(w as never, 1_000));
  assert.equal(resetText({ ...w, isStale: true }, 1_000), 'reset');
  assert.equal(countdownText(2 * 3_600_000 + 5 * 60_000, zh), '2 小时 05 分');
  assert.equal(countdownText(3 * 86_400_000 + 7_200_000, zh), '3 天 2 小时');
  assert.equal(countdownText(45 * 60_000, zh), '45 分钟');
  assert.equal(countdownText(10_000, zh), '不到 1 分钟');
  assert.equal(localizeCountdown('whenever', zh), 'whenever');
  assert.deepEqual([300, 10080, 1440 * 7 * 2, 90].map((m) => localizeWindowLabel(windowLabel(m), zh)), ['5 小时', '每周', '14 天', '90 分钟']);
  assert.equal(resetText(w, 1_000, zh), '1 小时 05 分后重置');
});
