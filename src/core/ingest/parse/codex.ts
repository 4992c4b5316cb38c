import { hash53 } from '../../hash';
import type { RateLimitSnapshot, RateLimitWindow } from '../../types';
import { lineEnd, lineStart, looksLikeObject } from '../tailer';
import type { CodexFileState, CodexUsageRecord } from '../records';
import { count } from './claude';
import { CodexLine, codexLineKind, literal, readTokenCountLine, type RateLimitsMemo } from './codexLayout';
import { logTimestampMs } from './timestamp';
import { compileFieldSpec } from './selectiveJson';
import { FieldReader } from './wasmFieldReader';
import { classifyActivity } from '../../activity';
import { FLEX_SERVICE_TIER } from '../../pricing/flexTier';

/**
 * Codex CLI rollout parser (one block of complete lines at a time).
 *
 * Hot path: the line head decides: `session_meta`, `turn_context` and `event_msg` lines whose payload type is
 * `token_count` are parsed; `response_item`/`compacted`/other event lines are not. Heads in Codex's own layout are
 * read byte by byte (codexLayout.ts), other heads by a search of their first 256 bytes, and a line with an unknown
 * head falls back to a marker search of the whole line. token_count lines in Codex's layout are read by
 * codexLayout.ts; other lines, and any line that does not fit that layout exactly, go through JSON.parse.
 *
 * Rules applied (formats note B.2–B.6, D.8–D.9):
 * - usage = per-file change of the cumulative `info.total_token_usage`; an unchanged snapshot (re-emitted) is
 *   skipped and counted as a duplicate; a decrease is a reset (use `last_token_usage`); `info: null` is not usage;
 *   no totals → `last_token_usage`;
 * - `cached_input_tokens` and `cache_write_input_tokens` are parts of `input_tokens`, `reasoning_output_tokens` part
 *   of `output_tokens`: normalised input = input − cached − cache writes (≥ 0), cacheRead = cached, cache writes
 *   apart, output = output, reasoning kept for display;
 * - model = latest `turn_context.payload.model` (or a model on the event), else `gpt-5` flagged as fallback;
 * - each counted event carries hash(timestamp + totals) so history replayed into forks/subagents/archives is
 *   counted once (apply.ts); the per-file previous total advances either way;
 * - a forked or spawned thread's file (`session_meta` with `forked_from_id`, `parent_thread_id`, `source.subagent` or
 *   `thread_source: "subagent"`) replays the parent's history in a burst right after its session_meta, with new
 *   timestamps: token_count events of that burst are not counted, and its first total without a replay before it
 *   counts its `last_token_usage` (the counter starts from the parent's: firstOfFork). The
 *   burst lasts while each parsed line comes less than BURST_GAP_MS after the burst's newest line (ccusage#950
 *   takes the session_meta's calendar second, which misses a burst that crosses into the next second);
 * - a cumulative total that rose but cannot be an increment (more new cached than new input, or more new
 *   reasoning than new output) is a restarted counter too: `last_token_usage` is the call's usage;
 * - activity (core/activity.ts): Codex records each item of a model response when it is done and the response's
 *   token_count when it completes (openai/codex codex-rs/core/src/codex.rs, the sampling loop: every
 *   `ResponseEvent::OutputItemDone` item is recorded to the rollout; `ResponseEvent::Completed` records the token usage
 *   and emits the TokenCount event), so the tool calls (`response_item` lines of type
 *   function_call, custom_tool_call, local_shell_call, web_search_call) since the previous counted token_count are
 *   the tools of the call it counts. They are kept in the file state across reads, dropped at a turn_context (a new
 *   turn: an aborted response's calls are not the next one's); a re-emitted snapshot does not take them. Only the
 *   head of a response_item line is read, and only tool-call items further (their `name` / `namespace`, by the
 *   field reader: arguments and patches are stepped over). A thread_spawn subagent's calls are `subagent/…`.
 */
export const FALLBACK_MODEL = 'gpt-5';
const HEAD = 256;
/**
 * A replay is written in one go (lines ms apart); the subagent's own first token_count follows an API call, which
 * takes longer than this after the turn_context written before it.
 */
export const BURST_GAP_MS = 1000;
const TYPE_KEY = Buffer.from('"type":"');
const PAYLOAD_TYPE = Buffer.from('"payload":{"type":"');
const V_EVENT = Buffer.from('event_msg"');
const V_TOKEN = Buffer.from('token_count"');
const V_SESSION = Buffer.from('session_meta"');
const V_TURN = Buffer.from('turn_context"');
const V_RESPONSE = Buffer.from('response_item"');
const V_COMPACTED = Buffer.from('compacted"');
const M_TOKEN = Buffer.from('"token_count"');
const M_TURN = Buffer.from('"turn_context"');
const M_SESSION = Buffer.from('"session_meta"');
const V_SETTINGS = Buffer.from('thread_settings_applied"');
const M_SETTINGS = Buffer.from('"thread_settings_applied"');

