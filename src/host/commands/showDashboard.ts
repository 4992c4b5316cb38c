import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { CommandContext } from './context';

/** "AgentMeter: Show Usage Dashboard" — one panel, brought to the front when already open. */
export function registerShowDashboard(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.ShowDashboard, () => ctx.openDashboard());
}
