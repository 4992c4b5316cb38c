/**
 * Fast readers for the fixed layout in which the Codex CLI writes its rollout lines. Codex serialises them with
 * serde, so the keys come in declaration order and without spaces:
 *
 *   {"timestamp":"<ISO>"[,"ordinal":<int>],"type":"event_msg","payload":{"type":"token_count","info":<info>,"rate_limits":<value>}}
 *   <info> = null | {"total_token_usage":<u>,"last_token_usage":<u>[,"model_context_window":<int>|null]}
 *   <u>    = {"input_tokens":<int>,"cached_input_tokens":<int>[,"cache_write_input_tokens":<int>],"output_tokens":<int>,"reasoning_output_tokens":<int>,"total_tokens":<int>}
 *
 * A reader matches these bytes exactly and returns what `JSON.parse` would have returned for the parts the Codex
 * parser uses; anything else (another key order, spaces, escapes, a float, a big number, a missing or extra key)
 * returns `undefined` and the caller uses `JSON.parse`, which decides. The `rate_limits` value varies by version,
 * so it is left to `JSON.parse` (when its text repeats, as on re-emitted snapshots, the last parsed value is reused).
 * (A reader of current Codex's rate_limits layout from the bytes made the steady-state parse 15% faster but a cold
 * index 3% slower in CPU: native JSON.parse is fast from the first line, JS code only once compiled.)
 *
 * Why: a cold index of the bench corpus's Codex part spent about half of its parse time in `JSON.parse` of
 * `token_count` lines (~670 bytes each, dense with numbers) and in finding each line's type. With these readers the
 * Codex CLI run took 0.85 s instead of 0.99 s wall, 1.04 s instead of 1.18 s CPU (6 interleaved runs).
 */

const TIMESTAMP_HEAD = Buffer.from('{"timestamp":"');
const TYPE_AFTER_TS = Buffer.from(',"type":"');
const EVENT_PAYLOAD = Buffer.from('event_msg","payload":{"type":"');
const TOKEN_COUNT = Buffer.from('token_count"');
/** the event that applies a thread's settings (model, service tier) between turns */
const THREAD_SETTINGS = Buffer.from('thread_settings_applied"');
const TOKEN_COUNT_INFO = Buffer.from('token_count","info":');
const NULL = Buffer.from('null');
const TOTAL = Buffer.from('{"total_token_usage":');
const LAST = Buffer.from(',"last_token_usage":');
const WINDOW = Buffer.from(',"model_context_window":');
const RATE_LIMITS = Buffer.from(',"rate_limits":');
const USAGE_KEYS = ['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens', 'total_tokens'] as const;
const USAGE_KEY_BYTES = USAGE_KEYS.map((k, i) => Buffer.from(`${i === 0 ? '{' : ','}"${k}":`));
/** the optional key after cached_input_tokens (Codex ≥ 0.145) */
const CACHE_WRITE_KEY = Buffer.from(',"cache_write_input_tokens":');
/** Envelope types, the byte after the value's closing quote included. */
const KINDS: [Buffer, 'item' | 'event' | 'turn_context' | 'session_meta' | 'compacted'][] = [
  [Buffer.from('response_item"'), 'item'],
  [Buffer.from('event_msg"'), 'event'],
  [Buffer.from('turn_context"'), 'turn_context'],
  [Buffer.from('session_meta"'), 'session_meta'],
  [Buffer.from('compacted"'), 'compacted'],
];
const LONGEST_TIMESTAMP = 64;

/** What a line is, from its head (codexLineKind). */
export const CodexLine = {
  /** a line the parser does not use: another event, a response item that is no tool call, a compaction summary */
  Skip: 0,
  /** session_meta, turn_context, or an event_msg of type thread_settings_applied */
  Meta: 1,
  /** an event_msg whose payload type is token_count */
  TokenCount: 2,
  /** a response_item whose payload type is a tool call (function_call, custom_tool_call, local_shell_call, web_search_call) */
  ToolCall: 3,
  /** Codex's head, but not its usual type or payload layout: whether it is used is left to the marker search; no tool call */
  OddWanted: 4,
  /** a response_item whose item type is not plain: not used; whether it is a tool call is left to the marker search */
  OddItem: 5,
  /** another layout: both left to the marker search */
  Odd: 6,
} as const;
export type CodexLine = (typeof CodexLine)[keyof typeof CodexLine];

const RESPONSE_PAYLOAD = Buffer.from('response_item","payload":{"type":"');
const LONGEST_ITEM_TYPE = 40;
/** The tool-call item types (codex-rs/protocol/src/models.rs ResponseItem), the closing quote included. */
const TOOL_CALL_TYPES = ['function_call"', 'custom_tool_call"', 'local_shell_call"', 'web_search_call"'].map((t) => Buffer.from(t));

