/**
 * The dashboard panel sends the alert history with each snapshot and again when it changes, filtered by the rule the
 * webview chose (the view model's rows), from the history file in global storage.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFakeVscode, EventEmitter, webviewPanels } from './fakeVscode';
import { DEFAULT_FILTERS, type AlertHistoryView, type DashboardFilters } from '../../../src/shared/protocol';
import { parseSettings } from '../../../src/app/settingsParse';
import type { UsageSource } from '../../../src/host/usageSource';
import type { Alert } from '../../../src/core/limits/alerts';

installFakeVscode();
const { DashboardPanel } = require('../../../src/host/dashboard/panel') as typeof import('../../../src/host/dashboard/panel');
const { AlertHistory } = require('../../../src/host/alertHistory') as typeof import('../../../src/host/alertHistory');

const storage = mkdtempSync(join(tmpdir(), 'agentmeter-dash-alerts-'));
after(() => rmSync(storage, { recursive: true, force: true }));
const settings = parseSettings(() => undefined).settings;
const changed = new EventEmitter<void>();
const source = {
  onDidChange: changed.event, hasData: () => true, getSettings: () => settings,
  getStatus: () => ({ indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: true }),
  index: { dashboardSnapshot: async (q: { filters: DashboardFilters }) => ({ filters: q.filters }) as unknown },
} as unknown as UsageSource;
const context = { extensionUri: { path: '/ext' } } as unknown as import('vscode').ExtensionContext;
const settle = () => new Promise((r) => setTimeout(r, 30));
/** waits (up to 5 s) until `cond` holds: the panel reads the history file before it posts */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !cond(); i++) await settle();
}
const views = (posted: unknown[]) => posted.filter((m) => (m as { event?: string }).event === 'alertHistory').map((m) => (m as { body: AlertHistoryView }).body);

const alert = (kind: Alert['kind'], message: string): Alert => ({ kind, key: message, scope: message, severity: 'warning', threshold: 80, value: 81, message });

test('history rows with each snapshot, after a new alert, and per the chosen rule', async () => {
  const history = new AlertHistory(storage, () => {});
  DashboardPanel.alertHistory = history;
  const recorded = new Promise<void>((r) => history.onDidChange(() => r()));
  history.record([alert('budget', 'Weekly budget past 80%'), alert('codexQuota', 'Codex 5h quota at 81%')], Date.parse('2026-03-18T12:00:00Z'));
  await recorded;
  const panel = DashboardPanel.createOrShow(context, source);
  const view = webviewPanels.at(-1)!;
  try {
    view.receive({ kind: 'event', event: 'ready', body: { filters: DEFAULT_FILTERS } });
    await until(() => views(view.posted).length > 0);
    let v = views(view.posted);
    assert.equal(v.length, 1);
    assert.deepEqual(v[0].rows.map((r) => r.message).sort(), ['Codex 5h quota at 81%', 'Weekly budget past 80%']);

    view.receive({ kind: 'event', event: 'alertRule', body: { rule: 'codexQuota' } });
    await until(() => views(view.posted).length > 1);
    v = views(view.posted);
    assert.equal(v.at(-1)!.rule, 'codexQuota');
    assert.deepEqual(v.at(-1)!.rows.map((r) => r.message), ['Codex 5h quota at 81%']);

    const saved = new Promise<void>((r) => history.onDidChange(() => r()));
    history.record([alert('codexQuota', 'Codex weekly quota at 95%')], Date.parse('2026-03-18T13:00:00Z'));
    await saved;
    await until(() => views(view.posted).length > 2);
    v = views(view.posted);
    assert.deepEqual(v.at(-1)!.rows.map((r) => r.message), ['Codex weekly quota at 95%', 'Codex 5h quota at 81%'], 'newest first, still filtered');
    view.receive({ kind: 'event', event: 'alertRule', body: { rule: 'nonsense' } });
    await settle();
    assert.equal(views(view.posted).length, v.length, 'an invalid rule from the webview is dropped');
  } finally {
    panel.dispose();
    history.dispose();
    DashboardPanel.alertHistory = undefined;
  }
});
