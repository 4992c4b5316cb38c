import * as vscode from 'vscode';
import { CommandId } from './ids';
import type { AlertKind } from '../../core/limits/alerts';
import { ALERT_RULES, type AlertHistoryEntry } from '../../app/alerts/history';
import { ruleText } from '../../app/alertText';
import { displayTranslator } from '../i18n';
import { WEBHOOK_FORMAT_LABELS, WEBHOOK_FORMATS, type WebhookFormat } from '../../app/alerts/webhookPayloads';
import { redactedUrl, validWebhookUrl, type SendResult, type WebhookTarget } from '../../app/alerts/webhookSender';
import { WEBHOOKS_ENABLED_SETTING, type AlertWebhooks } from '../alertWebhooks';

/** Arguments that skip the UI (tests, other extensions). */
export interface ConfigureWebhookArg {
  rule: AlertKind;
  action: 'set' | 'test' | 'remove';
  url?: string;
  format?: WebhookFormat;
}

const ruleLabel = (rule: AlertKind) => ruleText(rule, displayTranslator());

function testEntry(rule: AlertKind): AlertHistoryEntry {
  return {
    timeMs: Date.now(), rule, severity: 'info', value: null, threshold: null, key: 'test',
    message: vscode.l10n.t('Test message from AgentMeter: {0} alerts will be posted here.', ruleLabel(rule)),
  };
}

/**
 * "AgentMeter: Configure Alert Webhook…" — per rule (budgets, Codex quota, Claude plan limit, unusual spend): set a webhook URL and
 * its format, send a test message, or remove it. The URL goes to SecretStorage, never to the settings. Webhooks stay
 * off until `agentMeter.alerts.webhooks.enabled` is on (offered after a URL is set).
 */
export function registerConfigureAlertWebhook(webhooks: AlertWebhooks): vscode.Disposable {
  const sendTest = async (target: WebhookTarget, rule: AlertKind): Promise<SendResult> => {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('AgentMeter: sending a test message…') },
      () => webhooks.send(target, testEntry(rule)));
    if (r.ok) void vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: test message sent to {0} ({1}).', WEBHOOK_FORMAT_LABELS[target.format], redactedUrl(target.url)));
    else void vscode.window.showErrorMessage(vscode.l10n.t('AgentMeter: the test message was not sent: {0}.', r.reason));
    return r;
  };

  const set = async (rule: AlertKind, target: WebhookTarget): Promise<void> => {
    await webhooks.setTarget(rule, target);
    const TURN_ON = vscode.l10n.t('Turn On Webhooks');
    const SEND_TEST = vscode.l10n.t('Send Test');
    if (!webhooks.enabled()) {
      const pick = await vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: the {0} webhook is saved. Webhooks are off until you turn them on.', ruleLabel(rule)), TURN_ON, SEND_TEST);
      if (pick === TURN_ON) await vscode.workspace.getConfiguration('agentMeter').update(WEBHOOKS_ENABLED_SETTING, true, vscode.ConfigurationTarget.Global);
      if (pick === SEND_TEST) await sendTest(target, rule);
    } else {
      const pick = await vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: the {0} webhook is saved.', ruleLabel(rule)), SEND_TEST);
      if (pick === SEND_TEST) await sendTest(target, rule);
    }
  };

  return vscode.commands.registerCommand(CommandId.ConfigureAlertWebhook, async (arg?: ConfigureWebhookArg) => {
    if (arg && ALERT_RULES.includes(arg.rule)) {
      if (arg.action === 'remove') return void (await webhooks.setTarget(arg.rule, null));
      if (arg.action === 'set') {
        if (!arg.url || validWebhookUrl(arg.url) !== null || !arg.format || !WEBHOOK_FORMATS.includes(arg.format)) throw new Error('a webhook needs an http(s) url and a known format');
        return void (await webhooks.setTarget(arg.rule, { url: arg.url.trim(), format: arg.format }));
      }
      const t = await webhooks.target(arg.rule);
      return t ? webhooks.send(t, testEntry(arg.rule)) : null;
    }

    const rules = await Promise.all(ALERT_RULES.map(async (rule) => ({ rule, target: await webhooks.target(rule) })));
    const rulePick = await vscode.window.showQuickPick(rules.map((r) => ({
      label: ruleLabel(r.rule),
      description: r.target ? `${WEBHOOK_FORMAT_LABELS[r.target.format]} · ${redactedUrl(r.target.url)}` : vscode.l10n.t('no webhook'),
      rule: r.rule, target: r.target,
    })), { title: webhooks.enabled() ? vscode.l10n.t('Alert webhooks') : vscode.l10n.t('Alert webhooks (off: agentMeter.alerts.webhooks.enabled)'), placeHolder: vscode.l10n.t('Which alerts?') });
    if (!rulePick) return;

    let action: 'set' | 'test' | 'remove' = 'set';
    if (rulePick.target) {
      const a = await vscode.window.showQuickPick([
        { label: vscode.l10n.t('Send test'), action: 'test' as const },
        { label: vscode.l10n.t('Change URL or format…'), action: 'set' as const },
        { label: vscode.l10n.t('Remove'), action: 'remove' as const },
      ], { title: vscode.l10n.t('{0} webhook', ruleLabel(rulePick.rule)) });
      if (!a) return;
      action = a.action;
    }
    if (action === 'test' && rulePick.target) return void (await sendTest(rulePick.target, rulePick.rule));
    if (action === 'remove') {
      await webhooks.setTarget(rulePick.rule, null);
      void vscode.window.showInformationMessage(vscode.l10n.t('AgentMeter: the {0} webhook is removed.', ruleLabel(rulePick.rule)));
      return;
    }
    const fmt = await vscode.window.showQuickPick(WEBHOOK_FORMATS.map((f) => ({ label: WEBHOOK_FORMAT_LABELS[f], format: f })), {
      title: vscode.l10n.t('{0} webhook: format', ruleLabel(rulePick.rule)), placeHolder: vscode.l10n.t('Which service is the URL of?'),
    });
    if (!fmt) return;
    const url = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} webhook: {1} URL', ruleLabel(rulePick.rule), fmt.label),
      prompt: vscode.l10n.t("Kept in the editor's secret storage, never in the settings."),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => validWebhookUrl(v),
    });
    if (!url) return;
    await set(rulePick.rule, { url: url.trim(), format: fmt.format });
  });
}
