import { hash53, hash53Ascii } from '../../hash';
import { fastTierOf, pricingTierOf } from '../../pricing/contextTier';
import { tierAt, US_INFERENCE_GEO } from '../../pricing/inferenceGeo';
import type { Tier } from '../../types';
import { lineEnd, lineStart, looksLikeObject } from '../tailer';
import { closingQuote, compileFieldSpec, type FieldSpec } from './selectiveJson';
import { literal } from './codexLayout';
import { FieldReader } from './wasmFieldReader';
import type { ClaudeCallRecord, ClaudeFileState, LimitResetRecord } from '../records';
import { logTimestampMs, logTimestampMsOfBytes } from './timestamp';
import { classifyActivity } from '../../activity';

/**
 * Claude Code transcript parser (one block of complete lines at a time).
 *
 * Hot path: lines are found with `indexOf(0x0a)` on the raw Buffer; a long line whose top-level `message` is a
 * user message (tool results, ~80 % of the bytes) is skipped after a look at its head; other lines are searched
 * for the byte patterns `"usage":` / `"isApiErrorMessage":true`, and only lines holding one are read, and only for
 * the fields used here (wasmFieldReader.ts: readFields() of selectiveJson.ts with its byte scanning in WebAssembly;
 * JSON.parse decides when that reader does not accept the line).
 *
 * Rules applied (formats note A.2–A.4, D.1–D.5):
 * - only a line's top-level `message.usage` counts (progress/agent_progress/toolUseResult copies do not);
 * - `<synthetic>` model and `isApiErrorMessage` lines carry no tokens; "usage limit reached|<epoch>" is a reset time;
 * - cache writes: all of `cache_creation_input_tokens`, of which `cache_creation.ephemeral_1h_input_tokens` (at most
 *   the total) are 1-hour writes and the rest 5-minute, as Claude Code prices them (cacheWrites); no total: the
 *   breakdown's two parts;
 * - an advisor tool's sub-inferences (`usage.iterations[]` entries of type `advisor_message`, not in the top-level
 *   usage) are calls of their own, of the advisor's model (pushAdvisorCalls);
 * - tier: `fast` when usage.speed is "fast", else by the model's price entry (pricing/contextTier.ts `pricingTierOf`):
 *   `long` when input + cache writes + cache reads > 200,000 (every Claude model), Qwen's input-length tiers, DeepSeek's
 *   peak hours; `<tier>@us` when usage.inference_geo is "us" (US-only inference, pricing/inferenceGeo.ts), also for the
 *   advisor's sub-inferences of that request.
 * De-dup of copies is not done here (apply.ts does it across files and runs).
 */
// Searched without their opening quote (a needle starting with '"' is ~4× slower to find in JSON); the quote
// before a hit is checked in hasKey().
const USAGE = Buffer.from('usage":');
const FAST = Buffer.from('fast');
const US_GEO = Buffer.from(US_INFERENCE_GEO);
const API_ERROR = Buffer.from('isApiErrorMessage":true');
const LIMIT_RE = /usage limit reached\|(\d{9,13})/;

export interface ClaudeParseOutput {
  calls: ClaudeCallRecord[];
  resets: LimitResetRecord[];
  malformed: number;
  state: ClaudeFileState;
  /** the file is a subagent's (`<session>/subagents/agent-*.jsonl`): its calls are the subagent's even without isSidechain */
  subagentFile?: boolean;
}

export function parseClaudeBlock(buf: Buffer, start: number, out: ClaudeParseOutput, readers: ClaudeLineReaders = CLAUDE_READERS): void {
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
    // Long user lines (tool results: most of the bytes) never carry a counted usage: skip them unscanned.
    if (e - s > SKIM_USER_ABOVE && isTopLevelUserMessage(buf, s, e)) continue;
    const line = buf.subarray(s, e);
    if (hasKey(line, USAGE) || hasKey(line, API_ERROR)) parseLine(buf, s, e, out, readers);
  }
}

/** Lines longer than this get the head check of isTopLevelUserMessage() before any marker search. */
const SKIM_USER_ABOVE = 2048;
const HEAD_LIMIT = 4096;
const USER_MESSAGE = Buffer.from('"message":{"role":"user"');
const MESSAGE_KEY = Buffer.from('"message":');

