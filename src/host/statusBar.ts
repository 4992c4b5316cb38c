import * as vscode from 'vscode';
import type { UsageService } from './usageService';
import type { PriceTableCache } from '../app/prices';
import { buildStatusView, type StatusView } from '../app/status/statusText';
import { CommandId } from './commands/ids';
import { errorText } from './log';
import { displayTranslator } from './i18n';

export const STATUS_ITEM_ID = 'agentmeter.usage';
/** Time passes even without new data (block countdown, day roll-over, quota resets). */
const TICK_MS = 30_000;

/**
 * The one status bar item (id `agentmeter.usage`, name "AgentMeter", so users can hide it): text, tooltip and colour
 * from the latest summary the index worker pushed (`service.model`), rendered again when a new one arrives and when
 * the window's status or the settings change, without asking the worker. Every 30 s the worker is asked to push the
 * summary as of now (time passes without new data: block countdown, day roll-over, quota resets). Clicking opens the
 * dashboard.
 */
export class StatusBarController implements vscode.Disposable {
  private item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  private placement: string;
  private last: StatusView | undefined;
  private disposed = false;

  constructor(
    private readonly service: UsageService,
    private readonly prices: PriceTableCache,
    private readonly log: vscode.LogOutputChannel,
    /** the team database's line (last push, last error), when one is connected */
    private readonly team?: { tooltipLine(locale: string): string | undefined; readonly onDidChange: vscode.Event<void> },
  ) {
    const s = service.getSettings().statusBar;
    this.placement = `${s.alignment}:${s.priority}`;
    this.item = this.createItem();
    this.subs.push(
      service.model.onDidUpdate(() => this.render()),
      service.onDidChangeStatus(() => this.render()),
    );
    if (team) this.subs.push(team.onDidChange(() => this.render()));
    this.timer = setInterval(() => {
      service.publishStatus().catch((e) => this.log.warn(`status bar tick: ${errorText(e)}`));
    }, TICK_MS);
    this.timer.unref?.();
    this.render();
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
    item.tooltip = vscode.l10n.t('AgentMeter: reading usage logs…');
    item.show();
    return item;
  }

  /** The last text/tooltip/level shown (for tests). */
  get view(): StatusView | undefined {
    return this.last;
  }

  /** Shows the latest pushed summary with the current status and settings (synchronous: nothing is computed). */
  private render(): void {
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
    const summary = this.service.model.summary;
    if (!summary) {
      this.item.text = status.indexing ? '$(sync~spin) AgentMeter' : '$(pulse) AgentMeter';
      this.item.tooltip = status.error ? vscode.l10n.t('AgentMeter: {0}', status.error) : vscode.l10n.t('AgentMeter: waiting for the usage index…');
      return;
    }
    try {
      this.prices.get(settings.priceOverrides, settings.currency.rates); // reports rejected overrides once, on this window's log
      const view = buildStatusView(summary, {
        format: settings.statusBar.format,
        showCodexQuota: settings.statusBar.showCodexQuota,
        currency: settings.currency,
        locale: vscode.env.language || 'en',
        thresholds: settings.budgets.thresholds,
        lastUpdatedMs: status.lastUpdatedMs,
        indexing: status.indexing,
        error: status.error,
      }, displayTranslator());
      this.last = view;
      this.item.text = view.text;
      const teamLine = this.team?.tooltipLine(vscode.env.language || 'en');
      const md = new vscode.MarkdownString(teamLine ? `${view.tooltip}\n\n---\n\n${teamLine}` : view.tooltip, true);
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
    } catch (e) {
      this.log.error(`status bar update failed: ${errorText(e)}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
