import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { CommandContext } from './context';
import { runExport } from './runExport';

/** "AgentMeter: Export JSON…" — the same as Export CSV, written as the CLI's `--format json` object. */
export function registerExportJson(ctx: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.ExportJson, (arg?: unknown) => runExport('json', arg, ctx));
}
