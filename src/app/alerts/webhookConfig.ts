import type { AlertKind } from '../../core/limits/alerts';
import { WEBHOOK_FORMATS, type WebhookFormat } from './webhookPayloads';
import { validWebhookUrl, type WebhookTarget } from './webhookSender';

/**
 * A rule's webhook as kept in the editor's SecretStorage (the URL is a secret: whoever has it can post to the
 * channel): one entry per rule under `secretKey(rule)`, the JSON `{ url, format }`.
 */
export function webhookSecretKey(rule: AlertKind): string {
  return `agentMeter.alertWebhook.${rule}`;
}

export function webhookSecretValue(target: WebhookTarget): string {
  return JSON.stringify({ url: target.url, format: target.format });
}

/** The stored target, or null when none is stored or it is not a valid one. */
export function readWebhookSecret(text: string | undefined): WebhookTarget | null {
  if (!text) return null;
  try {
    const o = JSON.parse(text) as { url?: unknown; format?: unknown };
    if (typeof o.url !== 'string' || validWebhookUrl(o.url) !== null) return null;
    if (!(WEBHOOK_FORMATS as readonly unknown[]).includes(o.format)) return null;
    return { url: o.url, format: o.format as WebhookFormat };
  } catch {
    return null;
  }
}
