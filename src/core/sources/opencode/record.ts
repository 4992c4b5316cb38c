import type { KeyedUsage } from '../plugin';
import { addTokens, isObject, isZero, normaliseTokens, type OpenCodeTokens } from './tokens';

/**
 * One OpenCode assistant message → one keyed record (key = the message id, the same in the SQLite database and in
 * the legacy JSON files, so a message found in both, or re-written as it streams, is counted once; last wins).
 *
 * The assistant message (`MessageV2.Assistant`, packages/opencode/src/session/message-v2.ts; stored as the `data`
 * JSON of a `message` row without `id`/`sessionID`, or whole in `storage/message/<sessionID>/<messageID>.json`):
 * `role: 'assistant'`, `time {created, completed?}`, `modelID`, `providerID`, `path {cwd, root}`, `cost`, `tokens`.
 * One message can span several model calls (steps of a tool loop): each call writes a `step-finish` part with its own
 * `tokens` and `cost`, while the message's `tokens` hold the last step only (processor `finish-step`:
 * `assistantMessage.cost += usage.cost; assistantMessage.tokens = usage.tokens`; newer builds may leave them 0 —
 * splitrail opencode.rs `batch_load_step_finish_from_db`). So when the step-finish parts are known (database) the
 * record is their sum with one request per step; otherwise (legacy JSON) the message's own tokens, one request.
 * A message with no usage at all (aborted before its first step finished) gives no record.
 */
export interface MessageContext {
  id: string;
  sessionID: string;
  /** the root session (subtasks are counted under it) */
  rootSessionID: string;
  project: string;
  /** undefined when the log cannot tell (legacy JSON) */
  subagent?: boolean;
  /** step-finish parts' tokens (raw), in order; undefined = not known (legacy JSON) */
  steps?: unknown[];
  /** tool names of the message's tool parts, in order */
  tools?: string[];
  /** the row's time_created when the message has no time.created */
  fallbackTs?: number;
}

export type MessageResult = { record?: KeyedUsage; malformed: number };

export function messageRecord(data: Record<string, unknown>, ctx: MessageContext): MessageResult {
  if (data.role !== 'assistant') return { malformed: 0 };
  const providerID = typeof data.providerID === 'string' ? data.providerID : undefined;
  let malformed = 0;
  let tokens: OpenCodeTokens | undefined;
  let requests = 0;
  for (const raw of ctx.steps ?? []) {
    const t = normaliseTokens(raw, providerID);
    if (!t) {
      malformed++;
      continue;
    }
    tokens = tokens ? addTokens(tokens, t) : t;
    requests++;
  }
  if (!tokens) {
    const t = normaliseTokens(data.tokens, providerID);
    if (!t) return { malformed: malformed + 1 };
    tokens = t;
    requests = isZero(t) ? 0 : 1;
  }
  if (isZero(tokens)) return { malformed };
  const time = isObject(data.time) ? data.time : {};
  const ts = typeof time.created === 'number' && Number.isFinite(time.created) ? time.created : ctx.fallbackTs;
  if (ts === undefined) return { malformed: malformed + 1 };
  const record: KeyedUsage = {
    key: ctx.id,
    ts,
    model: typeof data.modelID === 'string' ? data.modelID : '',
    project: ctx.project,
    session: ctx.rootSessionID,
    branch: '',
    input: tokens.input,
    output: tokens.output,
    cacheWrite5m: tokens.cacheWrite,
    cacheWrite1h: 0,
    cacheRead: tokens.cacheRead,
    reasoning: tokens.reasoning,
    webSearch: 0,
    requests,
    tools: ctx.tools ?? [],
  };
  if (ctx.subagent !== undefined) record.subagent = ctx.subagent;
  if (typeof data.cost === 'number' && Number.isFinite(data.cost) && data.cost > 0) record.agentCostUsd = data.cost;
  if (providerID) record.provider = providerID;
  return { record, malformed };
}

/** The message's own working folder (`path.cwd`), when it has one. */
export function messageCwd(data: Record<string, unknown>): string | undefined {
  const path = isObject(data.path) ? data.path : undefined;
  return path && typeof path.cwd === 'string' && path.cwd ? path.cwd : undefined;
}
