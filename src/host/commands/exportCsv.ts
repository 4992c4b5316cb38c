import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { CommandContext } from './context';
import { runExport } from './runExport';

/** "AgentMeter: Export CSV…" (interactive), or `executeCommand('agentMeter.exportCsv', { grain, range, …, path? })`. */
export function registerExportCsv(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.ExportCsv, (arg?: unknown) => runExport('csv', arg, ctx));
}
