import type { FileInfo, KeyedUsage, LinesParser, SourceOutput } from '../plugin';
import { isObject, jsonLines, timeOf } from '../gemini/lines';
import { isZero, normalise, readCounts } from '../gemini/tokens';

/**
 * Qwen Code's session log `<runtime dir>/projects/<sanitized cwd>/chats/<sessionId>.jsonl`, append-only: one
 * `ChatRecord` per line (QwenLM/qwen-code `packages/core/src/services/chatRecordingService.ts`, read at
 * 1ef5167055c937d5a87e8fe0bde5a53503f1c833 and a later version with `system` records):
 * `{uuid, parentUuid, sessionId, timestamp, type: 'user'|'assistant'|'tool_result'|'system', subtype?, cwd, version,
 *   gitBranch?, message?: Content {role, parts}, usageMetadata?, model?, toolCallResult?, systemPayload?}`.
 * Unlike Gemini CLI, a record is never written twice: each has its own `uuid`, and a rewind only re-roots the
 * `parentUuid` chain (the rewound calls were billed: they stay counted).
 *
 * - A call = a `type:'assistant'` record with `usageMetadata` (`recordAssistantTurn`, one per model response).
 *   `usageMetadata` is the API's GenerateContentResponseUsageMetadata in current builds and the summary
 *   `{input, output, cached, thoughts, tool, total}` (`toTokensSummary`) in older ones; both read by tokens.ts, with
 *   Qwen's default that thoughts are INSIDE candidates (its OpenAI-compatible converter: candidatesTokenCount =
 *   completion_tokens, which includes reasoning_tokens), unless the record's total says otherwise.
 *   Key `<sessionId>:<uuid>`; project = the record's `cwd` (the real path); branch = `gitBranch`;
 *   tools = the `functionCall.name` of the response's parts.
 * - `type:'system', subtype:'ui_telemetry'` records replay the UI's telemetry (`recordUiTelemetryEvent`,
 *   telemetry/loggers.ts `logApiResponse`: every non-internal API response, `event.name` 'qwen-code.api_response',
 *   with `input_token_count`…). Those of the main conversation duplicate its assistant records and are NOT counted;
 *   those a subagent made (`subagent_id` / `subagent_name` set; no assistant record of theirs is in this file) are
 *   counted as subagent calls under `<sessionId>:<uuid>` of the telemetry record.
 * - all-zero usage: not a request (nothing emitted), as for Gemini CLI.
 * State between blocks (JSON): the last `sessionId`, `cwd` and `gitBranch` seen, for records that lack them.
 */
interface QwenState {
  sessionId?: string;
  cwd?: string;
  branch?: string;
}

export const QWEN_THOUGHTS_INSIDE = true;

export const qwenJsonlParser: LinesParser = {
  kind: 'lines',
  parseLines(buf: Buffer, start: number, file: FileInfo, state: Record<string, unknown>, out: SourceOutput): void {
    const st = state as QwenState;
    for (const rec of jsonLines(buf, start)) {
      if (!isObject(rec) || typeof rec.type !== 'string') {
        out.malformed++;
        continue;
      }
      if (typeof rec.sessionId === 'string' && rec.sessionId) st.sessionId = rec.sessionId;
      if (typeof rec.cwd === 'string' && rec.cwd) st.cwd = rec.cwd;
      if (typeof rec.gitBranch === 'string') st.branch = rec.gitBranch;
      if (rec.type === 'assistant') {
        if (rec.usageMetadata === undefined || rec.usageMetadata === null) continue;
        addCall(rec, rec.usageMetadata, typeof rec.model === 'string' ? rec.model : '', toolsOf(rec.message), false, st, file, out);
      } else if (rec.type === 'system' && rec.subtype === 'ui_telemetry') {
        const ev = isObject(rec.systemPayload) ? rec.systemPayload.uiEvent : undefined;
        if (!isObject(ev) || !String(ev['event.name'] ?? '').endsWith('api_response')) continue;
        if (ev.subagent_id === undefined && ev.subagent_name === undefined) continue;
        addCall(rec, ev, typeof ev.model === 'string' ? ev.model : '', [], true, st, file, out);
      }
    }
  },
};

function addCall(rec: Record<string, unknown>, usage: unknown, model: string, tools: string[], subagent: boolean, st: QwenState, file: FileInfo, out: SourceOutput): void {
  const counts = readCounts(usage);
  const ts = timeOf(rec.timestamp);
  if (!counts || ts === undefined || typeof rec.uuid !== 'string') {
    out.malformed++;
    return;
  }
  if (isZero(counts)) return;
  const t = normalise(counts, QWEN_THOUGHTS_INSIDE);
  const session = st.sessionId ?? file.session;
  const u: KeyedUsage = {
    key: `${session}:${rec.uuid}`,
    ts,
    model,
    project: st.cwd ?? file.project,
    session,
    branch: st.branch ?? '',
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
  if (subagent) u.subagent = true;
  out.records.push(u);
}

/** names of the function calls in a model Content's parts */
function toolsOf(message: unknown): string[] {
  const names: string[] = [];
  if (!isObject(message) || !Array.isArray(message.parts)) return names;
  for (const p of message.parts) {
    if (isObject(p) && isObject(p.functionCall) && typeof p.functionCall.name === 'string') names.push(p.functionCall.name);
  }
  return names;
}
