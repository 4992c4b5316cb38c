import * as vscode from 'vscode';
import type { AlertKind } from '../core/limits/alerts';
import type { AlertHistoryEntry } from '../app/alerts/history';
import { readWebhookSecret, webhookSecretKey, webhookSecretValue } from '../app/alerts/webhookConfig';
import { sendAlert, type SendOptions, type SendResult, type WebhookTarget } from '../app/alerts/webhookSender';

export const WEBHOOKS_ENABLED_SETTING = 'alerts.webhooks.enabled';

/**
 * Alert webhooks: per rule an optional target in SecretStorage; sent only while `agentMeter.alerts.webhooks.enabled`
 * is on (off by default). Sending runs in the background — `dispatch` returns at once — with retries and logging in
 * `app/alerts/webhookSender.ts`.
 */
export class AlertWebhooks {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: (level: 'info' | 'warn', message: string) => void,
    private readonly sendOptions: SendOptions = {},
  ) {}

  enabled(): boolean {
    return vscode.workspace.getConfiguration('agentMeter').get<boolean>(WEBHOOKS_ENABLED_SETTING, false) === true;
  }

  async target(rule: AlertKind): Promise<WebhookTarget | null> {
    return readWebhookSecret(await this.secrets.get(webhookSecretKey(rule)));
  }

  async setTarget(rule: AlertKind, target: WebhookTarget | null): Promise<void> {
    if (target) await this.secrets.store(webhookSecretKey(rule), webhookSecretValue(target));
    else await this.secrets.delete(webhookSecretKey(rule));
  }

  /** Sends each entry to its rule's webhook, when webhooks are on; returns at once. */
  dispatch(entries: readonly AlertHistoryEntry[]): void {
    if (entries.length === 0 || !this.enabled()) return;
    void (async () => {
      for (const e of entries) {
        const t = await this.target(e.rule);
        if (t) void this.send(t, e);
      }
    })().catch((err: unknown) => this.log('warn', `alert webhooks: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** One send with retries (the command's "Send test" awaits it). */
  send(target: WebhookTarget, entry: AlertHistoryEntry): Promise<SendResult> {
    return sendAlert(target, entry, { log: this.log, ...this.sendOptions });
  }
}