export interface CodexParseOutput {
  events: CodexUsageRecord[];
  rateLimits: RateLimitSnapshot[];
  malformed: number;
  duplicates: number;
  fallbackModelEvents: number;
  state: CodexFileState;
}

export function parseCodexBlock(buf: Buffer, start: number, out: CodexParseOutput): void {
  const end = buf.length;
  let pos = start;
  while (pos < end) {
    let nl = buf.indexOf(0x0a, pos);
    if (nl < 0) nl = end;
    const s = lineStart(buf, pos, nl);
    const e = lineEnd(buf, s, nl);
    pos = nl + 1;
    if (s === e) continue;
    if (!looksLikeObject(buf, s, e)) {
      out.malformed++;
      continue;
    }
    const kind = codexLineKind(buf, s, e);
    if (kind === CodexLine.Skip) continue;
    if (kind === CodexLine.TokenCount || kind === CodexLine.Meta || ((kind === CodexLine.OddWanted || kind === CodexLine.Odd) && wantedByMarkers(buf, s, e))) {
      parseLine(buf, s, e, out, kind);
    } else if (kind === CodexLine.ToolCall || ((kind === CodexLine.OddItem || kind === CodexLine.Odd) && toolCallByMarkers(buf, s, e))) {
      readToolCall(buf, s, e, out);
    }
  }
}

const TOOL_CALL_TYPES: ReadonlySet<string> = new Set(['function_call', 'custom_tool_call', 'local_shell_call', 'web_search_call']);
const M_RESPONSE = Buffer.from('"response_item"');
const M_CALL = Buffer.from('_call"');

/** A response_item line of a tool call, in a layout other than Codex's own (by markers; readToolCall decides). */
function toolCallByMarkers(buf: Buffer, s: number, e: number): boolean {
  const line = buf.subarray(s, e);
  return line.indexOf(M_RESPONSE) >= 0 && line.indexOf(M_CALL) >= 0;
}

/**
 * The fields of a tool-call item read (codex-rs/protocol/src/models.rs: ResponseItem::FunctionCall { name, namespace,
 * arguments, call_id }, CustomToolCall { name, input }, LocalShellCall { action }, WebSearchCall { action }).
 */
const toolCallFields = new FieldReader(compileFieldSpec({ type: true, payload: { type: true, name: true, namespace: true } }));

/**
 * Adds a tool-call item's tool name to the file state's pending tools (each name once: the class needs no more, and
 * the state stays small). A line that is not valid JSON is skipped without being counted as malformed: it carries no
 * usage, and the skipped-line counts stay what they were before tools were read.
 */
function readToolCall(buf: Buffer, s: number, e: number, out: CodexParseOutput): void {
  let obj: any = toolCallFields.read(buf, s, e);
  if (obj === undefined) {
    try {
      obj = JSON.parse(buf.toString('utf8', s, e));
    } catch {
      return;
    }
  }
  const p = obj !== null && typeof obj === 'object' && obj.type === 'response_item' ? obj.payload : undefined;
  if (p === null || typeof p !== 'object' || !TOOL_CALL_TYPES.has(p.type)) return;
  const name = toolNameOf(p);
  out.state.tools ??= [];
  if (!out.state.tools.includes(name)) out.state.tools.push(name);
}

/**
 * The tool an item called: a function or custom tool by its name (an MCP tool's namespace `mcp__<server>` joined to
 * it with `__`, Codex's MCP_TOOL_NAME_DELIMITER), `local_shell` for a local_shell_call, `web_search` for a
 * web_search_call.
 */
export function toolNameOf(p: { type?: unknown; name?: unknown; namespace?: unknown }): string {
  if (p.type === 'local_shell_call') return 'local_shell';
  if (p.type === 'web_search_call') return 'web_search';
  const name = typeof p.name === 'string' && p.name ? p.name : 'unknown';
  return typeof p.namespace === 'string' && p.namespace ? `${p.namespace}__${name}` : name;
}

/**
 * Whether a line whose head is not in Codex's layout (or whose event payload is not where Codex puts it) can
 * matter: the envelope `"type":"…"` (the first one in the head), and for event_msg the `"payload":{"type":"…"`
 * after it; when those are not found either, the markers anywhere in the line.
 */