/**
 * True when the line's top-level `message` (within its first HEAD_LIMIT bytes) starts with `{"role":"user"`.
 * A small JSON scanner tracks strings and depth, so only a key of the top-level object matches; anything
 * unexpected returns false (the line is then searched for markers as usual).
 */
export function isTopLevelUserMessage(buf: Buffer, s: number, e: number): boolean {
  const end = Math.min(e, s + HEAD_LIMIT);
  let depth = 0;
  for (let i = s; i < end; i++) {
    const b = buf[i];
    if (b === 0x22) {
      // the top-level key "message" decides: its value starts with {"role":"user" or the line is not a user line
      if (depth === 1 && buf[i + 1] === 0x6d /* m */ && i + USER_MESSAGE.length <= e && buf.compare(MESSAGE_KEY, 0, MESSAGE_KEY.length, i, i + MESSAGE_KEY.length) === 0) {
        return buf.compare(USER_MESSAGE, 0, USER_MESSAGE.length, i, i + USER_MESSAGE.length) === 0;
      }
      i = closingQuote(buf, i, end); // skip the string
      if (i < 0) return false;
    } else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) depth--;
  }
  return false;
}

/** True when the line holds `"<marker>` (the marker preceded by a quote). */
function hasKey(line: Buffer, marker: Buffer): boolean {
  for (let p = line.indexOf(marker); p >= 0; p = line.indexOf(marker, p + 1)) {
    if (p > 0 && line[p - 1] === 0x22) return true;
  }
  return false;
}

/** The only parts of a line parseLine reads (selectiveJson.ts: the rest is stepped over, not built). */
function claudeSpec(withCwd: boolean): FieldSpec {
  return {
    timestamp: true,
    requestId: true,
    isSidechain: true,
    isApiErrorMessage: true,
    ...(withCwd ? { cwd: true as const } : {}),
    gitBranch: true,
    uuid: true,
    message: {
      model: true,
      id: true,
      content: true,
      usage: {
        input_tokens: true,
        output_tokens: true,
        cache_read_input_tokens: true,
        cache_creation_input_tokens: true,
        speed: true,
        inference_geo: true,
        cache_creation: { ephemeral_5m_input_tokens: true, ephemeral_1h_input_tokens: true },
        server_tool_use: { web_search_requests: true },
        iterations: true,
      },
      // present on a reply the API paused and Claude Code resumed (pushPausedCalls); stepped over, only its presence is used
      pausedResponses: true,
    },
  };
}
export const CLAUDE_FIELDS = compileFieldSpec(claudeSpec(true));
/**
 * The readers also keep where `message.content` lies in the line: the tool names are searched there only (toolNames).
 * Once a file's cwd is known its lines are read without it (one string less to build per line).
 */
/**
 * The ids are wanted only as hashes: hashed from the line's bytes (no string built) when the scanner reads the line;
 * `uuid` only serves a line without message.id, as the `noid:` key.
 */
const HASHED = [{ path: ['message', 'id'] }, { path: ['requestId'] }, { path: ['uuid'], prefix: 'noid:' }, { path: ['timestamp'], span: true }];
const MID = 0;
const RID = 1;
const UUID = 2;
/** the timestamp is read from its bytes too (hashes[TS]: where they start, ends[TS] where they end) */
const TS = 3;

/**
 * The readers of Claude lines. A line the wasm scanner reads is read into key slots (FieldReader.scanSlots) and
 * the few objects parseLine looks at are made from them with their fixed shape (lineOfSlots): on a year of heavy use
 * (3.1 M usage lines) building each line's object key by key from the tape (read()) was ~20 % of the parsing.
 * Any other line is read as before: read() (readFields()), then JSON.parse.
 */
export interface ClaudeLineReaders {
  /** undefined: no wasm scanner (every line by read()) */
  readonly slots: FieldReader | undefined;
  readonly withCwd: FieldReader;
  readonly knownCwd: FieldReader;
}

