import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFakeVscode } from './fakeVscode';
import { factAt } from '../factAt';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { summarizeStatus, type StatusInputs } from '../../../src/app/status/statusSummary';
import { alertHistoryView } from '../../../src/app/dashboard/alertHistory';

/**
 * The notifier's alerts end to end: recorded in the history file (time, rule, value, threshold), read back by a new
 * window after a restart and listed per rule; posted to the rule's webhook (a loopback server) only when webhooks
 * are turned on, without the notifier waiting for it.
 */
installFakeVscode();
const vscode = require('vscode') as Record<string, Record<string, unknown>>;
let webhooksOn = false;
vscode.workspace.getConfiguration = () => ({ get: (k: string, d: unknown) => (k === 'alerts.webhooks.enabled' ? webhooksOn : d) });
vscode.commands.executeCommand = async () => undefined;
const { AlertNotifier } = require('../../../src/host/alerts') as typeof import('../../../src/host/alerts');
const { AlertHistory } = require('../../../src/host/alertHistory') as typeof import('../../../src/host/alertHistory');
const { AlertWebhooks } = require('../../../src/host/alertWebhooks') as typeof import('../../../src/host/alertWebhooks');

const storage = mkdtempSync(join(tmpdir(), 'agentmeter-alerts-host-'));
const posted: { path: string; body: unknown }[] = [];
let onPost = () => {};
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    posted.push({ path: req.url ?? '', body: JSON.parse(body) });
    res.writeHead(204).end();
    onPost();
  });
});
const base = new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(storage, { recursive: true, force: true });
});

class Memento {
  private data = new Map<string, unknown>();
  get<T>(k: string): T | undefined { return this.data.get(k) as T | undefined; }
  async update(k: string, v: unknown): Promise<void> { this.data.set(k, v); }
  keys(): readonly string[] { return [...this.data.keys()]; }
}
class Secrets {
  data = new Map<string, string>();
  async get(k: string) { return this.data.get(k); }
  async store(k: string, v: string) { this.data.set(k, v); }
  async delete(k: string) { this.data.delete(k); }
}

const NOW = Date.parse('2026-03-18T12:00:00Z');
const prices = createPriceTable();
function inputs(nowMs: number): StatusInputs {
  return {
    facts: [
      factAt('2026-03-17T09:00:00Z', { input: 1_000_000 }, { project: '-home-dev-shop' }, 60_000), // $3
      factAt('2026-03-18T10:05:00Z', { input: 2000, output: 8000 }, { project: '-home-dev-shop' }, 60_000),
      factAt('2026-03-18T11:00:00Z', { input: 1000, output: 9000 }, { project: '-home-dev-shop' }, 60_000),
    ],
    prices, nowMs, timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1,
    budgets: { weeklyUsd: 4, thresholds: [50, 80, 100] },
    rateLimits: {
      observedMs: nowMs - 60_000,
      primary: { usedPercent: 83, windowMinutes: 300, resetsAtMs: NOW + 90 * 60_000 },
      secondary: { usedPercent: 40, windowMinutes: 10080, resetsAtMs: NOW + 4 * 86_400_000 },
      planType: 'plus', limitId: null,
    },
    planLimit: resolvePlanLimit({ plan: 'custom', customTokens: 30_000 }, []),
  };
}

