// The views a user sees, checked from inside the host: the status bar view carries today's cost as the core
// computes it, the dashboard command opens exactly one webview panel, and the other commands run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, cliReport, waitFor, type AgentMeterApi } from './helpers';

/** "$12.34" as the status bar formats US dollars (code-server's display language is en). */
const usd = (n: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
const todayKey = (d = new Date()) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

interface StatusView { text: string; tooltip: string }
type FullApi = AgentMeterApi & { getStatusBarView?(): StatusView | undefined; refresh?(): Promise<void> };

const dashboardTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('agentMeter.dashboard'));

describe('views', () => {
  let api: FullApi | undefined;
  before(async function () {
    this.timeout(60_000);
    api = (await activateExtension()).api as FullApi | undefined;
    await api?.whenReady?.();
  });

  it('the status bar shows today\'s cost as the core computes it', async () => {
    assert.ok(api?.getStatusBarView, 'activate() returns getStatusBarView()');
    await api!.refresh?.();
    const today = (await cliReport(['--by', 'day'])).rows.find((r) => r.key === todayKey());
    assert.ok(today, 'the CLI has a row for today');
    const expected = usd(Number(today.costUSD));
    const view = await waitFor('the status bar view', () => {
      const v = api!.getStatusBarView!();
      return v?.text.includes(expected) ? v : undefined;
    }, 10_000);
    assert.match(view.text, /today/);
    assert.match(view.tooltip, /Claude/);
  });

  it('Show Usage Dashboard opens one panel and brings it back to front instead of a second', async () => {
    await vscode.commands.executeCommand('agentMeter.showDashboard');
    await waitFor('the dashboard tab', () => (dashboardTabs().length === 1 ? true : undefined), 10_000);
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    // the tab model reaches the extension host asynchronously: until it shows the untitled editor in front of the
    // dashboard, the stale "dashboard active" would satisfy the wait below before the second command did anything
    await waitFor('the untitled editor in front of the dashboard', () => (dashboardTabs()[0]?.isActive === false ? true : undefined), 10_000);
    await vscode.commands.executeCommand('agentMeter.showDashboard');
    await waitFor('the dashboard tab active again', () => (dashboardTabs()[0]?.isActive ? true : undefined), 10_000);
    assert.equal(dashboardTabs().length, 1);
  });

  it('Refresh, Show Log and Open Settings run without errors', async () => {
    await vscode.commands.executeCommand('agentMeter.refresh');
    await vscode.commands.executeCommand('agentMeter.showLog');
    await vscode.commands.executeCommand('agentMeter.openSettings');
  });
});