/** The readers of Claude lines; `useWasm` false: the JS reader only (tests compare both). */
export function claudeLineReaders(useWasm = true): ClaudeLineReaders {
  const withCwd = new FieldReader(CLAUDE_FIELDS, useWasm, ['message', 'content'], HASHED);
  const knownCwd = new FieldReader(compileFieldSpec(claudeSpec(false)), useWasm, ['message', 'content'], HASHED);
  return { slots: useWasm ? new FieldReader(CLAUDE_FIELDS, true) : undefined, withCwd, knownCwd };
}

const CLAUDE_READERS = claudeLineReaders();

/** The key slots of CLAUDE_FIELDS (FieldReader.slotOf; the same for every reader of that spec). */
const K = ((r: FieldReader) => {
  const at = (...path: string[]) => r.slotOf(path);
  return {
    timestamp: at('timestamp'),
    requestId: at('requestId'),
    isSidechain: at('isSidechain'),
    isApiErrorMessage: at('isApiErrorMessage'),
    cwd: at('cwd'),
    gitBranch: at('gitBranch'),
    uuid: at('uuid'),
    message: at('message'),
    model: at('message', 'model'),
    id: at('message', 'id'),
    content: at('message', 'content'),
    usage: at('message', 'usage'),
    input: at('message', 'usage', 'input_tokens'),
    output: at('message', 'usage', 'output_tokens'),
    cacheRead: at('message', 'usage', 'cache_read_input_tokens'),
    cacheWrite: at('message', 'usage', 'cache_creation_input_tokens'),
    speed: at('message', 'usage', 'speed'),
    inferenceGeo: at('message', 'usage', 'inference_geo'),
    cacheCreation: at('message', 'usage', 'cache_creation'),
    cw5m: at('message', 'usage', 'cache_creation', 'ephemeral_5m_input_tokens'),
    cw1h: at('message', 'usage', 'cache_creation', 'ephemeral_1h_input_tokens'),
    serverToolUse: at('message', 'usage', 'server_tool_use'),
    webSearch: at('message', 'usage', 'server_tool_use', 'web_search_requests'),
    iterations: at('message', 'usage', 'iterations'),
    paused: at('message', 'pausedResponses'),
  };
})(new FieldReader(CLAUDE_FIELDS, false));

/** What parseLine reads of a line: its fields (as read() gives them), the hashed ids and where message.content lies. */
interface LineRead {
  obj: any;
  /** as FieldReader.hashes / ends of the HASHED keys */
  hashes: Float64Array;
  ends: Int32Array;
  contentStart: number;
  contentEnd: number;
  /** where message.usage.iterations lies in the line (the scanner steps over it); -1 when absent or not known */
  iterationsStart: number;
  iterationsEnd: number;
  /** the line's message has `pausedResponses` (read by the scanner; undefined: look at the object read) */
  paused?: boolean;
}

const slotHashes = new Float64Array(HASHED.length);
const slotEnds = new Int32Array(HASHED.length);

/**
 * After `r.scanSlots()`: the line's fields as read() gives them for what parseLine reads (the ids hashed from their
 * bytes as HASHED says and then left out, the timestamp as where its bytes lie), in objects of a fixed shape.
 */
