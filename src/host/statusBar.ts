import * as vscode from 'vscode';
import type { UsageService } from './usageService';
import type { PriceTableCache } from './prices';
import type { StatusSummary } from './statusSummary';
import { buildStatusView, type StatusView } from './statusText';
import { debounce, type Debounced } from './debounce';
import { coalesced } from './coalesce';
import { CommandId } from './commands/ids';
import { errorText } from './log';

export const STATUS_ITEM_ID = 'agentmeter.usage';
/** Time passes even without new data (block countdown, day roll-over, quota resets). */
const TICK_MS = 30_000;

/**
 * The one status bar item (id `agentmeter.usage`, name "AgentMeter", so users can hide it). One `update()`
 * recomputes text, tooltip and colour from the index: on every data change (debounced ~50 ms), on settings
 * changes, and every 30 s. Clicking opens the dashboard. `onSummary` hands each summary on (budget alerts).
 * The summary is computed in the index worker; updates never overlap (one asked for during an update runs after it).
 */
export class StatusBarController implements vscode.Disposable {
  private item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly schedule: Debounced;
  private placement: string;
  private last: StatusView | undefined;
  private disposed = false;

  constructor(
    private readonly service: UsageService,
    private readonly prices: PriceTableCache,
    private readonly log: vscode.LogOutputChannel,
    private readonly onSummary: (s: StatusSummary) => void = () => {},
  ) {
    const s = service.getSettings().statusBar;
    this.placement = `${s.alignment}:${s.priority}`;
    this.item = this.createItem();
    this.schedule = debounce(() => void this.update(), 50);
    this.subs.push(service.onDidChange(() => this.schedule.trigger()));
    this.timer = setInterval(() => void this.update(), TICK_MS);
    this.timer.unref?.();
    void this.update();
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

  /** Recomputes the item; resolves when the item shows data as of this call. */
  readonly update = coalesced(() => this.updateOnce(), () => !this.disposed);

  private async updateOnce(): Promise<void> {
    if (this.disposed) return;
    const settings = this.service.getSettings();
    const placement = `${settings.statusBar.alignment}:${settings.statusBar.priority}`;
    if (placement !== this.placement) {
      // alignment and priority are fixed at creation: replace the item
      this.placement = placement;
      this.item.dispose();
      this.item = this.createItem();
    }
    const status = this.service.getStatus();
    if (!this.service.hasData()) {
      this.item.text = status.indexing ? '$(sync~spin) AgentMeter' : '$(pulse) AgentMeter';
      this.item.tooltip = status.error ? `AgentMeter: ${status.error}` : 'AgentMeter: waiting for the usage index…';
      return;
    }
    try {
      this.prices.get(settings.priceOverrides); // reports rejected overrides once, on this window's log
      const summary = await this.service.index.statusSummary({
        nowMs: Date.now(),
        timeZone: settings.timeZone,
        weekStart: settings.weekStart,
        billingCycleStartDay: settings.budgets.billingCycleStartDay,
        budgets: settings.budgets,
        priceOverrides: settings.priceOverrides,
        claudePlan: settings.claudePlan,
      });
      if (!summary || this.disposed) return;
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
    this.disposed = true;
    clearInterval(this.timer);
    this.schedule.cancel();
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
