import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redactedUrl, sendAlert, validWebhookUrl } from '../../../src/app/alerts/webhookSender';
import type { AlertHistoryEntry } from '../../../src/app/alerts/history';

/**
 * Sending to a webhook on a local HTTP server (loopback): the body each format posts, retries after 5xx, 429 and a
 * server that never answers, none after another 4xx, and every failure logged without the URL's secret path.
 */
const entry: AlertHistoryEntry = {
  timeMs: Date.parse('2026-03-18T12:00:00Z'), rule: 'codexQuota', severity: 'warning', value: 83, threshold: 80,
  message: 'Codex 5h quota at 83% (past 80%). Resets in 1h 30m.', key: 'codex:primary:5h@1:80',
};

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_q, _b, res) => res.end('ok');
const received: { path: string; contentType: string | undefined; body: string }[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body });
    handler(req, body, res);
  });
});
const ready = new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
after(() => {
  server.closeAllConnections();
  server.close();
});

const noWait = { sleep: async () => {}, retryDelaysMs: [10, 20, 30] };

test('posts the format\'s JSON body; a 2xx answer is one attempt', async () => {
  const base = await ready;
  received.length = 0;
  handler = (_q, _b, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"errcode":0,"errmsg":"ok"}'); };
  const r = await sendAlert({ url: `${base}/cgi-bin/webhook/send?key=SECRET`, format: 'wecom' }, entry, noWait);
  assert.deepEqual(r, { ok: true, attempts: 1, reason: '' });
  assert.equal(received.length, 1);
  assert.equal(received[0].path, '/cgi-bin/webhook/send?key=SECRET');
  assert.match(received[0].contentType ?? '', /^application\/json/);
  assert.deepEqual(JSON.parse(received[0].body), { msgtype: 'text', text: { content: `AgentMeter · Codex quota: ${entry.message}` } });
});

test('5xx then 429 then 200: retried with the back-off waits, logged each time, sent on the third attempt', async () => {
  const base = await ready;
  received.length = 0;
  const answers = [503, 429, 200];
  handler = (_q, _b, res) => { res.writeHead(answers.shift()!); res.end(); };
  const waits: number[] = [];
  const logs: string[] = [];
  const r = await sendAlert({ url: `${base}/hooks/T000/B000/SECRET`, format: 'slack' }, entry, {
    retryDelaysMs: [10, 20, 30], sleep: async (ms) => void waits.push(ms), log: (lvl, m) => logs.push(`${lvl} ${m}`),
  });
  assert.deepEqual(r, { ok: true, attempts: 3, reason: '' });
  assert.equal(received.length, 3);
  assert.deepEqual(waits, [10, 20]);
  assert.equal(logs.length, 3);
  assert.match(logs[0], /^warn alert not sent to the slack webhook http:\/\/127\.0\.0\.1:\d+\/…: answered HTTP 503; trying again in 0 s$/);
  assert.match(logs[2], /^info alert sent .* on attempt 3$/);
  assert.ok(logs.every((l) => !l.includes('SECRET')));
});

test('a 404 is not retried; a server that always fails is given up after the last delay', async () => {
  const base = await ready;
  received.length = 0;
  handler = (_q, _b, res) => { res.writeHead(404); res.end('no_service'); };
  const logs: string[] = [];
  const r1 = await sendAlert({ url: `${base}/x`, format: 'slack' }, entry, { ...noWait, log: (_l, m) => logs.push(m) });
  assert.deepEqual(r1, { ok: false, attempts: 1, reason: 'answered HTTP 404 (no_service)' });
  assert.match(logs[0], /\(not retried\)$/);

  received.length = 0;
  handler = (_q, _b, res) => { res.writeHead(500); res.end('boom'); };
  const r2 = await sendAlert({ url: `${base}/x`, format: 'json' }, entry, noWait);
  assert.deepEqual(r2, { ok: false, attempts: 4, reason: 'answered HTTP 500 (boom)' });
  assert.equal(received.length, 4);
});

test('a server that never answers times out and is retried; a refused connection is retried too', async () => {
  const base = await ready;
  received.length = 0;
  let calls = 0;
  handler = (_q, _b, res) => { if (++calls === 2) res.end('ok'); /* else: never answers */ };
  const logs: string[] = [];
  const r = await sendAlert({ url: `${base}/slow`, format: 'slack' }, entry, { ...noWait, timeoutMs: 300, log: (_l, m) => logs.push(m) });
  assert.equal(r.ok, true);
  assert.ok(r.attempts >= 2, String(r.attempts)); // (a loaded machine may time out the answered one too)
  assert.match(logs[0], /no answer within 0\.3 s; trying again in 0 s$/);

  // a port nothing listens on (bound, then closed)
  const closed = createServer();
  const port = await new Promise<number>((res) => closed.listen(0, '127.0.0.1', () => res((closed.address() as AddressInfo).port)));
  await new Promise((res) => closed.close(res));
  const r2 = await sendAlert({ url: `http://127.0.0.1:${port}/`, format: 'slack' }, entry, { sleep: async () => {}, retryDelaysMs: [1] });
  assert.equal(r2.ok, false);
  assert.equal(r2.attempts, 2);
  assert.match(r2.reason, /ECONNREFUSED/);
});

test('URLs: only http(s) accepted; the log shows scheme and host only', () => {
  assert.equal(validWebhookUrl('https://hooks.slack.com/services/T/B/X'), null);
  assert.equal(validWebhookUrl('ftp://example.com/x'), 'the URL must start with https:// (or http://)');
  assert.equal(validWebhookUrl('hooks.slack.com/services'), 'not a URL');
  assert.equal(redactedUrl('https://oapi.dingtalk.com/robot/send?access_token=abc'), 'https://oapi.dingtalk.com/…');
});