function lineOfSlots(r: FieldReader, b: Buffer, wantCwd: boolean): LineRead {
  const ops = r.ops;
  const from = r.valueStarts;
  const to = r.valueEnds;
  const { string: STRING, push: PUSH, emptyArray: EMPTY_ARRAY, emptyObject: EMPTY_OBJECT } = r.opCodes;
  const hashes = slotHashes;
  const ends = slotEnds;
  hashes[MID] = hashedSlot(r, b, K.id, '');
  hashes[RID] = hashedSlot(r, b, K.requestId, '');
  // the uuid serves a line without a message.id only
  hashes[UUID] = hashes[MID] >= 0 ? -1 : hashedSlot(r, b, K.uuid, 'noid:');
  hashes[TS] = ops[K.timestamp] === STRING ? from[K.timestamp] + 1 : -1;
  ends[TS] = ops[K.timestamp] === STRING ? to[K.timestamp] - 1 : -1;
  let message: unknown;
  let contentStart = -1;
  let contentEnd = -1;
  let iterationsStart = -1;
  let iterationsEnd = -1;
  if (ops[K.message] === PUSH) {
    let usage: unknown;
    if (ops[K.usage] === PUSH) {
      usage = {
        input_tokens: r.valueAt(b, K.input),
        output_tokens: r.valueAt(b, K.output),
        cache_read_input_tokens: r.valueAt(b, K.cacheRead),
        cache_creation_input_tokens: r.valueAt(b, K.cacheWrite),
        // only ever compared: the values that matter, no string built for the others (one each per line)
        speed: r.stringIs(b, K.speed, FAST) ? 'fast' : undefined,
        inference_geo: r.stringIs(b, K.inferenceGeo, US_GEO) ? US_INFERENCE_GEO : undefined,
        cache_creation: ops[K.cacheCreation] === PUSH ? { ephemeral_5m_input_tokens: r.valueAt(b, K.cw5m), ephemeral_1h_input_tokens: r.valueAt(b, K.cw1h) } : r.valueAt(b, K.cacheCreation),
        server_tool_use: ops[K.serverToolUse] === PUSH ? { web_search_requests: r.valueAt(b, K.webSearch) } : r.valueAt(b, K.serverToolUse),
      };
      if (ops[K.iterations] === EMPTY_ARRAY) {
        iterationsStart = from[K.iterations];
        iterationsEnd = to[K.iterations];
      }
    } else usage = r.valueAt(b, K.usage);
    const content = ops[K.content];
    if (content === EMPTY_ARRAY || content === EMPTY_OBJECT) {
      contentStart = from[K.content];
      contentEnd = to[K.content];
    }
    message = { model: r.valueAt(b, K.model), id: hashes[MID] >= 0 ? undefined : r.valueAt(b, K.id), content: r.valueAt(b, K.content), usage };
  } else message = r.valueAt(b, K.message);
  const obj = {
    timestamp: hashes[TS] >= 0 ? undefined : r.valueAt(b, K.timestamp),
    requestId: hashes[RID] >= 0 ? undefined : r.valueAt(b, K.requestId),
    isSidechain: r.valueAt(b, K.isSidechain),
    isApiErrorMessage: r.valueAt(b, K.isApiErrorMessage),
    cwd: wantCwd ? r.valueAt(b, K.cwd) : undefined,
    gitBranch: r.valueAt(b, K.gitBranch),
    uuid: hashes[MID] >= 0 || hashes[UUID] >= 0 ? undefined : r.valueAt(b, K.uuid),
    message,
  };
  return { obj, hashes, ends, contentStart, contentEnd, iterationsStart, iterationsEnd, paused: ops[K.paused] !== 0 };
}

/** As FieldReader's hashAt keys: hash53(prefix + the value) of a non-empty string without escapes; -1 otherwise. */
function hashedSlot(r: FieldReader, b: Buffer, slot: number, prefix: string): number {
  const a = r.valueStarts[slot];
  const z = r.valueEnds[slot];
  return r.ops[slot] === r.opCodes.string && z - a > 2 ? hash53Ascii(b, a + 1, z - 1, prefix) : -1;
}