function wantedByMarkers(buf: Buffer, s: number, e: number): boolean {
  const headEnd = Math.min(e, s + HEAD);
  const head = buf.subarray(s, headEnd);
  const t = head.indexOf(TYPE_KEY);
  if (t >= 0) {
    const at = s + t + TYPE_KEY.length;
    if (literal(buf, at, e, V_EVENT) >= 0) {
      const pt = head.indexOf(PAYLOAD_TYPE, t);
      if (pt >= 0) {
        const at2 = s + pt + PAYLOAD_TYPE.length;
        return literal(buf, at2, e, V_TOKEN) >= 0 || literal(buf, at2, e, V_SETTINGS) >= 0;
      }
    } else if (literal(buf, at, e, V_RESPONSE) >= 0 || literal(buf, at, e, V_COMPACTED) >= 0) return false;
    else if (literal(buf, at, e, V_TURN) >= 0 || literal(buf, at, e, V_SESSION) >= 0) return true;
  }
  // odd layout (keys in another order, spaces): look for the markers anywhere in the line
  const line = buf.subarray(s, e);
  return line.indexOf(M_TOKEN) >= 0 || line.indexOf(M_TURN) >= 0 || line.indexOf(M_SESSION) >= 0 || line.indexOf(M_SETTINGS) >= 0;
}

/**
 * The fields of session_meta and turn_context lines the parser uses (read by the selective reader: a session_meta
 * line carries its base instructions, ~20 KB, which are stepped over instead of built).
 */
const metaFields = new FieldReader(
  compileFieldSpec({
    timestamp: true,
    type: true,
    payload: {
      type: true,
      cwd: true,
      git: { branch: true },
      source: { subagent: true },
      forked_from_id: true,
      parent_thread_id: true,
      thread_source: true,
      model: true,
      collaboration_mode: { settings: { model: true } },
      service_tier: true,
      thread_settings: { model: true, service_tier: true },
    },
  }),
);

/** The last rate_limits text of a token_count line and its value (codexLayout.ts; values are only read). */
const rateLimitsMemo: RateLimitsMemo = { text: '', value: undefined };

