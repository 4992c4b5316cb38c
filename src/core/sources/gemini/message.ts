import type { FileInfo, KeyedUsage, SourceOutput } from '../plugin';
import { isObject, timeOf } from './lines';
import { isZero, normalise, readCounts } from './tokens';

/**
 * One Gemini CLI message record → one call, shared by the `.jsonl` and legacy `.json` parsers.
 *
 * Shape (google-gemini/gemini-cli @ 5411f113cafae26161b4969b0237b8e1e024e2c2,
 * `packages/core/src/services/chatRecordingTypes.ts`): `{id, timestamp, content: PartListUnion (a string or a Part[]),
 * type: 'user'|'gemini'|'info'|'error'|'warning', toolCalls?: ToolCallRecord[] ({id, name, args, status, …}),
 * thoughts?, tokens?: TokensSummary | null, model?}`.
 *
 * A call = a `type:'gemini'` message with a `tokens` object (`chatRecordingService.ts` `recordMessage` /
 * `recordToolCalls` / `recordMessageTokens`: the tokens of one API response are put on the gemini message that
 * response produced). `tokens: null` = not known yet: the same message is appended again with its tokens later
 * (`recordMessageTokens` → `pushMessage`), so nothing is counted for it now.
 *
 * Decisions:
 * - all-zero `tokens` (the CLI writes `?? 0` for a response without usageMetadata, e.g. an aborted stream) are not a
 *   request: nothing is emitted (0 requests, 0 tokens). A later record of the same id with real tokens counts.
 * - `tokens` without `model`: counted with model '' (unpriced, never $0) rather than dropped.
 * - `tools` = `toolCalls[].name` (the tools this response asked for).
 */
export interface SessionContext {
  /** the session id used in keys (the conversation's own `sessionId`; else the file's) */
  keySession: string;
  /** the session shown (the parent session for a subagent's file) */
  session: string;
  subagent: boolean;
  /** fallback time when a message has none (the session's startTime) */
  fallbackTs?: number;
  /** whether thoughts are inside `output` when the record's total cannot tell (tokens.ts; Gemini CLI: false) */
  thoughtsInside?: boolean;
}

/** Reads one message record; pushes a call or counts a malformed record. Never throws. */
export function addMessage(msg: unknown, ctx: SessionContext, file: FileInfo, out: SourceOutput): void {
  if (!isObject(msg) || typeof msg.id !== 'string') {
    out.malformed++;
    return;
  }
  if (msg.type !== 'gemini' || msg.tokens === undefined || msg.tokens === null) return;
  const counts = readCounts(msg.tokens);
  if (!counts) {
    out.malformed++;
    return;
  }
  if (isZero(counts)) return;
  const ts = timeOf(msg.timestamp) ?? ctx.fallbackTs;
  if (ts === undefined) {
    out.malformed++;
    return;
  }
  const t = normalise(counts, ctx.thoughtsInside ?? false);
  const tools: string[] = [];
  if (Array.isArray(msg.toolCalls)) {
    for (const tc of msg.toolCalls) if (isObject(tc) && typeof tc.name === 'string') tools.push(tc.name);
  }
  const usage: KeyedUsage = {
    key: `${ctx.keySession}:${msg.id}`,
    ts,
    model: typeof msg.model === 'string' ? msg.model : '',
    project: file.project,
    session: ctx.session,
    branch: '',
    input: t.input,
    output: t.output,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: t.cacheRead,
    reasoning: t.reasoning,
    webSearch: 0,
    requests: 1,
    tools,
  };
  if (ctx.subagent) usage.subagent = true;
  out.records.push(usage);
}

/** The key/session context of a conversation whose metadata says `sessionId` and `kind`. */
export function contextOf(sessionId: unknown, kind: unknown, startTime: unknown, file: FileInfo): SessionContext {
  const own = typeof sessionId === 'string' && sessionId.length > 0 ? sessionId : file.session;
  const subagent = kind === 'subagent';
  // a subagent's file lies in chats/<parent session id>/ (chatRecordingService.ts `initialize`): discovery puts the
  // parent's id in file.session, so the subagent's calls are shown under the session that started it
  return { keySession: own, session: subagent ? file.session : own, subagent, fallbackTs: timeOf(startTime) };
}