function parseLine(buf: Buffer, s: number, e: number, out: ClaudeParseOutput, readers: ClaudeLineReaders): void {
  let line: LineRead;
  if (readers.slots?.scanSlots(buf, s, e)) line = lineOfSlots(readers.slots, buf, out.state.cwd === undefined);
  else {
    const reader = out.state.cwd === undefined ? readers.withCwd : readers.knownCwd;
    // message.content's bytes (before the next read); -1 when the wasm scanner did not read the line
    line = { obj: reader.read(buf, s, e), hashes: reader.hashes, ends: reader.ends, contentStart: reader.spanStart, contentEnd: reader.spanEnd, iterationsStart: -1, iterationsEnd: -1 };
  }
  let obj = line.obj;
  const { contentStart, contentEnd } = line;
  let text = '';
  if (obj === undefined) {
    // not read as a JSON object: JSON.parse decides (it may be valid but nested too deep, or malformed)
    text = buf.toString('utf8', s, e);
    try {
      obj = JSON.parse(text);
    } catch {
      out.malformed++;
      return;
    }
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    out.malformed++;
    return;
  }
  const ts = line.hashes[TS] >= 0 ? logTimestampMsOfBytes(buf, line.hashes[TS], line.ends[TS]) : logTimestampMs(obj.timestamp);
  if (out.state.cwd === undefined && typeof obj.cwd === 'string' && obj.cwd) out.state.cwd = obj.cwd;
  const msg = obj.message !== null && typeof obj.message === 'object' ? obj.message : undefined;

  if (obj.isApiErrorMessage === true) {
    // Client-written error line: no tokens, never a model. Older versions wrote the reset epoch into the text.
    const m = LIMIT_RE.exec(text || buf.toString('utf8', s, e));
    if (m && Number.isFinite(ts)) {
      const n = Number(m[1]);
      out.resets.push({ resetMs: n < 1e12 ? n * 1000 : n, observedMs: ts });
    }
    return;
  }
  if (!msg || msg.model === '<synthetic>') return;
  const usage = msg.usage;
  if (usage === null || typeof usage !== 'object') return; // a usage elsewhere in the line never counts
  if (!Number.isFinite(ts)) {
    out.malformed++; // a usage line without a usable timestamp cannot be placed in time
    return;
  }

  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  cacheWrites(usage);
  const cw5m = writes5m;
  const cw1h = writes1h;
  const webSearch = usage.server_tool_use && typeof usage.server_tool_use === 'object' ? count(usage.server_tool_use.web_search_requests) : 0;
  const model = typeof msg.model === 'string' && msg.model ? msg.model : 'unknown';
  // Claude models: `long` above 200,000 prompt tokens, as before; other vendors' models reached through Claude Code
  // (Qwen's input-length tiers, DeepSeek's peak hours) by their price entry
  // and where it ran: US-only inference (`usage.inference_geo: "us"`) is a tier of its own (pricing/inferenceGeo.ts)
  const tier = requestTier(model, usage, input + cw5m + cw1h + cacheRead, ts);
  // each id hashed by the reader (reader.hashes) or from the value it left in the object
  const hashes = line.hashes;
  const mid =
    hashes[MID] >= 0 ? hashes[MID]
    : typeof msg.id === 'string' && msg.id ? hash53(msg.id)
    : hashes[UUID] >= 0 ? hashes[UUID]
    : hash53(`noid:${typeof obj.uuid === 'string' ? obj.uuid : text || buf.toString('utf8', s, e)}`);
  const rid = hashes[RID] >= 0 ? hashes[RID] : typeof obj.requestId === 'string' && obj.requestId ? hash53(obj.requestId) : 0;
  const sidechain = obj.isSidechain === true;
  // the tool_use items are in message.content: searched there when the scanner said where it is, else in the whole line
  const tools = contentStart >= 0 && Array.isArray(msg.content) ? toolNames(buf, s, e, undefined, contentStart, contentEnd) : toolNames(buf, s, e, text ? obj : undefined);
  const call: ClaudeCallRecord = {
    mid,
    rid,
    sidechain,
    ts,
    model,
    branch: typeof obj.gitBranch === 'string' ? obj.gitBranch : '',
    tier,
    input,
    output,
    cw5m,
    cw1h,
    cacheRead,
    webSearch,
    activity: classifyActivity('claude', tools, sidechain || out.subagentFile === true),
  };
  out.calls.push(call);
  // a response paused and resumed (API resumption, Claude Code 2.1.337): the paused requests' usage is in
  // message.pausedResponses, not in the top-level usage (rare lines: the field readers say whether the key is there,
  // then the line is parsed whole)
  if (line.paused ?? msg.pausedResponses !== undefined) pushPausedCalls(text ? obj : undefined, buf, s, e, call, out);
  // an advisor's entry is looked for in usage.iterations' bytes (where the scanner found them; the whole line only for
  // a line read otherwise that has iterations at all): searching every usage line whole cost ~1.5 s of CPU a year
  if ((line.iterationsStart >= 0 || usage.iterations !== undefined) && hasAdvisorEntry(buf, s, e, line)) pushAdvisorCalls(text ? obj : undefined, buf, s, e, call, out);
}

