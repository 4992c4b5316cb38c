// The extension loads in the real extension host and registers every command of its manifest.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

const COMMANDS = [
  'agentMeter.showDashboard', 'agentMeter.exportCsv', 'agentMeter.exportJson', 'agentMeter.refresh',
  'agentMeter.rebuildIndex', 'agentMeter.showLog', 'agentMeter.openSettings',
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
});
