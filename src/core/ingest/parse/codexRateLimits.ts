/**
 * The `rate_limits` value of a Codex token_count line read from its bytes, for the layout current Codex writes
 * (codex-rs protocol RateLimitSnapshot / RateLimitWindow, serde order, no spaces):
 *
 *   {"limit_id":<s>,"limit_name":<s>,"primary":<w>,"secondary":<w>,"credits":null,"plan_type":<s>}
 *   <w> = null | {"used_percent":<number>,"window_minutes":<int>|null,"resets_at":<int>|null}
 *   <s> = null | a string of printable ASCII without escapes
 *
 * The value is what `JSON.parse` gives for those bytes (the same keys in the same order, the same numbers); any other
 * bytes (another version's keys, credits that are not null, an escape, a space, an exponent, a number of more than 15
 * digits) give undefined and the caller leaves the text to `JSON.parse`, which decides.
 *
 * Numbers: a decimal of at most 15 digits is an integer M below 2^53 over 10^k (k ≤ 15), both exact doubles, and IEEE
 * division rounds the exact quotient correctly — the double JSON.parse gives (Clinger's fast path).
 *
 * Why: every token_count line carries one (~250 bytes) and its percentages and reset times change from line to line,
 * so decoding and `JSON.parse`-ing it was the largest part of reading such a line.
 */

const LIMIT_ID = Buffer.from('{"limit_id":');
const LIMIT_NAME = Buffer.from(',"limit_name":');
const PRIMARY = Buffer.from(',"primary":');
const SECONDARY = Buffer.from(',"secondary":');
const CREDITS_PLAN_TYPE = Buffer.from(',"credits":null,"plan_type":');
const USED_PERCENT = Buffer.from('{"used_percent":');
const WINDOW_MINUTES = Buffer.from(',"window_minutes":');
const RESETS_AT = Buffer.from(',"resets_at":');
const NULL = Buffer.from('null');

const MAX_DIGITS = 15;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Where the last part read ended, -1 when it did not match (a second return value without an allocation). */
let end = 0;

export interface CodexRateLimitWindow {
  used_percent: number;
  window_minutes: number | null;
  resets_at: number | null;
}

export interface CodexRateLimits {
  limit_id: string | null;
  limit_name: string | null;
  primary: CodexRateLimitWindow | null;
  secondary: CodexRateLimitWindow | null;
  credits: null;
  plan_type: string | null;
}

/** The value of the bytes [p, e) of `b` as JSON.parse gives it, when they are in the layout above; else undefined. */
export function readCodexRateLimits(b: Uint8Array, p: number, e: number): CodexRateLimits | undefined {
  const limitId = stringOrNull(b, at(b, p, e, LIMIT_ID), e, LIMIT_ID_SEEN);
  const limitName = stringOrNull(b, at(b, end, e, LIMIT_NAME), e, LIMIT_NAME_SEEN);
  const primary = windowOrNull(b, at(b, end, e, PRIMARY), e);
  const secondary = windowOrNull(b, at(b, end, e, SECONDARY), e);
  const planType = stringOrNull(b, at(b, end, e, CREDITS_PLAN_TYPE), e, PLAN_TYPE_SEEN);
  if (end !== e - 1 || b[end] !== 0x7d /* } */) return undefined;
  if (limitId === undefined || limitName === undefined || primary === undefined || secondary === undefined || planType === undefined) return undefined;
  return { limit_id: limitId, limit_name: limitName, primary, secondary, credits: null, plan_type: planType };
}

/** `lit` at b[p…] (p may be -1): the index after it, or -1. */
function at(b: Uint8Array, p: number, e: number, lit: Uint8Array): number {
  const n = lit.length;
  if (p < 0 || p + n > e) return -1;
  for (let i = 0; i < n; i++) if (b[p + i] !== lit[i]) return -1;
  return p + n;
}

