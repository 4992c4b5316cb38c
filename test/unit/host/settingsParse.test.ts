import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SOURCE_IDS } from '../../../src/core/sources/registry';
import { parseSettings, DEFAULT_STATUS_FORMAT } from '../../../src/app/settingsParse';
import { systemTimeZone } from '../../../src/core/report/tz';

const from = (o: Record<string, unknown>) => (k: string) => o[k];

test('defaults when nothing is set: system zone, Monday weeks, USD, default format and thresholds', () => {
  const { settings, warnings } = parseSettings(from({}));
  assert.deepEqual(warnings, []);
  assert.equal(settings.timeZone, systemTimeZone());
  assert.equal(settings.weekStart, 1);
  assert.deepEqual(settings.currency, { code: 'USD', rateToUsd: 1 });
  assert.equal(settings.statusBar.format, DEFAULT_STATUS_FORMAT);
  assert.equal(settings.statusBar.alignment, 'right');
  assert.deepEqual(settings.budgets.thresholds, [50, 80, 100]);
  assert.equal(settings.budgets.dailyUsd, null);
  assert.equal(settings.claudePlan.plan, 'auto');
  assert.deepEqual(settings.sources.dirs.claude, []);
  assert.deepEqual(settings.sources.enabled, [...SOURCE_IDS]);
});

test('values as VS Code returns them from package.json settings are mapped and validated', () => {
  const { settings, warnings } = parseSettings(
    from({
      'claude.directories': ['~/.claude', '', 7, '  /mnt/work/.claude  '],
      'codex.directories': ['/srv/codex'],
      timeZone: 'Asia/Kathmandu',
      weekStart: 'sunday',
      'currency.code': 'eur',
      'currency.rateToUsd': 0.92,
      'statusBar.format': '{todayCost} / {monthCost}',
      'statusBar.alignment': 'left',
      'statusBar.priority': 5,
      'watch.usePolling': true,
      'prices.overrides': { 'claude-opus-4-7': { input: 5, output: 25, cacheWrite5m: 6.25 }, 'my-model': { provider: 'openai', input: 1, output: 2 } },
      'budgets.daily': 20,
      'budgets.monthly': 0,
      'budgets.projects': { '/home/me/app': 50, x: -1 },
      'budgets.billingCycleStartDay': 15,
      'budgets.thresholds': [100, 80, 80, -5],
      'claude.plan': 'max5',
      'claude.customLimit.tokens': 1e6,
    }),
  );
  assert.deepEqual(warnings, []);
  assert.deepEqual(settings.sources.dirs.claude, ['~/.claude', '/mnt/work/.claude']);
  assert.deepEqual(settings.sources.dirs.codex, ['/srv/codex']);
  assert.equal(settings.timeZone, 'Asia/Kathmandu');
  assert.equal(settings.weekStart, 0);
  assert.deepEqual(settings.currency, { code: 'EUR', rateToUsd: 0.92 });
  assert.deepEqual(settings.statusBar, { format: '{todayCost} / {monthCost}', alignment: 'left', priority: 5, showCodexQuota: true });
  assert.equal(settings.watchUsePolling, true);
  assert.deepEqual(settings.priceOverrides, { 'claude-opus-4-7': { input: 5, output: 25, cacheWrite5m: 6.25 }, 'my-model': { provider: 'openai', input: 1, output: 2 } });
  assert.equal(settings.budgets.dailyUsd, 20);
  assert.equal(settings.budgets.monthlyUsd, null, '0 means off');
  assert.deepEqual(settings.budgets.projectsMonthlyUsd, { '/home/me/app': 50 });
  assert.equal(settings.budgets.billingCycleStartDay, 15);
  assert.deepEqual(settings.budgets.thresholds, [80, 100]);
  assert.equal(settings.claudePlan.plan, 'max5');
  assert.equal(settings.claudePlan.customTokens, 1e6);
});

test('bad values fall back with a warning instead of throwing', () => {
  const { settings, warnings } = parseSettings(
    from({ timeZone: 'Mars/Olympus', 'prices.overrides': { 'claude-opus-4-7': { input: -1 } }, 'currency.rateToUsd': -3, weekStart: 'someday', 'claude.plan': 'ultra', 'budgets.billingCycleStartDay': 31 }),
  );
  assert.equal(settings.timeZone, systemTimeZone());
  assert.equal(settings.currency.rateToUsd, 1);
  assert.equal(settings.weekStart, 1);
  assert.equal(settings.claudePlan.plan, 'auto');
  assert.equal(settings.budgets.billingCycleStartDay, 1);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0], /Mars\/Olympus/);
  assert.deepEqual(settings.priceOverrides, {});
  assert.ok(warnings.some((w) => /prices\.overrides ignored: .*claude-opus-4-7.*input/.test(w)), warnings.join('\n'));
});

test('currency.rates: USD per unit of a price currency; bad entries are left out with a warning', () => {
  const { settings, warnings } = parseSettings(from({ 'currency.rates': { CNY: 0.14, cny: 0.14, EUR: 0, HKD: '0.13' } }));
  assert.deepEqual(settings.currency, { code: 'USD', rateToUsd: 1, rates: { CNY: 0.14 } });
  assert.equal(warnings.length, 3);
  assert.match(warnings.join('\n'), /"cny" is not a three-letter upper-case ISO 4217 code/);
  assert.match(warnings.join('\n'), /the rate of EUR must be a number > 0/);
  const none = parseSettings(from({ 'currency.rates': [0.14] }));
  assert.deepEqual(none.settings.currency, { code: 'USD', rateToUsd: 1 });
  assert.match(none.warnings.join('\n'), /currency.rates must be an object/);
});

test('sources: agentMeter.sources.<id>.enabled and .directories for every registered source; the older claude/codex keys are read where the new one is empty', () => {
  const values: Record<string, unknown> = {
    'sources.gemini.enabled': false,
    'sources.cline.directories': ['~/alt/Code/User', ' '],
    'sources.codex.directories': ['/new/codex'],
    'codex.directories': ['/old/codex'],
    'claude.directories': ['/old/claude'],
    'sources.copilot-cli.enabled': 'no', // not a boolean: the default (on)
  };
  const { settings } = parseSettings((k) => values[k]);
  assert.deepEqual(settings.sources.enabled, SOURCE_IDS.filter((id) => id !== 'gemini'));
  assert.deepEqual(settings.sources.dirs.cline, ['~/alt/Code/User']);
  assert.deepEqual(settings.sources.dirs.codex, ['/new/codex'], 'the new key wins');
  assert.deepEqual(settings.sources.dirs.claude, ['/old/claude'], 'the older key where the new one is empty');
  assert.deepEqual(settings.sources.dirs.opencode, []);
});
