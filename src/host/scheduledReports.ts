/**
 * Scheduled reports (`agentMeter.reports.daily|weekly|monthly`): written by the writer window only, when a period
 * has ended (a timer set to the next local midnight that ends one, re-armed at least hourly and on a settings
 * change), and caught up after a start (src/app/reports/schedule.ts decides what is due). The state — the first day
 * of the last period written per kind — is kept in the global state, so it survives restarts and is shared by the
 * windows. A failed write is logged and shown once, the state is not advanced, and it is tried again at the next
 * check (at most an hour later). Nothing is sent anywhere.
 */
import type * as vscode from 'vscode';
import { join } from 'node:path';
import type { ReportWritten } from '../app/reports/createReportFile';
import type { ReportRequest } from '../app/reports/reportRequest';
import type { ReportSettings } from '../app/reports/reportSettings';
import { afterWriting, allDue, nextRunMs, scheduledFileName, type DuePeriod, type ScheduleState } from '../app/reports/schedule';

export const SCHEDULE_STATE_KEY = 'agentMeter.reportSchedule';
const HOUR_MS = 3_600_000;

export interface ScheduledReportsDeps {
  state: Pick<vscode.Memento, 'get' | 'update'>;
  isWriter: () => boolean;
  readSettings: () => ReportSettings;
  zone: () => { timeZone: string; weekStart: number };
  folder: (s: ReportSettings) => string;
  write: (req: ReportRequest & { path: string }, s: ReportSettings) => Promise<ReportWritten>;
  /** one report written (or several: the last one, and how many) */
  announce: (written: ReportWritten, count: number) => void;
  fail: (message: string) => void;
  log: { info(m: string): void; warn(m: string): void };
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => { dispose(): void };
}

export class ScheduledReports {
  private timer: { dispose(): void } | undefined;
  private running: Promise<void> | undefined;
  private failedShown = false;
  private disposed = false;

  constructor(private readonly d: ScheduledReportsDeps) {}

  private now(): number {
    return (this.d.now ?? Date.now)();
  }

  /** Checks now, then whenever a period may have ended. */
  start(): void {
    void this.check();
  }

  /** Settings changed: look again (a schedule switched on writes its latest period at once). */
  settingsChanged(): void {
    void this.check();
  }

  check(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      this.arm();
    });
    return this.running;
  }

  private arm(): void {
    this.timer?.dispose();
    this.timer = undefined;
    if (this.disposed) return;
    const s = this.d.readSettings();
    if (!s.schedule.length) return;
    const { timeZone, weekStart } = this.d.zone();
    const now = this.now();
    const next = Math.min(...s.schedule.map((k) => nextRunMs(k, now, timeZone, weekStart)));
    // a minute after the period ends (the last lines of the day reach the index), and at least hourly
    const wait = Math.max(1000, Math.min(HOUR_MS, next - now + 60_000));
    const set = this.d.setTimer ?? ((fn, ms) => {
      const t = setTimeout(fn, ms);
      t.unref?.();
      return { dispose: () => clearTimeout(t) };
    });
    this.timer = set(() => void this.check(), wait);
  }

  private async run(): Promise<void> {
    const s = this.d.readSettings();
    if (!s.schedule.length || !this.d.isWriter()) return;
    const { timeZone, weekStart } = this.d.zone();
    let state = this.d.state.get<ScheduleState>(SCHEDULE_STATE_KEY) ?? {};
    const { due, skipped } = allDue(s.schedule, state, this.now(), timeZone, weekStart);
    if (skipped) this.d.log.warn(`scheduled reports: ${skipped} missed period(s) older than the catch-up limit were not written`);
    let last: ReportWritten | undefined;
    let count = 0;
    for (const p of due) {
      try {
        last = await this.writeOne(p, s);
        count++;
        state = afterWriting(state, p);
        await this.d.state.update(SCHEDULE_STATE_KEY, state);
        this.failedShown = false;
      } catch (e) {
        const msg = `scheduled ${p.kind} report (${p.since}) failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        this.d.log.warn(`${msg}; tried again within the hour`);
        if (!this.failedShown) this.d.fail(msg);
        this.failedShown = true;
        break;
      }
    }
    if (last) this.d.announce(last, count);
  }

  private async writeOne(p: DuePeriod, s: ReportSettings): Promise<ReportWritten> {
    const path = join(this.d.folder(s), scheduledFileName(p, s.template, s.format, s.scope));
    const written = await this.d.write({
      template: s.template, format: s.format, period: { preset: 'custom', since: p.since, until: p.until }, scope: { sources: [] }, path,
      ...(s.scope !== 'local' ? { team: s.scope } : {}),
    }, s);
    this.d.log.info(`scheduled ${p.kind} report written: ${written.path}`);
    return written;
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.dispose();
  }
}