function parseLine(buf: Buffer, s: number, e: number, out: CodexParseOutput, kind: CodexLine): void {
  let obj: any = kind === CodexLine.TokenCount ? readTokenCountLine(buf, s, e, rateLimitsMemo) : kind === CodexLine.Meta ? metaFields.read(buf, s, e) : undefined;
  if (obj === undefined) {
    try {
      obj = JSON.parse(buf.toString('utf8', s, e));
    } catch {
      out.malformed++;
      return;
    }
  }
  if (obj === null || typeof obj !== 'object') return;
  const p = obj.payload !== null && typeof obj.payload === 'object' ? obj.payload : undefined;
  if (!p) return;
  const st = out.state;
  if (obj.type === 'session_meta') {
    // The first session_meta of a file is its own; later ones belong to replayed history.
    if (st.project === undefined) {
      st.project = typeof p.cwd === 'string' && p.cwd ? p.cwd : '(unknown)';
      st.branch = p.git && typeof p.git === 'object' && typeof p.git.branch === 'string' ? p.git.branch : '';
      const start = logTimestampMs(obj.timestamp);
      if (Number.isFinite(start)) st.startMs = start;
      const spawned = !!(p.source && typeof p.source === 'object' && p.source.subagent);
      if (spawned) st.subagent = true;
      // A forked or spawned thread's rollout (`forked_from_id`: `codex fork`, Desktop forks, subagents; a spawned
      // subagent's `parent_thread_id` / `source.subagent`) starts with the parent's history replayed right after its
      // session_meta, written in one go under new timestamps (openai/codex core session `record_initial_history`:
      // InitialHistory::Forked → persist_rollout_items; rollout/src/recorder.rs at b505ee80, JsonlWriter stamps each
      // line with the time it is written): token_count events of that burst are not the thread's usage (BURST_GAP_MS;
      // ccusage#950 for subagents, ccusage#1370 and PokeTokenBar#128 for `codex fork`). Its token counter starts from
      // the parent's (`set_token_info(last_token_info_from_rollout(…))`): see `firstOfFork`.
      if (spawned || str(p.forked_from_id) || str(p.parent_thread_id) || p.thread_source === 'subagent') {
        st.fork = true;
        if (Number.isFinite(start)) st.burstMs = start;
      }
    }
    return;
  }
  if (st.burst !== undefined) {
    // state stored by an older version: the burst's second (its last millisecond is the newest the burst can have had)
    const second = Date.parse(`${st.burst}Z`);
    if (Number.isFinite(second) && st.burstMs === undefined) st.burstMs = second + 999;
    delete st.burst;
  }
  if (st.burstMs !== undefined) {
    const t = logTimestampMs(obj.timestamp);
    if (Number.isFinite(t) && t - st.burstMs < BURST_GAP_MS) st.burstMs = Math.max(st.burstMs, t);
    else delete st.burstMs;
  }
  if (obj.type === 'turn_context') {
    const m = str(p.model) ?? str(p.collaboration_mode?.settings?.model);
    if (m) st.model = m;
    applyServiceTier(st, p.service_tier);
    delete st.tools; // a new turn: tool calls of a response that never completed are not the next call's
    return;
  }
  if (obj.type === 'event_msg' && p.type === 'thread_settings_applied') {
    // the thread's settings as applied (model, service tier); nested under thread_settings, or (older) at the top
    const set = p.thread_settings !== null && typeof p.thread_settings === 'object' ? p.thread_settings : p;
    const m = str(set.model);
    if (m) st.model = m;
    applyServiceTier(st, set.service_tier);
    return;
  }
  if (obj.type !== 'event_msg' || p.type !== 'token_count') return;
  const ts = logTimestampMs(obj.timestamp);
  if (!Number.isFinite(ts)) {
    out.malformed++;
    return;
  }
  // A snapshot with neither window (e.g. `limit_id:"premium"` lines) says nothing about the quota and must not hide
  // the last real one; a replay burst's snapshots are the parent's old values under new timestamps.
  if (p.rate_limits && typeof p.rate_limits === 'object' && st.burstMs === undefined) {
    const snapshot = rateLimitSnapshot(p.rate_limits, ts);
    if (snapshot.primary || snapshot.secondary) out.rateLimits.push(snapshot);
  }

  const info = p.info;
  if (info === null || typeof info !== 'object') return; // info:null = rate-limit-only refresh, not usage
  const total = tuple(info.total_token_usage);
  const last = tuple(info.last_token_usage);
  let delta: Tuple | undefined;
  let key: string;
  if (total) {
    const prev = st.prev;
    if (prev && sameTotals(total, prev)) {
      out.duplicates++; // re-emitted snapshot
      return;
    }
    if (!prev) delta = st.fork ? firstOfFork(total, last) : total;
    else if (isIncrement(prev, total)) {
      delta = [total[0] - prev[0], total[1] - prev[1], total[2] - prev[2], total[3] - prev[3], total[4] - prev[4], total[5] - (prev[5] ?? 0)];
    } else delta = last ?? total; // the counter restarted (went down, or rose in a way no call can)
    // the cache-write total only when there is one (the state of a file without writes stays as it was)
    st.prev = total[5] > 0 ? total : [total[0], total[1], total[2], total[3], total[4]];
    if (st.burstMs !== undefined) {
      delete st.tools;
      out.duplicates++; // replayed parent history (advances the previous total, not counted)
      return;
    }
    // the key of the five counters Codex always wrote (keys stored by earlier versions stay the same)
    key = `${obj.timestamp}|${total[0]},${total[1]},${total[2]},${total[3]},${total[4]}`;
  } else if (last) {
    if (st.burstMs !== undefined) {
      delete st.tools;
      out.duplicates++;
      return;
    }
    delta = last;
    key = `${obj.timestamp}|last|${last[0]},${last[1]},${last[2]},${last[3]},${last[4]}`;
  } else return;
  const tools = st.tools ?? [];
  delete st.tools;
  if (delta[0] === 0 && delta[1] === 0 && delta[2] === 0 && delta[3] === 0) return;

  let model = str(info.model) ?? str(info.model_name) ?? str(info.metadata?.model) ?? str(p.model) ?? st.model;
  let fallbackModel = false;
  if (!model) {
    model = FALLBACK_MODEL;
    fallbackModel = true;
    out.fallbackModelEvents++;
  }
  out.events.push({
    h: hash53(key),
    ts,
    model,
    fallbackModel,
    replayed: st.startMs !== undefined && ts < st.startMs,
    ...(st.fast ? { fast: true } : st.flex ? { flex: true } : {}),
    project: st.project ?? '(unknown)',
    branch: st.branch ?? '',
    input: Math.max(0, delta[0] - delta[1] - delta[5]),
    cacheRead: delta[1],
    cacheWrite: delta[5],
    output: delta[2],
    reasoning: delta[3],
    activity: classifyActivity('codex', tools, st.subagent === true),
  });
}

/** [input (incl. cached and cache writes), cached, output (incl. reasoning), reasoning, total, cache writes] */
type Tuple = [number, number, number, number, number, number];

