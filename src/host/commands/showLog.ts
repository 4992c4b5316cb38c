import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { CommandContext } from './context';

/** "AgentMeter: Show Log" — the AgentMeter log channel. */
export function registerShowLog(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.ShowLog, () => ctx.log.show(true));
}
