/**
 * Keeps the index worker's status settings (time zone, budgets, plan, prices) in step with the window's: sent once
 * per worker (a new worker after a loss has none) and again when they change. No `vscode` import.
 */
import type { AgentMeterSettings } from './usageSource';
import type { IndexBackend } from '../app/indexWorker/protocol';
import { statusSettingsOf } from '../app/status/statusSettings';

export class StatusSettingsSync {
  /** the status settings reached the current index worker */
  private sent = false;

  constructor(private readonly index: Pick<IndexBackend, 'configureStatus'>, private readonly settings: () => AgentMeterSettings) {}

  /** Sends them unless the worker has them. */
  async ensure(): Promise<void> {
    if (this.sent) return;
    await this.index.configureStatus(statusSettingsOf(this.settings()));
    this.sent = true;
  }

  /** The worker no longer has the current ones (a new worker, new settings): the next `ensure` sends them. */
  invalidate(): void {
    this.sent = false;
  }
}
