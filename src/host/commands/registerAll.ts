import type * as vscode from 'vscode';
import type { CommandContext } from './context';
import { registerShowDashboard } from './showDashboard';
import { registerExportCsv } from './exportCsv';
import { registerExportJson } from './exportJson';
import { registerRefresh } from './refresh';
import { registerRebuildIndex } from './rebuildIndex';
import { registerShowLog } from './showLog';
import { registerOpenSettings } from './openSettings';
import { registerTeamCommands } from './teamCommands';

/** Registers every command of the extension; the caller adds the disposables to `context.subscriptions`. */
export function registerAll(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerShowDashboard(ctx),
    registerExportCsv(ctx),
    registerExportJson(ctx),
    registerRefresh(ctx),
    registerRebuildIndex(ctx),
    registerShowLog(ctx),
    registerOpenSettings(ctx.extension.extension.id),
    ...registerTeamCommands(ctx),
  ];
}