/**
 * A usage object. `cache_write_input_tokens` (Codex ≥ 0.145, from the Responses API's
 * `input_tokens_details.cache_write_tokens`) is part of `input_tokens` like `cached_input_tokens`
 * (ccusage/ccusage#1617, openai/codex#32479; rimio-ai/rimz#66: "input_tokens 100 = cached 40 + cache_write 60").
 */
function tuple(u: any): Tuple | undefined {
  if (u === null || typeof u !== 'object') return undefined;
  const input = count(u.input_tokens);
  const output = count(u.output_tokens);
  const total = typeof u.total_tokens === 'number' ? count(u.total_tokens) : input + output;
  return [input, count(u.cached_input_tokens), output, count(u.reasoning_output_tokens), total, count(u.cache_write_input_tokens)];
}

/**
 * The usage of a fork's first cumulative total (no replayed one before it): Codex seeds a forked or spawned thread's
 * token counter with the parent's last totals (openai/codex core session `record_initial_history`, Forked and
 * Resumed: `state.set_token_info(Self::last_token_info_from_rollout(&rollout_items))`), so when the replay carried no
 * token_count (a subagent of Codex Desktop 0.148–0.153: its first total was about 3.16 G tokens, nearly all the parent's,
 * steipete/CodexBar#3524) that total is mostly the parent's; its `last_token_usage` is the call. A counter that
 * started from zero (total = last) is the same either way; without a usable last (none, zero, or not inside the
 * total) the total counts.
 */
function firstOfFork(total: Tuple, last: Tuple | undefined): Tuple {
  if (!last || (last[0] === 0 && last[2] === 0)) return total;
  const inside = last[0] <= total[0] && last[1] <= total[1] && last[2] <= total[2] && last[3] <= total[3] && last[5] <= total[5];
  return inside ? last : total;
}

/**
 * Whether `total` can be `prev` plus calls: no counter went down, the new cached input fits in the new input and the
 * new reasoning in the new output (cached ⊂ input, reasoning ⊂ output).
 */
function isIncrement(prev: readonly number[], total: Tuple): boolean {
  const dIn = total[0] - prev[0];
  const dCached = total[1] - prev[1];
  const dOut = total[2] - prev[2];
  const dReasoning = total[3] - prev[3];
  const dWrite = total[5] - (prev[5] ?? 0);
  return dIn >= 0 && dCached >= 0 && dOut >= 0 && dReasoning >= 0 && dWrite >= 0 && dCached + dWrite <= dIn && dReasoning <= dOut;
}

function sameTotals(a: Tuple, b: readonly number[]): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/**
 * Codex's Fast mode is the `priority` service tier (`fast` in older builds; openai/codex codex-rs/core/src/client.rs),
 * its Flex mode the `flex` service tier (OpenAI's Flex processing, pricing/flexTier.ts), set per thread by
 * `thread_settings_applied` (or a turn_context carrying `service_tier`): calls after it are billed at the model's fast
 * / Flex rates until a setting says otherwise (`default`, `auto`, or the other one). Absent: unchanged.
 */
function applyServiceTier(st: CodexFileState, tier: unknown): void {
  if (typeof tier !== 'string') return;
  const t = tier.trim().toLowerCase();
  delete st.fast;
  delete st.flex;
  if (t === 'priority' || t === 'fast') st.fast = true;
  else if (t === FLEX_SERVICE_TIER) st.flex = true;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function rateLimitSnapshot(rl: any, observedMs: number): RateLimitSnapshot {
  return {
    observedMs,
    primary: rateWindow(rl.primary, observedMs),
    secondary: rateWindow(rl.secondary, observedMs),
    planType: str(rl.plan_type) ?? null,
    limitId: str(rl.limit_id) ?? null,
  };
}

/** resets_at is epoch seconds (ms if already ≥ 1e12); older builds wrote resets_in_seconds. */
function rateWindow(w: any, observedMs: number): RateLimitWindow | null {
  if (w === null || typeof w !== 'object' || typeof w.used_percent !== 'number' || !Number.isFinite(w.used_percent)) return null;
  let resetsAtMs: number | null = null;
  if (typeof w.resets_at === 'number' && Number.isFinite(w.resets_at)) resetsAtMs = w.resets_at < 1e12 ? w.resets_at * 1000 : w.resets_at;
  else if (typeof w.resets_in_seconds === 'number' && Number.isFinite(w.resets_in_seconds)) resetsAtMs = observedMs + w.resets_in_seconds * 1000;
  return {
    usedPercent: w.used_percent,
    windowMinutes: typeof w.window_minutes === 'number' && Number.isFinite(w.window_minutes) ? w.window_minutes : null,
    resetsAtMs,
  };
}
