import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { CommandContext } from './context';

/** "AgentMeter: Refresh" — reads what is new in the logs now (a reader window reloads the shared index). */
export function registerRefresh(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.Refresh, () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('AgentMeter: refreshing') }, () => ctx.service.refresh()),
  );
}