/**
 * The requests of a paused and resumed response (Claude Code's API resumption; seen in 2.1.337, absent in 2.1.268):
 * the API paused the response at a limit and Claude Code resumed it in a new request, writing the reply as one
 * message (one message.id) whose lines carry the requestId of the request that streamed them. When the reply ends,
 * its lines get `message.usage` = the **last** request's usage and `message.pausedResponses` = one entry per earlier,
 * billed request: `{"limit":…,"usage":{…},"finishedBlocks":…,"requestId":<that request>,"resumedRequestId":<the request
 * that resumed it>,"resumedMessageId":…}` (2.1.337's stream handler: `JC.push({limit:yd.paused_limit,usage:xg,…,
 * requestId:CB,…,resumedRequestId:kf,resumedMessageId:yd.resumed_message_id})`; a resume after an unbilled pause
 * replaces the entry before it). Claude Code itself counts such a message as its usage plus every entry's
 * (`UPe(message.usage, message.pausedResponses)`, in its /stats and context accounting).
 * So each entry is a copy of the call of its own request (same message.id, the entry's requestId), and the top-level
 * usage is the copy of the request that resumed last: the copies then meet the lines each request streamed (their
 * streaming copies) in the de-dup, and each request is counted once, by its largest copy. An entry without a requestId
 * is a call of its own (keyed by the message.id and its place).
 */
function pushPausedCalls(parsed: any, buf: Buffer, s: number, e: number, call: ClaudeCallRecord, out: ClaudeParseOutput): void {
  const obj = parsed ?? wholeLine(buf, s, e);
  const msg = obj?.message;
  const paused = msg?.pausedResponses;
  if (!Array.isArray(paused) || paused.length === 0) return;
  const last = paused[paused.length - 1];
  if (last !== null && typeof last === 'object' && typeof last.resumedRequestId === 'string' && last.resumedRequestId) call.rid = hash53(last.resumedRequestId);
  const base = messageBase(obj);
  for (let i = 0; i < paused.length; i++) {
    const usage = paused[i]?.usage;
    if (usage === null || typeof usage !== 'object') continue;
    const t = tokensOf(usage);
    const webSearch = usage.server_tool_use && typeof usage.server_tool_use === 'object' ? count(usage.server_tool_use.web_search_requests) : 0;
    if (t.input + t.output + t.cacheRead + t.cw5m + t.cw1h + webSearch === 0) continue;
    const requestId = paused[i].requestId;
    const keyed = typeof requestId === 'string' && requestId !== '';
    if (!keyed && base === undefined) continue;
    out.calls.push({
      ...call,
      mid: keyed ? call.mid : hash53(`${base}#paused${i}`),
      rid: keyed ? hash53(requestId) : 0,
      tier: requestTier(call.model, usage, promptOf(t), call.ts),
      ...t,
      webSearch,
    });
  }
}

/**
 * A request's tier from its usage object: fast mode (`usage.speed` "fast", `dated<n>longfast` above the boundary of a
 * period with long rates) or by its price entry and `prompt` (input + cache writes + cache reads), where it ran
 * (`usage.inference_geo`) on top. One rule for a line's own request and a paused one's.
 */
function requestTier(model: string, usage: any, prompt: number, ts: number): Tier {
  return tierAt(usage.speed === 'fast' ? fastTierOf(model, ts, undefined, prompt) : pricingTierOf(model, prompt, ts), usage.inference_geo);
}

/** A rare line's whole object (JSON.parse), or undefined when it is not JSON. */
function wholeLine(buf: Buffer, s: number, e: number): any {
  try {
    return JSON.parse(buf.toString('utf8', s, e));
  } catch {
    return undefined;
  }
}

/** The key the calls derived from a line are numbered under: its message.id, else its uuid, else undefined. */
function messageBase(obj: any): string | undefined {
  const msg = obj?.message;
  return typeof msg?.id === 'string' && msg.id ? msg.id : typeof obj?.uuid === 'string' && obj.uuid ? `noid:${obj.uuid}` : undefined;
}

/** The token counts of a usage object (a paused request's, an advisor iteration's), cache writes by cacheWrites. */
function tokensOf(u: any): { input: number; output: number; cacheRead: number; cw5m: number; cw1h: number } {
  cacheWrites(u);
  return { input: count(u.input_tokens), output: count(u.output_tokens), cacheRead: count(u.cache_read_input_tokens), cw5m: writes5m, cw1h: writes1h };
}

/** The prompt a request's input-length tier is decided by: input + cache writes + cache reads. */
const promptOf = (t: { input: number; cacheRead: number; cw5m: number; cw1h: number }) => t.input + t.cw5m + t.cw1h + t.cacheRead;