/**
 * What a line is, from `{"timestamp":"…","type":"<type>"` at its start (for an event, `,"payload":{"type":"…"` right
 * after; for a response item, its payload type): one pass over the head, no string built. Lines that start
 * differently are `Odd` (the caller searches them for markers).
 */
export function codexLineKind(b: Buffer, s: number, e: number): CodexLine {
  const tsEnd = timestampEnd(b, s, e);
  if (tsEnd < 0) return CodexLine.Odd;
  const p = typeAfterTimestamp(b, tsEnd, e);
  if (p < 0) return CodexLine.Odd;
  // one envelope type can match: the first byte picks which one to compare
  const c = p < e ? b[p] : 0;
  if (c === 0x72 /* r */ && literal(b, p, e, RESPONSE_PAYLOAD) >= 0) {
    const t = p + RESPONSE_PAYLOAD.length;
    for (const type of TOOL_CALL_TYPES) if (literal(b, t, e, type) >= 0) return CodexLine.ToolCall;
    const lim = Math.min(e, t + LONGEST_ITEM_TYPE);
    for (let i = t; i < lim; i++) {
      const x = b[i];
      if (x === 0x22) return CodexLine.Skip;
      if (x === 0x5c || x < 0x20 || x >= 0x7f) return CodexLine.OddItem;
    }
    return CodexLine.OddItem;
  }
  if (c === 0x65 /* e */ && literal(b, p, e, EVENT_PAYLOAD) >= 0) {
    const t = p + EVENT_PAYLOAD.length;
    return literal(b, t, e, TOKEN_COUNT) >= 0 ? CodexLine.TokenCount : literal(b, t, e, THREAD_SETTINGS) >= 0 ? CodexLine.Meta : CodexLine.Skip;
  }
  // the rest as before: which envelope type, then (for the two above) the payload's layout
  for (const [value, kind] of KINDS) {
    if (literal(b, p, e, value) < 0) continue;
    if (kind === 'session_meta' || kind === 'turn_context') return CodexLine.Meta;
    if (kind === 'event') return CodexLine.OddWanted; // its payload type is not where Codex puts it
    return CodexLine.Skip; // compacted, or a response item whose payload type is not where Codex puts it
  }
  return CodexLine.OddWanted;
}

/** The last `rate_limits` text seen and its parsed value (re-used while the text repeats). */
export interface RateLimitsMemo {
  text: string;
  value: unknown;
}

/**
 * A `token_count` line in the layout above, as `JSON.parse` would give it (only the keys listed there), or
 * undefined when the bytes do not match that layout exactly (the caller then uses JSON.parse).
 */
export function readTokenCountLine(b: Buffer, s: number, e: number, memo: RateLimitsMemo): Record<string, unknown> | undefined {
  const tsEnd = timestampEnd(b, s, e);
  if (tsEnd < 0) return undefined;
  let p = typeAfterTimestamp(b, tsEnd, e);
  if (p >= 0) p = literal(b, p, e, EVENT_PAYLOAD);
  if (p >= 0) p = literal(b, p, e, TOKEN_COUNT_INFO);
  if (p < 0) return undefined;
  let info: Record<string, unknown> | null = null;
  if (literal(b, p, e, NULL) >= 0) p += NULL.length;
  else {
    p = literal(b, p, e, TOTAL);
    const total = p < 0 ? undefined : readUsage(b, p, e);
    if (!total) return undefined;
    p = literal(b, total.end, e, LAST);
    const last = p < 0 ? undefined : readUsage(b, p, e);
    if (!last) return undefined;
    p = last.end;
    info = { total_token_usage: total.usage, last_token_usage: last.usage };
    const w = literal(b, p, e, WINDOW);
    if (w >= 0) {
      if (literal(b, w, e, NULL) >= 0) {
        info.model_context_window = null;
        p = w + NULL.length;
      } else {
        const n = readInt(b, w, e);
        if (n < 0) return undefined;
        info.model_context_window = intValue;
        p = n;
      }
    }
    if (p >= e || b[p] !== 0x7d /* } */) return undefined;
    p++;
  }
  const payload: Record<string, unknown> = { type: 'token_count', info };
  // the rest is `,"rate_limits":<value>}}` or `}}`; the value must be valid JSON (JSON.parse of its text)
  if (e - p === 2) {
    if (b[p] !== 0x7d || b[p + 1] !== 0x7d) return undefined;
  } else {
    const v = literal(b, p, e, RATE_LIMITS);
    // at least one byte of value (an empty text would match the memo's initial '') before the closing `}}`
    if (v < 0 || v > e - 3 || b[e - 1] !== 0x7d || b[e - 2] !== 0x7d) return undefined;
    const text = b.toString('utf8', v, e - 2);
    if (text !== memo.text) {
      try {
        memo.value = JSON.parse(text);
      } catch {
        return undefined;
      }
      memo.text = text;
    }
    payload.rate_limits = memo.value;
  }
  return { timestamp: b.toString('latin1', s + TIMESTAMP_HEAD.length, tsEnd), type: 'event_msg', payload };
}

