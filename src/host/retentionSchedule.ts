import * as vscode from 'vscode';
import type { RollUpResult } from '../core/store/retention';
import { MIN_DETAIL_DAYS } from '../core/store/retention';

export const RETENTION_SETTING = 'retention.detailDays';
const EVERY_MS = 6 * 3_600_000;

/** The setting's value: whole days of 15-minute detail to keep (at least MIN_DETAIL_DAYS), or null = forever. */
export function retentionDays(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  return Math.max(MIN_DETAIL_DAYS, Math.floor(value));
}

/**
 * Applies `agentMeter.retention.detailDays` in the writer window: once the index is ready, every 6 hours, and when
 * the setting changes. Without the setting (the default) nothing is ever rolled up. Each roll-up is logged.
 */
export class RetentionSchedule implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly target: { applyRetention(days: number): Promise<RollUpResult | null>; whenReady(): Promise<void> },
    private readonly log: { info(m: string): void; warn(m: string): void },
    private readonly readSetting: () => unknown = () => vscode.workspace.getConfiguration('agentMeter').get(RETENTION_SETTING),
  ) {
    void target.whenReady().then(() => this.run());
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref?.();
    this.subs.push(vscode.workspace.onDidChangeConfiguration((e: vscode.ConfigurationChangeEvent) => {
      if (e.affectsConfiguration(`agentMeter.${RETENTION_SETTING}`)) void this.run();
    }));
  }

  /** One application of the setting (runs after the previous one); resolves with what it did (null: nothing to do). */
  run(): Promise<RollUpResult | null> {
    const next = this.running.then(async () => {
      const days = retentionDays(this.readSetting());
      if (days === null) return null;
      try {
        const r = await this.target.applyRetention(days);
        if (r && r.rowsBefore > 0) {
          this.log.info(`retention: ${r.rowsBefore} 15-minute rows before ${new Date(r.cutoffMs).toISOString().slice(0, 16).replace('T', ' ')} UTC rolled up into ${r.rowsAfter} daily rows (${days} days of detail kept)`);
        }
        return r;
      } catch (e) {
        this.log.warn(`retention: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      }
    });
    this.running = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
