import * as vscode from 'vscode';
import type { IndexUpdate } from '../app/indexApi';
import type { StatusSummary } from '../app/status/statusSummary';

/** An update that carries a summary. */
export type SummaryUpdate = IndexUpdate & { summary: StatusSummary };

/**
 * The window's view of the index, fed only by the updates the index worker pushes (after each commit, each load, a
 * change of the status settings, the 30 s tick): the latest status summary and data version. `onDidUpdate` hands
 * each new summary on (status bar, budget alerts); `onDidChangeData` fires when the data version moved (an open
 * dashboard builds a new snapshot). Nothing here asks the worker for anything.
 */
export class UsageModel implements vscode.Disposable {
  private last: IndexUpdate | undefined;
  private readonly updated = new vscode.EventEmitter<SummaryUpdate>();
  private readonly dataChanged = new vscode.EventEmitter<void>();
  readonly onDidUpdate = this.updated.event;
  readonly onDidChangeData = this.dataChanged.event;

  /** The latest summary pushed (null before the first, and after `reset`). */
  get summary(): StatusSummary | null {
    return this.last?.summary ?? null;
  }

  /** The latest update (tests, logs). */
  get latest(): IndexUpdate | undefined {
    return this.last;
  }

  accept(u: IndexUpdate): void {
    const moved = !this.last || this.last.epoch !== u.epoch || this.last.version !== u.version;
    this.last = u;
    if (u.summary) this.updated.fire(u as SummaryUpdate);
    if (moved) this.dataChanged.fire();
  }

  /** The worker's database is gone (worker lost, rebuild): its summary no longer describes anything. */
  reset(): void {
    this.last = undefined;
  }

  dispose(): void {
    this.updated.dispose();
    this.dataChanged.dispose();
  }
}
