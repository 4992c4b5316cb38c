// The extension loads in the real extension host and registers every command of its manifest.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

const COMMANDS = [
  'agentMeter.showDashboard', 'agentMeter.exportCsv', 'agentMeter.exportJson', 'agentMeter.refresh',
  'agentMeter.rebuildIndex', 'agentMeter.showLog', 'agentMeter.openSettings', 'agentMeter.configureAlertWebhook',
];

describe('activation', () => {
  it('activates within a few seconds and stays active', async () => {
    const t0 = Date.now();
    const { ext } = await activateExtension();
    assert.equal(ext.isActive, true);
    assert.ok(Date.now() - t0 < 10_000, `activation took ${Date.now() - t0} ms`);
  });

  it('registers every AgentMeter command', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((c) => !all.has(c));
    assert.deepEqual(missing, [], `not registered: ${missing.join(', ')}`);
  });

  it('contributes those commands under the AgentMeter category', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes?: { commands?: Array<{ command: string; category?: string }> } };
    const contributed = new Map((pkg.contributes?.commands ?? []).map((c) => [c.command, c.category]));
    for (const c of COMMANDS) assert.equal(contributed.get(c), 'AgentMeter', `${c} category`);
  });

  it('the manifest: runs where the agents run, activates on start-up, commands and the panel; every setting described', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      extensionKind?: string[]; activationEvents?: string[];
      contributes?: { configuration?: { properties?: Record<string, { description?: string; markdownDescription?: string }> } | Array<{ properties?: Record<string, { description?: string; markdownDescription?: string }> }> };
    };
    assert.deepEqual(pkg.extensionKind, ['workspace'], 'reads the logs on the remote side (SSH, WSL, containers)');
    const events = pkg.activationEvents ?? [];
    for (const e of ['onStartupFinished', 'onWebviewPanel:agentMeter.dashboard', ...COMMANDS.map((c) => `onCommand:${c}`)]) {
      assert.ok(events.includes(e), `activation event ${e}`);
    }
    const conf = pkg.contributes?.configuration;
    const props = Object.assign({}, ...(Array.isArray(conf) ? conf : [conf]).map((c) => c?.properties ?? {})) as Record<string, { description?: string; markdownDescription?: string }>;
    for (const key of [
      'agentMeter.claude.directories', 'agentMeter.codex.directories', 'agentMeter.timeZone', 'agentMeter.weekStart',
      'agentMeter.currency.code', 'agentMeter.currency.rateToUsd', 'agentMeter.statusBar.format', 'agentMeter.statusBar.alignment',
      'agentMeter.statusBar.priority', 'agentMeter.watch.usePolling', 'agentMeter.prices.overrides', 'agentMeter.budgets.daily',
      'agentMeter.budgets.monthly',
    ]) assert.ok(props[key], `setting ${key} is contributed`);
    const undescribed = Object.entries(props).filter(([, v]) => !(v.description ?? v.markdownDescription)?.trim()).map(([k]) => k);
    assert.deepEqual(undescribed, [], 'settings without a description');
    // the settings are live in this VS Code (defaults as documented)
    const cfg = vscode.workspace.getConfiguration('agentMeter');
    assert.equal(cfg.get('watch.usePolling'), false);
    assert.equal(cfg.get('currency.code'), 'USD');
  });
});
