import * as vscode from 'vscode';
import { loadFacts, loadLatestRateLimits, loadLimitResets, loadProjects } from '../core/query/facts';
import type { UsageService } from './usageService';
import type { PriceTableCache } from './prices';
import { summarizeStatus, statusFactsSince, type StatusSummary } from './statusSummary';
import { buildStatusView, type StatusView } from './statusText';
import { debounce, type Debounced } from './debounce';
import { CommandId } from './commands/ids';
import { errorText } from './log';

export const STATUS_ITEM_ID = 'agentmeter.usage';
/** Time passes even without new data (block countdown, day roll-over, quota resets). */
const TICK_MS = 30_000;

/**
 * The one status bar item (id `agentmeter.usage`, name "AgentMeter", so users can hide it). One `update()`
 * recomputes text, tooltip and colour from the index: on every data change (debounced ~50 ms), on settings
 * changes, and every 30 s. Clicking opens the dashboard. `onSummary` hands each summary on (budget alerts).
 */
export class StatusBarController implements vscode.Disposable {
  private item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly schedule: Debounced;
  private placement: string;
  private last: StatusView | undefined;

  constructor(
    private readonly service: UsageService,
    private readonly prices: PriceTableCache,
    private readonly log: vscode.LogOutputChannel,
    private readonly onSummary: (s: StatusSummary) => void = () => {},
  ) {
    const s = service.getSettings().statusBar;
    this.placement = `${s.alignment}:${s.priority}`;
    this.item = this.createItem();
    this.schedule = debounce(() => this.update(), 50);
    this.subs.push(service.onDidChange(() => this.schedule.trigger()));
    this.timer = setInterval(() => this.update(), TICK_MS);
    this.timer.unref?.();
    this.update();
  }

  private createItem(): vscode.StatusBarItem {
    const s = this.service.getSettings().statusBar;
    const item = vscode.window.createStatusBarItem(
      STATUS_ITEM_ID,
      s.alignment === 'left' ? vscode.StatusBarAlignment.Left : vscode.StatusBarAlignment.Right,
      s.priority,
    );
    item.name = 'AgentMeter';
    item.command = CommandId.ShowDashboard;
    item.text = '$(pulse) AgentMeter';
    item.tooltip = 'AgentMeter: reading usage logs…';
    item.show();
    return item;
  }

  /** The last text/tooltip/level shown (for tests). */
  get view(): StatusView | undefined {
    return this.last;
  }

  update(): void {
    const settings = this.service.getSettings();
    const placement = `${settings.statusBar.alignment}:${settings.statusBar.priority}`;
    if (placement !== this.placement) {
      // alignment and priority are fixed at creation: replace the item
      this.placement = placement;
      this.item.dispose();
      this.item = this.createItem();
    }
    const db = this.service.getDatabase();
    const status = this.service.getStatus();
    if (!db) {
      this.item.text = status.indexing ? '$(sync~spin) AgentMeter' : '$(pulse) AgentMeter';
      this.item.tooltip = status.error ? `AgentMeter: ${status.error}` : 'AgentMeter: waiting for the usage index…';
      return;
    }
    try {
      const now = Date.now();
      const periodOpts = { timeZone: settings.timeZone, weekStart: settings.weekStart, billingCycleStartDay: settings.budgets.billingCycleStartDay };
      const since = statusFactsSince(now, periodOpts);
      const projects = new Map(loadProjects(db).map((p) => [p.project, p.displayPath]));
      const summary = summarizeStatus({
        ...periodOpts,
        facts: loadFacts(db, { sinceMs: since }),
        prices: this.prices.get(settings.priceOverrides),
        nowMs: now,
        budgets: settings.budgets,
        rateLimits: loadLatestRateLimits(db),
        limitResets: loadLimitResets(db, since),
        displayPathOf: (p) => projects.get(p),
      });
      const view = buildStatusView(summary, {
        format: settings.statusBar.format,
        showCodexQuota: settings.statusBar.showCodexQuota,
        currency: settings.currency,
        locale: vscode.env.language || 'en',
        thresholds: settings.budgets.thresholds,
        lastUpdatedMs: status.lastUpdatedMs,
        indexing: status.indexing,
        error: status.error,
      });
      this.last = view;
      this.item.text = view.text;
      const md = new vscode.MarkdownString(view.tooltip, true);
      md.isTrusted = false;
      md.supportHtml = false;
      this.item.tooltip = md;
      this.item.accessibilityInformation = { label: view.accessibilityLabel };
      this.item.backgroundColor =
        view.level === 'error'
          ? new vscode.ThemeColor('statusBarItem.errorBackground')
          : view.level === 'warning'
            ? new vscode.ThemeColor('statusBarItem.warningBackground')
            : undefined;
      this.onSummary(summary);
    } catch (e) {
      this.log.error(`status bar update failed: ${errorText(e)}`);
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.schedule.cancel();
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