const ORDINAL = Buffer.from(',"ordinal":');

/**
 * After the timestamp's closing quote at `tsEnd`: the index after `,"type":"`, with Codex ≥ 0.145's line number
 * between them (`{"timestamp":"…","ordinal":177,"type":"event_msg",…}`: ccusage/ccusage#1617's line, rollouts of
 * cli_version 0.145.0 in peers' fixtures); -1 for any other layout.
 */
function typeAfterTimestamp(b: Buffer, tsEnd: number, e: number): number {
  const p = literal(b, tsEnd + 1, e, TYPE_AFTER_TS);
  if (p >= 0) return p;
  const o = literal(b, tsEnd + 1, e, ORDINAL);
  if (o < 0) return -1;
  const n = readInt(b, o, e);
  return n < 0 ? -1 : literal(b, n, e, TYPE_AFTER_TS);
}

/** At `{"timestamp":"`: the index of the timestamp's closing quote; -1 unless it is plain printable ASCII. */
function timestampEnd(b: Buffer, s: number, e: number): number {
  const p = literal(b, s, e, TIMESTAMP_HEAD);
  if (p < 0) return -1;
  const lim = Math.min(e, p + LONGEST_TIMESTAMP);
  for (let i = p; i < lim; i++) {
    const c = b[i];
    if (c === 0x22) return i;
    if (c < 0x20 || c >= 0x7f || c === 0x5c) return -1; // control, non-ASCII or an escape: JSON.parse decides
  }
  return -1;
}

/** `lit` at b[p…] (within the line end e): the index after it, or -1. */
export function literal(b: Buffer, p: number, e: number, lit: Buffer): number {
  const n = lit.length;
  if (p < 0 || p + n > e) return -1;
  for (let i = 0; i < n; i++) if (b[p + i] !== lit[i]) return -1;
  return p + n;
}

let intValue = 0;

/**
 * A JSON integer of at most 15 digits without sign at b[p…] (exact as a double): its end index, the value in
 * `intValue`; -1 for anything else (a sign, fraction or exponent is left to JSON.parse).
 */
function readInt(b: Buffer, p: number, e: number): number {
  let c = p < e ? b[p] : 0;
  if (c < 0x30 || c > 0x39) return -1;
  let v = 0;
  const start = p;
  do {
    v = v * 10 + (c - 0x30);
    c = ++p < e ? b[p] : 0;
  } while (c >= 0x30 && c <= 0x39);
  const digits = p - start;
  if ((digits > 1 && b[start] === 0x30) || digits > 15 || c === 0x2e || c === 0x65 || c === 0x45) return -1;
  intValue = v;
  return p;
}

/** `{"input_tokens":…,"total_tokens":…}` at b[p…] with exactly the five keys (six with the cache writes) in serde's order. */
function readUsage(b: Buffer, p: number, e: number): { usage: Record<string, number>; end: number } | undefined {
  // the five values in locals, then one object literal: one shape for every usage (a store per key by its name from
  // a table was a megamorphic keyed store, the largest part of this function's time)
  p = usageInt(b, p, e, 0);
  const input = intValue;
  p = usageInt(b, p, e, 1);
  const cached = intValue;
  // Codex ≥ 0.145 writes the cache writes next (ccusage/ccusage#1617's line): read when there, as JSON.parse would
  let write = -1;
  const w = p < 0 ? -1 : literal(b, p, e, CACHE_WRITE_KEY);
  if (w >= 0) {
    p = readInt(b, w, e);
    write = intValue;
  }
  p = usageInt(b, p, e, 2);
  const output = intValue;
  p = usageInt(b, p, e, 3);
  const reasoning = intValue;
  p = usageInt(b, p, e, 4);
  if (p < 0 || p >= e || b[p] !== 0x7d) return undefined;
  const usage: Record<string, number> =
    write < 0
      ? { input_tokens: input, cached_input_tokens: cached, output_tokens: output, reasoning_output_tokens: reasoning, total_tokens: intValue }
      : { input_tokens: input, cached_input_tokens: cached, cache_write_input_tokens: write, output_tokens: output, reasoning_output_tokens: reasoning, total_tokens: intValue };
  return { usage, end: p + 1 };
}

/** The k-th usage key (USAGE_KEYS) and its integer at b[p…]: the end index, the value in `intValue`; -1 otherwise (or when p is). */
function usageInt(b: Buffer, p: number, e: number, k: number): number {
  if (p < 0) return -1;
  p = literal(b, p, e, USAGE_KEY_BYTES[k]);
  return p < 0 ? -1 : readInt(b, p, e);
}

