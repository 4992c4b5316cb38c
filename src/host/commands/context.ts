import type * as vscode from 'vscode';
import type { UsageService } from '../usageService';
import type { PriceTableCache } from '../../app/prices';
import type { TeamController } from '../team/teamController';

/** What command handlers need; built once in `activate()`. */
export interface CommandContext {
  extension: vscode.ExtensionContext;
  service: UsageService;
  log: vscode.LogOutputChannel;
  prices: PriceTableCache;
  /** opens (or reveals) the dashboard panel */
  openDashboard: () => void;
  /** the team database: connection, pushes */
  team: TeamController;
}
