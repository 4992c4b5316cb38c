import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { webhookOutcome, webhookPayload, type WebhookFormat, type WebhookOutcome } from './webhookPayloads';
import type { AlertHistoryEntry } from './history';

export interface WebhookTarget {
  url: string;
  format: WebhookFormat;
}

/** A webhook URL must be http(s) with a host; anything else is refused where it is entered. */
export function validWebhookUrl(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'the URL must start with https:// (or http://)';
  if (!u.hostname) return 'the URL has no host';
  return null;
}

/** The URL without its path and query (webhook URLs carry their secret there): for the log. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/** 10000 → "10", 300 → "0.3" */
const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);

export interface PostResult {
  status: number;
  body: string;
}

/** One POST of a JSON body; rejects on a network error or when no answer came within `timeoutMs`. */
export function postJson(url: string, payload: unknown, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const u = new URL(url);
    const req = (u.protocol === 'http:' ? httpRequest : httpsRequest)(u, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'user-agent': 'AgentMeter' },
      timeout: timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < 65_536) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${seconds(timeoutMs)} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface SendOptions {
  /** waits before the 2nd, 3rd… attempt (default 2 s, 10 s, 60 s: four attempts) */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
  /** for tests: the waiting between attempts */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [2_000, 10_000, 60_000];
const DEFAULT_TIMEOUT_MS = 10_000;

export interface SendResult {
  ok: boolean;
  attempts: number;
  /** the last failure's reason; '' when sent */
  reason: string;
}

/**
 * Sends one alert to one webhook: retried with back-off after a timeout, a network error, 408, 429 or 5xx (and the
 * chat services' "too fast" codes); not after another 4xx. Every failure is logged (the URL without its secret
 * path); never throws. Callers do not await it on the editor's path.
 */
export async function sendAlert(target: WebhookTarget, entry: AlertHistoryEntry, opts: SendOptions = {}): Promise<SendResult> {
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.()));
  const log = opts.log ?? (() => {});
  const where = `${target.format} webhook ${redactedUrl(target.url)}`;
  const payload = webhookPayload(target.format, entry);
  let reason = '';
  for (let attempt = 1; ; attempt++) {
    let outcome: WebhookOutcome;
    try {
      const res = await postJson(target.url, payload, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      outcome = webhookOutcome(target.format, res.status, res.body);
    } catch (e) {
      outcome = { ok: false, retry: true, reason: e instanceof Error ? e.message : String(e) };
    }
    if (outcome.ok) {
      if (attempt > 1) log('info', `alert sent to the ${where} on attempt ${attempt}`);
      return { ok: true, attempts: attempt, reason: '' };
    }
    reason = outcome.reason;
    const wait = delays[attempt - 1];
    if (!outcome.retry || wait === undefined) {
      log('warn', `alert not sent to the ${where}: ${reason}${outcome.retry ? ` (gave up after ${attempt} attempts)` : ' (not retried)'}`);
      return { ok: false, attempts: attempt, reason };
    }
    log('warn', `alert not sent to the ${where}: ${reason}; trying again in ${seconds(wait)} s`);
    await sleep(wait);
  }
}
