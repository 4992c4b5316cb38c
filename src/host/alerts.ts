import * as vscode from 'vscode';
import { evaluateBudgetAlerts, type Alert } from '../core/limits/alerts';
import { evaluateClaudeProjectionAlert, evaluateCodexQuotaAlerts } from '../core/limits/quotaAlerts';
import { evaluateAnomalyAlert } from '../core/limits/anomalyAlert';
import { pruneAlertState, readAlertState, suppressScope, type AlertState } from '../core/limits/alertState';
import type { StatusSummary } from '../app/status/statusSummary';
import { CommandId } from './commands/ids';
import { displayTranslator } from './i18n';
import { alertText } from '../app/alertText';

const STATE_KEY = 'agentMeter.alerts';

/**
 * Budget and Codex-quota notifications, once per period per threshold (rules in core `limits/alerts.ts`), and the
 * Claude one, once per 5-hour block, when the block's projection crosses the plan limit (core `quotaAlerts.ts`), and
 * with `agentMeter.alerts.anomalies` on the unusual-spend one, once per day (core `anomalyAlert.ts`).
 * The fired/suppressed state lives in `globalState`, shared by all windows; only the writer window evaluates,
 * so two windows never show the same notification.
 */
export class AlertNotifier {
  /** Evaluations run one after another: two overlapping ones would both read the old state and fire twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly memento: vscode.Memento,
    private readonly isWriter: () => boolean,
    /** told of every notification shown (the alert history and the webhooks), after the state is persisted */
    private readonly onFired: (alerts: readonly Alert[], nowMs: number) => void = () => {},
  ) {}

  private state(): AlertState {
    return readAlertState(this.memento.get(STATE_KEY));
  }

  /** Evaluates the summary; shows what newly crossed; persists the state. Returns the alerts shown. */
  evaluate(summary: StatusSummary): Promise<Alert[]> {
    return this.serialized(() => this.evaluateNow(summary));
  }

  /** Runs read-modify-write steps of the shared state one after another. */
  private serialized<T>(step: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async evaluateNow(summary: StatusSummary): Promise<Alert[]> {
    if (!this.isWriter()) return [];
    const now = summary.nowMs;
    const budgets = evaluateBudgetAlerts(summary.budgets, this.state(), now);
    const quota = evaluateCodexQuotaAlerts(summary.codex, budgets.state, now);
    const claude =
      summary.block && summary.blockForecast && summary.planLimit
        ? evaluateClaudeProjectionAlert(summary.block.startMs, summary.blockForecast, summary.planLimit, quota.state, now)
        : { fire: [], state: quota.state };
    const anomaly = evaluateAnomalyAlert(summary.anomaly, claude.state, now);
    const fire = [...budgets.fire, ...quota.fire, ...claude.fire, ...anomaly.fire];
    if (fire.length === 0 && JSON.stringify(anomaly.state) === JSON.stringify(this.state())) return [];
    await this.memento.update(STATE_KEY, pruneAlertState(anomaly.state, now));
    for (const a of fire) void this.show(a);
    if (fire.length > 0) this.onFired(fire, now);
    return fire;
  }

  private async show(a: Alert): Promise<void> {
    const show =
      a.severity === 'error' ? vscode.window.showErrorMessage : a.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const open = vscode.l10n.t('Open Dashboard');
    const mute = vscode.l10n.t("Don't Show Again This Period");
    const pick = await show(vscode.l10n.t('AgentMeter: {0}', alertText(a, displayTranslator())), open, mute);
    if (pick === open) await vscode.commands.executeCommand(CommandId.ShowDashboard);
    else if (pick === mute) await this.serialized(async () => {
        await this.memento.update(STATE_KEY, suppressScope(this.state(), a.scope, Date.now()));
      });
  }
}
