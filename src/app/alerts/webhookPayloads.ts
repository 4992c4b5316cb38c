import { ruleLabel, type AlertHistoryEntry } from './history';

/**
 * The body each chat service's incoming webhook takes for one alert, as its documentation shows (pure; tested in
 * test/unit/alerts/webhookPayloads.test.ts), and how each says it accepted a message:
 * - Slack incoming webhook: `{ text }`; answers 200 `ok`.
 * - Discord webhook: `{ content }` (at most 2,000 characters); answers 204.
 * - Microsoft Teams (a Workflows "When a Teams webhook request is received" flow; the Office 365 connectors are
 *   retired): `{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content:
 *   <Adaptive Card> }] }`; answers 202.
 * - Feishu / Lark custom bot: `{ msg_type: 'text', content: { text } }`; answers 200 with `{ code: 0 }` (older
 *   bots `{ StatusCode: 0 }`), a non-zero code on error — also with HTTP 200.
 * - DingTalk custom robot: `{ msgtype: 'text', text: { content } }`; answers 200 `{ errcode: 0 }`.
 * - WeCom (企业微信) group robot: `{ msgtype: 'text', text: { content } }`; answers 200 `{ errcode: 0 }`.
 * - plain JSON: the history entry itself with `source: 'agentmeter'` and an ISO time.
 */
export const WEBHOOK_FORMATS = ['slack', 'discord', 'teams', 'feishu', 'dingtalk', 'wecom', 'json'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const WEBHOOK_FORMAT_LABELS: Record<WebhookFormat, string> = {
  slack: 'Slack',
  discord: 'Discord',
  teams: 'Microsoft Teams',
  feishu: 'Feishu / Lark',
  dingtalk: 'DingTalk',
  wecom: 'WeCom',
  json: 'Plain JSON',
};

/** The one-line text the chat formats send. */
export function alertText(e: AlertHistoryEntry): string {
  return `AgentMeter · ${ruleLabel(e.rule)}: ${e.message}`;
}

const DISCORD_MAX = 2000;

export function webhookPayload(format: WebhookFormat, e: AlertHistoryEntry): unknown {
  const text = alertText(e);
  switch (format) {
    case 'slack':
      return { text };
    case 'discord':
      return { content: text.length > DISCORD_MAX ? `${text.slice(0, DISCORD_MAX - 1)}…` : text };
    case 'teams':
      return {
        type: 'message',
        attachments: [{
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: `AgentMeter · ${ruleLabel(e.rule)}`, weight: 'Bolder', size: 'Medium', color: e.severity === 'error' ? 'Attention' : e.severity === 'warning' ? 'Warning' : 'Default' },
              { type: 'TextBlock', text: e.message, wrap: true },
            ],
          },
        }],
      };
    case 'feishu':
      return { msg_type: 'text', content: { text } };
    case 'dingtalk':
    case 'wecom':
      return { msgtype: 'text', text: { content: text } };
    case 'json':
      return {
        source: 'agentmeter',
        v: 1,
        time: new Date(e.timeMs).toISOString(),
        timeMs: e.timeMs,
        rule: e.rule,
        severity: e.severity,
        value: e.value,
        threshold: e.threshold,
        message: e.message,
        key: e.key,
      };
  }
}

export type WebhookOutcome = { ok: true } | { ok: false; retry: boolean; reason: string };

/** The services' "too many messages" codes inside a 200 answer (worth a retry later). */
const RATE_LIMIT_CODES: Partial<Record<WebhookFormat, readonly number[]>> = {
  feishu: [11232], // frequency limited
  dingtalk: [130101], // send too fast (20 a minute)
  wecom: [45009], // api freq out of limit
};

function bodyCode(format: WebhookFormat, body: string): { code: number; msg: string } | null {
  if (format !== 'feishu' && format !== 'dingtalk' && format !== 'wecom') return null;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!o || typeof o !== 'object') return null;
  const code = format === 'feishu' ? (o.code ?? o.StatusCode) : o.errcode;
  const msg = format === 'feishu' ? (o.msg ?? o.StatusMessage) : o.errmsg;
  return typeof code === 'number' ? { code, msg: typeof msg === 'string' ? msg : '' } : null;
}

/**
 * What an answer means: 2xx is accepted unless the body carries the service's error code; 408, 429 and 5xx are
 * worth retrying; any other 4xx is not (the URL or the message is wrong: the same request gets the same answer).
 */
export function webhookOutcome(format: WebhookFormat, status: number, body: string): WebhookOutcome {
  if (status >= 200 && status < 300) {
    const c = bodyCode(format, body);
    if (!c || c.code === 0) return { ok: true };
    return { ok: false, retry: RATE_LIMIT_CODES[format]?.includes(c.code) ?? false, reason: `answered code ${c.code}${c.msg ? ` (${c.msg})` : ''}` };
  }
  const snippet = body.trim().slice(0, 120);
  const reason = `answered HTTP ${status}${snippet ? ` (${snippet})` : ''}`;
  return { ok: false, retry: status === 408 || status === 429 || status >= 500, reason };
}