const ADVISOR_MESSAGE = Buffer.from('"advisor_message"');

function hasAdvisorEntry(buf: Buffer, s: number, e: number, line: LineRead): boolean {
  const [from, to] = line.iterationsStart >= 0 ? [line.iterationsStart, line.iterationsEnd] : [s, e];
  return buf.subarray(from, to).indexOf(ADVISOR_MESSAGE) >= 0;
}

/**
 * The advisor's sub-inferences of a call (Claude Code ≥ 2.1.98's advisor tool, `advisor_20260301`): each
 * `usage.iterations[]` entry `{"type":"advisor_message","model":…,"input_tokens":…,…}` is one call of the advisor
 * model, billed at that model's rates and **not** in the line's top-level usage, which covers the executor's
 * iterations only (Anthropic's advisor-tool docs; real lines in the tests of peers that read Claude Code transcripts,
 * e.g. a Sonnet 5 line whose top-level output 683 = 85 + 598 of its two `message` iterations, beside an
 * `advisor_message` of claude-opus-4-8 with 91,627 input / 18,716 output). Each is a call of its own, keyed by the
 * parent's message.id and its place in the array, so the copies of the line collapse as the parent's do. Rare lines:
 * the line is parsed whole here.
 */
function pushAdvisorCalls(parsed: any, buf: Buffer, s: number, e: number, parent: ClaudeCallRecord, out: ClaudeParseOutput): void {
  const obj = parsed ?? wholeLine(buf, s, e);
  const msg = obj?.message;
  const iterations = msg?.usage?.iterations;
  if (!Array.isArray(iterations)) return;
  const base = messageBase(obj);
  if (base === undefined) return;
  for (let i = 0; i < iterations.length; i++) {
    const it = iterations[i];
    if (it === null || typeof it !== 'object' || it.type !== 'advisor_message' || typeof it.model !== 'string' || !it.model) continue;
    const t = tokensOf(it);
    if (t.input + t.output + t.cacheRead + t.cw5m + t.cw1h === 0) continue;
    out.calls.push({
      ...parent,
      mid: hash53(`${base}#advisor${i}`),
      model: it.model,
      // the request's own geography (one request, one inference_geo)
      tier: tierAt(pricingTierOf(it.model, promptOf(t), parent.ts), msg.usage.inference_geo),
      ...t,
      webSearch: 0,
    });
  }
}

const TOOL_USE = Buffer.from('tool_use"');
const TYPE_VALUE = Buffer.from('"type":"');
const SERVER_PREFIX = Buffer.from('server_');
const ID_KEY = Buffer.from(',"id":"');
const NAME_KEY = Buffer.from(',"name":"');

/**
 * The names of the tools a counted line's reply asked for: its `message.content[]` items `{"type":"tool_use",…,
 * "name":…}` (and `server_tool_use`, the API's own web search / fetch). Claude Code writes one line per content block,
 * so a line names at most a few. Only counted lines are searched, and only lines holding `"type":"tool_use"` /
 * `"type":"server_tool_use"` are read further (a quote inside a JSON string is escaped, so these bytes are always a
 * real key and value): each item in the API's key order `{"type":…,"id":"…","name":"…"` is read in place; any other
 * layout is left to `JSON.parse` of the line (`parsed`: the line already parsed whole, when it was). A Task / Agent
 * call is named `Task(<subagent_type>)` (core/activity.ts: `delegating:<type>`).
 * [from, to): the part of the line [s, e) searched — its `message.content` array when the field reader knows where it
 * is (a search of ~1 ns per byte: the content is a small part of a usage line), else the whole line.
 */
