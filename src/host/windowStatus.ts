/**
 * The window's usage status (indexing, last update, error, where logs were looked for) and who is told when it
 * changes: `stateChanged` (views rebuild: new state of the window) or `statusChanged` (the status bar re-renders
 * only). No `vscode` import: the usage service turns the notifications into its events.
 */
import type { UsageStatus } from './usageSource';

export type StatusChange = 'state' | 'status';

export class WindowStatus {
  private status: UsageStatus = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: false };

  constructor(private readonly notify: (change: StatusChange) => void) {}

  get current(): UsageStatus {
    return this.status;
  }

  /** Changes fields without telling anyone (a notification follows, or nothing visible changed). */
  set(patch: Partial<UsageStatus>): void {
    this.status = { ...this.status, ...patch };
  }

  /** The window's state changed (role, error, rebuild, end of the first index): views rebuild. */
  stateChanged(): void {
    this.notify('state');
  }

  /** Only the status changed (indexing, last update): the status bar re-renders from the last summary. */
  statusChanged(): void {
    this.notify('status');
  }
}
