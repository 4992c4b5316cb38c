/**
 * The host with VS Code's display language zh-CN (the fake `vscode` answers `vscode.l10n.t` from the real
 * l10n/bundle.l10n.zh-cn.json): the notifications raised by the core rules, their buttons and choosing one, in Chinese.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installFakeVscode, setFakeLanguage } from '../host/fakeVscode';
import { factAt } from '../factAt';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { summarizeStatus } from '../../../src/app/status/statusSummary';

installFakeVscode();
setFakeLanguage('zh-cn', JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')));
const vscode = require('vscode') as {
  window: Record<'showWarningMessage' | 'showErrorMessage' | 'showInformationMessage', (m: string, ...items: string[]) => Promise<string | undefined>>;
  commands: { executeCommand: (id: string) => Promise<unknown> };
};
const executed: string[] = [];
vscode.commands.executeCommand = async (id: string) => void executed.push(id);
const { AlertNotifier } = require('../../../src/host/alerts') as typeof import('../../../src/host/alerts');

const shown: { message: string; items: string[] }[] = [];
for (const sev of ['Warning', 'Error', 'Information'] as const) {
  vscode.window[`show${sev}Message`] = async (m: string, ...items: string[]) => {
    shown.push({ message: m, items });
    return items[0];
  };
}

class Memento {
  private data = new Map<string, unknown>();
  get<T>(k: string): T | undefined { return this.data.get(k) as T | undefined; }
  async update(k: string, v: unknown): Promise<void> { this.data.set(k, v); }
  keys(): readonly string[] { return [...this.data.keys()]; }
}

const NOW = Date.parse('2026-03-18T12:00:00Z');

test('zh-CN: budget, Codex quota and Claude notifications in Chinese, with Chinese buttons that work', async () => {
  const summary = summarizeStatus({
    facts: [
      factAt('2026-03-17T09:00:00Z', { input: 1_000_000 }, { project: '-home-dev-shop' }, 60_000),
      factAt('2026-03-18T10:05:00Z', { input: 2000, output: 8000 }, { project: '-home-dev-shop' }, 60_000),
      factAt('2026-03-18T11:00:00Z', { input: 1000, output: 9000 }, { project: '-home-dev-shop' }, 60_000),
    ],
    prices: createPriceTable(),
    nowMs: NOW,
    timeZone: 'UTC',
    weekStart: 1,
    billingCycleStartDay: 1,
    budgets: { weeklyUsd: 4, thresholds: [50, 80, 100] },
    rateLimits: {
      observedMs: NOW - 60_000,
      primary: { usedPercent: 83, windowMinutes: 300, resetsAtMs: NOW + 90 * 60_000 },
      secondary: { usedPercent: 40, windowMinutes: 10080, resetsAtMs: NOW + 4 * 86_400_000 },
      planType: 'plus',
      limitId: null,
    },
    planLimit: resolvePlanLimit({ plan: 'custom', customTokens: 30_000 }, []),
  });
  const fired = await new AlertNotifier(new Memento() as never, () => true).evaluate(summary);
  await new Promise((r) => setImmediate(r));
  assert.equal(shown.length, fired.length);
  assert.equal(fired.length, 3);
  const texts = shown.map((s) => s.message).sort();
  assert.deepEqual(texts, [
    'AgentMeter：Codex 5 小时额度已用 83%（超过 80%），1 小时 30 分后重置。',
    'AgentMeter：每周预算：已花费 $3.26，预算 $4.00（81%），已超过 80%。',
    'AgentMeter：预计当前 Claude 5 小时区块将在 28 分钟后达到 custom 套餐限额，早于 3 小时 00 分后的重置。',
  ]);
  for (const s of shown) assert.deepEqual(s.items, ['打开仪表板', '本周期内不再显示']);
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(executed.includes('agentMeter.showDashboard'), 'the Chinese "打开仪表板" button opens the dashboard');
});