export function toolNames(buf: Buffer, s: number, e: number, parsed: any, from = s, to = e): string[] {
  const names: string[] = [];
  const part = buf.subarray(from, to); // searched within the part only (a search of `buf` would run on to the block's end)
  for (let i = part.indexOf(TOOL_USE); i >= 0; i = part.indexOf(TOOL_USE, i + TOOL_USE.length)) {
    const p = from + i;
    // the value of a "type" key: "type":"tool_use" or "type":"server_tool_use"
    let t = p - TYPE_VALUE.length;
    if (literal(buf, t, to, TYPE_VALUE) < 0) {
      t = p - SERVER_PREFIX.length - TYPE_VALUE.length;
      if (t < from || literal(buf, t, to, TYPE_VALUE) < 0 || literal(buf, p - SERVER_PREFIX.length, to, SERVER_PREFIX) < 0) continue;
    }
    if (t < from) continue;
    const name = t > from && buf[t - 1] === 0x7b /* { */ ? nameAfterType(buf, p + TOOL_USE.length, to) : undefined;
    // a delegation's subagent type is in its input: the line is parsed whole (a few lines per session)
    if (name === undefined || DELEGATING.has(name)) return namesFromJson(buf, s, e, parsed);
    names.push(name);
  }
  return names;
}

/** Claude Code's subagent tools, whose `input.subagent_type` names the subagent (e.g. "Explore", "general-purpose"). */
const DELEGATING: ReadonlySet<string> = new Set(['Task', 'Agent']);

/** After `"type":"tool_use"`: the name in `,"id":"<id>","name":"<name>"`, undefined for any other layout. */
function nameAfterType(buf: Buffer, p: number, e: number): string | undefined {
  let q = literal(buf, p, e, ID_KEY);
  if (q < 0) return undefined;
  const idEnd = closingQuote(buf, q - 1, e);
  if (idEnd < 0) return undefined;
  q = literal(buf, idEnd + 1, e, NAME_KEY);
  if (q < 0) return undefined;
  const nameEnd = buf.indexOf(0x22, q);
  if (nameEnd < 0 || nameEnd >= e) return undefined;
  for (let i = q; i < nameEnd; i++) if (buf[i] === 0x5c) return undefined; // an escape: JSON.parse reads it
  return buf.toString('utf8', q, nameEnd);
}

function namesFromJson(buf: Buffer, s: number, e: number, parsed: any): string[] {
  let obj = parsed;
  if (obj === undefined) {
    try {
      obj = JSON.parse(buf.toString('utf8', s, e));
    } catch {
      return [];
    }
  }
  const content = obj?.message?.content;
  const names: string[] = [];
  if (!Array.isArray(content)) return names;
  for (const item of content) {
    if (!item || (item.type !== 'tool_use' && item.type !== 'server_tool_use') || typeof item.name !== 'string') continue;
    const type = DELEGATING.has(item.name) && item.input && typeof item.input.subagent_type === 'string' ? item.input.subagent_type.replace(/[()]/g, '') : '';
    names.push(type ? `${item.name}(${type})` : item.name);
  }
  return names;
}

/** The 5-minute and 1-hour cache writes found by the last cacheWrites() (no array made per line). */
let writes5m = 0;
let writes1h = 0;

/**
 * The cache writes of a usage object (a line's, an advisor iteration's, a paused request's) as Claude Code prices
 * them: every `cache_creation_input_tokens` token is a write, `cache_creation.ephemeral_1h_input_tokens` of them (at
 * most the total) at the 1-hour rate and the rest at the 5-minute rate — 2.1.268 `bre(e,n)`: `r=n.cache_creation_
 * input_tokens??0, d=Math.min(n.cache_creation?.ephemeral_1h_input_tokens??0,r)` … `d×1h + (r−d)×5m`; 2.1.337 the
 * same (`AKn`, `aD`). The same as the breakdown's two parts when they add up to the total (every line seen so far);
 * when they do not — 2.1.337 looks for a breakdown that matches the total among the `usage.iterations[]` entries, as
 * the top-level one need not — the total decides. Logs from before the breakdown (mid 2025): all 5-minute. Without a
 * total: the breakdown's two parts. Sets writes5m / writes1h.
 */
function cacheWrites(u: any): void {
  const total = u.cache_creation_input_tokens;
  const cc = u.cache_creation;
  const split = cc !== null && typeof cc === 'object';
  if (typeof total === 'number') {
    const t = count(total);
    writes1h = split ? Math.min(count(cc.ephemeral_1h_input_tokens), t) : 0;
    writes5m = t - writes1h;
  } else {
    writes5m = split ? count(cc.ephemeral_5m_input_tokens) : 0;
    writes1h = split ? count(cc.ephemeral_1h_input_tokens) : 0;
  }
}

/** A token count: a finite non-negative number, anything else is 0. */
export function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
}
