import * as vscode from 'vscode';
import { join } from 'node:path';
import type { Alert } from '../core/limits/alerts';
import { entryFromAlert, type AlertHistoryEntry } from '../app/alerts/history';
import { ALERT_HISTORY_FILE, AlertHistoryFile } from '../app/alerts/historyFile';

/**
 * The window's handle on the alert history (`alert-history.json` in global storage, shared by the windows): the
 * notifier records what it showed, the dashboard reads it. Writing runs in the background; `onDidChange` fires once
 * an append is on disk.
 */
export class AlertHistory implements vscode.Disposable {
  private readonly file: AlertHistoryFile;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(storageDir: string, private readonly warn: (message: string) => void) {
    this.file = new AlertHistoryFile(join(storageDir, ALERT_HISTORY_FILE), warn);
  }

  /** Records the alerts shown at `nowMs`; returns their entries at once (the write follows). */
  record(alerts: readonly Alert[], nowMs: number): AlertHistoryEntry[] {
    const entries = alerts.map((a) => entryFromAlert(a, nowMs));
    this.file.append(entries).then(() => this.changed.fire(), (e: unknown) => this.warn(`alert history not saved: ${e instanceof Error ? e.message : String(e)}`));
    return entries;
  }

  read(): Promise<AlertHistoryEntry[]> {
    return this.file.read();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
