import type * as vscode from 'vscode';
import type { IndexBackend } from '../app/indexWorker/protocol';

/**
 * The read side of the index worker: queries plus the heavy pure computations done next to the data. The window's
 * views do not ask for the status summary (the worker pushes it, `UsageService.model`); `statusSummary` stays for
 * the benchmarks.
 */
export type IndexReads = Pick<
  IndexBackend,
  | 'loadFacts' | 'loadProjects' | 'loadLatestRateLimits' | 'loadRateLimitSamples' | 'loadLimitResets' | 'loadCounters'
  | 'sessionLogPath' | 'statusSummary' | 'dashboardSnapshot' | 'dashboardSessions' | 'dashboardPrepare' | 'dashboardWarm' | 'exportText' | 'teamSnapshot' | 'writeReport' | 'teamWriteReport'
>;

/**
 * What the dashboard, status bar and exports read from. Implemented by `UsageService` (usageService.ts),
 * which owns the index (lock, index worker, refresh, reload). Readers never write to the database.
 */
export interface UsageSource {
  /**
   * Fires after new data is in the database (a pushed update with a new data version: own ingest, or a reload of
   * another window's database) and when the window's state changes (role, error, rebuild, end of the first index).
   */
  readonly onDidChange: vscode.Event<void>;
  /** True once there is an index to read (false before the first open finished, and during a rebuild). */
  hasData(): boolean;
  /** Reads of the index, answered by the index worker (plain data; empty results while there is no index). */
  readonly index: IndexReads;
  /** The settings as read from `agentMeter.*` (reloaded on change). */
  getSettings(): AgentMeterSettings;
  /** Ingest status for progress/empty states. */
  getStatus(): UsageStatus;
}

export type { AgentMeterSettings, UsageStatus } from '../app/settings';
import type { AgentMeterSettings, UsageStatus } from '../app/settings';
