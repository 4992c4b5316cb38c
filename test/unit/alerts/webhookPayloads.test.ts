import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WEBHOOK_FORMATS, webhookOutcome, webhookPayload } from '../../../src/app/alerts/webhookPayloads';
import type { AlertHistoryEntry } from '../../../src/app/alerts/history';

/** Each service's documented incoming-webhook body for one alert, and how each says it took (or refused) it. */
const entry: AlertHistoryEntry = {
  timeMs: Date.parse('2026-03-18T12:00:00Z'),
  rule: 'budget',
  severity: 'warning',
  value: 81.6,
  threshold: 80,
  message: 'Weekly budget: $3.26 of $4.00 spent (81%), past 80%.',
  key: 'budget:weekly:week:2026-03-16:80',
};
const TEXT = 'AgentMeter · Budget: Weekly budget: $3.26 of $4.00 spent (81%), past 80%.';

test('Slack: { text } (api.slack.com/messaging/webhooks)', () => {
  assert.deepEqual(webhookPayload('slack', entry), { text: TEXT });
});

test('Discord: { content } at most 2000 characters (discord.com/developers/docs/resources/webhook)', () => {
  assert.deepEqual(webhookPayload('discord', entry), { content: TEXT });
  const long = webhookPayload('discord', { ...entry, message: 'x'.repeat(3000) }) as { content: string };
  assert.equal(long.content.length, 2000);
  assert.ok(long.content.endsWith('…'));
});

test('Microsoft Teams (Workflows): a message with one Adaptive Card attachment', () => {
  const p = webhookPayload('teams', { ...entry, severity: 'error' }) as {
    type: string;
    attachments: { contentType: string; content: { type: string; version: string; body: { type: string; text: string; color?: string; wrap?: boolean }[] } }[];
  };
  assert.equal(p.type, 'message');
  assert.equal(p.attachments.length, 1);
  assert.equal(p.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
  const card = p.attachments[0].content;
  assert.equal(card.type, 'AdaptiveCard');
  assert.match(card.version, /^1\.\d$/);
  assert.deepEqual(card.body.map((b) => b.type), ['TextBlock', 'TextBlock']);
  assert.equal(card.body[0].text, 'AgentMeter · Budget');
  assert.equal(card.body[0].color, 'Attention');
  assert.equal(card.body[1].text, entry.message);
  assert.equal(card.body[1].wrap, true);
});

test('Feishu / Lark: { msg_type: "text", content: { text } }; DingTalk and WeCom: { msgtype: "text", text: { content } }', () => {
  assert.deepEqual(webhookPayload('feishu', entry), { msg_type: 'text', content: { text: TEXT } });
  assert.deepEqual(webhookPayload('dingtalk', entry), { msgtype: 'text', text: { content: TEXT } });
  assert.deepEqual(webhookPayload('wecom', entry), { msgtype: 'text', text: { content: TEXT } });
});

test('plain JSON: the history entry with source and ISO time', () => {
  assert.deepEqual(webhookPayload('json', entry), {
    source: 'agentmeter', v: 1, time: '2026-03-18T12:00:00.000Z', timeMs: entry.timeMs, rule: 'budget', severity: 'warning',
    value: 81.6, threshold: 80, message: entry.message, key: entry.key,
  });
  // every format's body is plain JSON
  for (const f of WEBHOOK_FORMATS) assert.deepEqual(JSON.parse(JSON.stringify(webhookPayload(f, entry))), webhookPayload(f, entry));
});

test('answers: 2xx accepted unless the body has the service error code; 408/429/5xx retried, other 4xx not', () => {
  assert.deepEqual(webhookOutcome('slack', 200, 'ok'), { ok: true });
  assert.deepEqual(webhookOutcome('discord', 204, ''), { ok: true });
  assert.deepEqual(webhookOutcome('teams', 202, ''), { ok: true });
  assert.deepEqual(webhookOutcome('feishu', 200, '{"code":0,"data":{},"msg":"success"}'), { ok: true });
  assert.deepEqual(webhookOutcome('feishu', 200, '{"StatusCode":0,"StatusMessage":"success"}'), { ok: true });
  assert.deepEqual(webhookOutcome('feishu', 200, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}'),
    { ok: false, retry: false, reason: 'answered code 19021 (sign match fail or timestamp is not within one hour from current time)' });
  assert.deepEqual(webhookOutcome('dingtalk', 200, '{"errcode":0,"errmsg":"ok"}'), { ok: true });
  assert.deepEqual(webhookOutcome('dingtalk', 200, '{"errcode":310000,"errmsg":"keywords not in content"}'), { ok: false, retry: false, reason: 'answered code 310000 (keywords not in content)' });
  assert.equal((webhookOutcome('dingtalk', 200, '{"errcode":130101,"errmsg":"send too fast"}') as { retry: boolean }).retry, true);
  assert.deepEqual(webhookOutcome('wecom', 200, '{"errcode":0,"errmsg":"ok"}'), { ok: true });
  assert.equal((webhookOutcome('wecom', 200, '{"errcode":45009,"errmsg":"api freq out of limit"}') as { retry: boolean }).retry, true);
  assert.deepEqual(webhookOutcome('slack', 404, 'no_service'), { ok: false, retry: false, reason: 'answered HTTP 404 (no_service)' });
  assert.equal((webhookOutcome('slack', 400, 'invalid_payload') as { retry: boolean }).retry, false);
  for (const s of [408, 429, 500, 502, 503]) assert.equal((webhookOutcome('json', s, '') as { retry: boolean }).retry, true, String(s));
});