test('fired alerts are in the history after a restart, listed per rule; webhooks are sent only when turned on', async () => {
  const url = await base;
  const secrets = new Secrets();
  const logs: string[] = [];
  const webhooks = new AlertWebhooks(secrets as never, (_l, m) => logs.push(m), { retryDelaysMs: [] });
  await webhooks.setTarget('codexQuota', { url: `${url}/codex-hook`, format: 'discord' });
  await webhooks.setTarget('budget', { url: `${url}/budget-hook`, format: 'json' });

  // window 1: webhooks off (the default)
  const history1 = new AlertHistory(storage, (m) => logs.push(m));
  const saved = new Promise<void>((r) => history1.onDidChange(() => r()));
  const n1 = new AlertNotifier(new Memento() as never, () => true, (fired, nowMs) => webhooks.dispatch(history1.record(fired, nowMs)));
  const fired = await n1.evaluate(summarizeStatus(inputs(NOW)));
  assert.deepEqual(fired.map((a) => a.kind).sort(), ['budget', 'claudeProjection', 'codexQuota']);
  await saved;
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(posted.length, 0); // off: nothing sent

  // a restart: a new window reads the same file
  const history2 = new AlertHistory(storage, (m) => logs.push(m));
  const back = await history2.read();
  assert.equal(back.length, 3);
  const budget = back.find((e) => e.rule === 'budget')!;
  assert.equal(budget.timeMs, NOW);
  assert.equal(budget.threshold, 80);
  assert.ok(Math.abs(budget.value! - 81.6) < 1e-6, String(budget.value));
  const codex = back.find((e) => e.rule === 'codexQuota')!;
  assert.deepEqual([codex.value, codex.threshold], [83, 80]);
  const claude = back.find((e) => e.rule === 'claudeProjection')!;
  assert.equal(claude.threshold, 100);
  assert.ok(claude.value! >= 100, String(claude.value)); // the projection reaches the limit

  const onlyCodex = alertHistoryView(back, 'codexQuota');
  assert.deepEqual(onlyCodex.rows.map((r) => r.message), [codex.message]);
  assert.deepEqual(alertHistoryView(back, null).rules.map((r) => [r.id, r.count]), [['budget', 1], ['codexQuota', 1], ['claudeProjection', 1], ['anomaly', 0]]);

  // turned on: the next window's new alerts (the budget's 100 %, a new Codex window, an unusual day) go to their rules' webhooks
  webhooksOn = true;
  await webhooks.setTarget('anomaly', { url: `${url}/anomaly-hook`, format: 'json' });
  const got = new Promise<void>((r) => { onPost = () => { if (posted.length === 3) r(); }; });
  const n2 = new AlertNotifier(new Memento() as never, () => true, (f, nowMs) => webhooks.dispatch(history2.record(f, nowMs)));
  const later = inputs(NOW + 60_000);
  later.budgets = { weeklyUsd: 3, thresholds: [100] }; // $3.26 of $3
  later.planLimit = null;
  const saved2 = new Promise<void>((r) => history2.onDidChange(() => r()));
  const summary = { ...summarizeStatus(later), anomaly: { day: '2026-03-18', costUsd: 12.5, mean: 2, stdDev: 1.5, threshold: 5, baselineDays: 30 } };
  const fired2 = await n2.evaluate(summary);
  assert.deepEqual(fired2.map((a) => a.kind).sort(), ['anomaly', 'budget', 'codexQuota']);
  await got;
  const byPath = Object.fromEntries(posted.map((p) => [p.path, p.body]));
  assert.match((byPath['/codex-hook'] as { content: string }).content, /^AgentMeter · Codex quota: Codex 5h quota at 83%/);
  const json = byPath['/budget-hook'] as { source: string; rule: string; threshold: number; value: number };
  assert.deepEqual([json.source, json.rule, json.threshold], ['agentmeter', 'budget', 100]);
  assert.ok(json.value > 100);
  const anomaly = byPath['/anomaly-hook'] as { rule: string; value: number; threshold: number; message: string; key: string; severity: string };
  assert.deepEqual([anomaly.rule, anomaly.value, anomaly.threshold, anomaly.key, anomaly.severity], ['anomaly', 250, 100, 'anomaly:day:2026-03-18', 'warning']);
  assert.equal(anomaly.message, 'Unusual spend on 2026-03-18: $12.50 so far, above the usual bound of $5.00 (the 30 days before: mean $2.00 + 2σ).');
  await saved2;
  const recorded = (await history2.read()).filter((e) => e.rule === 'anomaly');
  assert.deepEqual(recorded.map((e) => [e.timeMs, e.value, e.threshold]), [[NOW + 60_000, 250, 100]]);
  assert.deepEqual(alertHistoryView(await history2.read(), 'anomaly').rows.map((r) => r.ruleLabel), ['Unusual spend']);
  assert.deepEqual(logs, []);
});