function windowOrNull(b: Uint8Array, p: number, e: number): CodexRateLimitWindow | null | undefined {
  end = -1;
  if (p < 0) return undefined;
  const n = at(b, p, e, NULL);
  if (n >= 0) {
    end = n;
    return null;
  }
  const usedPercent = number(b, at(b, p, e, USED_PERCENT), e);
  const windowMinutes = numberOrNull(b, at(b, end, e, WINDOW_MINUTES), e);
  const resetsAt = numberOrNull(b, at(b, end, e, RESETS_AT), e);
  if (end < 0 || end >= e || b[end] !== 0x7d || usedPercent === undefined || windowMinutes === undefined || resetsAt === undefined) {
    end = -1;
    return undefined;
  }
  end++;
  return { used_percent: usedPercent, window_minutes: windowMinutes, resets_at: resetsAt };
}

function numberOrNull(b: Uint8Array, p: number, e: number): number | null | undefined {
  end = -1;
  if (p < 0) return undefined;
  const n = at(b, p, e, NULL);
  if (n >= 0) {
    end = n;
    return null;
  }
  return number(b, p, e);
}

/** A JSON number at b[p]: -?(0|[1-9][0-9]*)(.[0-9]+)?, at most 15 digits, no exponent; `end` after it. */
function number(b: Uint8Array, p: number, e: number): number | undefined {
  end = -1;
  if (p < 0 || p >= e) return undefined;
  const neg = b[p] === 0x2d;
  if (neg) p++;
  const c = p < e ? b[p] : 0;
  if (c < 0x30 || c > 0x39) return undefined;
  let m = 0;
  let digits = 0;
  if (c === 0x30) {
    p++;
    digits = 1;
  } else {
    while (p < e && isDigit(b[p])) {
      m = m * 10 + (b[p] - 0x30);
      digits++;
      p++;
    }
  }
  let k = 0;
  if (p < e && b[p] === 0x2e /* . */) {
    p++;
    while (p < e && isDigit(b[p])) {
      m = m * 10 + (b[p] - 0x30);
      k++;
      p++;
    }
    if (k === 0) return undefined;
  }
  if (digits + k > MAX_DIGITS) return undefined;
  if (p < e && (b[p] === 0x65 || b[p] === 0x45 || isDigit(b[p]))) return undefined; // an exponent, or a digit after a leading 0
  end = p;
  const v = k === 0 ? m : m / POW10[k];
  return neg ? -v : v;
}

/** A field's last string and its bytes (limit_id and plan_type repeat on every line: one string, not one per line). */
interface Seen {
  bytes: Uint8Array;
  text: string;
}
const LIMIT_ID_SEEN: Seen = { bytes: new Uint8Array(0), text: '' };
const LIMIT_NAME_SEEN: Seen = { bytes: new Uint8Array(0), text: '' };
const PLAN_TYPE_SEEN: Seen = { bytes: new Uint8Array(0), text: '' };

/** null, or a string of printable ASCII without escapes, at b[p]; `end` after it. */
function stringOrNull(b: Uint8Array, p: number, e: number, seen: Seen): string | null | undefined {
  end = -1;
  if (p < 0 || p >= e) return undefined;
  if (b[p] !== 0x22) {
    const n = at(b, p, e, NULL);
    if (n < 0) return undefined;
    end = n;
    return null;
  }
  const s = p + 1;
  let q = s;
  for (;;) {
    if (q >= e) return undefined;
    const c = b[q];
    if (c === 0x22) break;
    if (c < 0x20 || c >= 0x7f || c === 0x5c) return undefined; // control (invalid), not ASCII or an escape: JSON.parse decides
    q++;
  }
  end = q + 1;
  const n = q - s;
  const last = seen.bytes;
  if (n === last.length) {
    let i = 0;
    while (i < n && last[i] === b[s + i]) i++;
    if (i === n) return seen.text;
  }
  seen.text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', s, q);
  seen.bytes = Uint8Array.from(b.subarray(s, q)); // a copy: the read buffer is re-used
  return seen.text;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
