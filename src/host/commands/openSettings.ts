import * as vscode from 'vscode';
import { CommandId } from './ids';

/** "AgentMeter: Open Settings" — the Settings editor filtered to this extension. */
export function registerOpenSettings(extensionId: string): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.OpenSettings, () =>
    vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${extensionId}`),
  );
}
