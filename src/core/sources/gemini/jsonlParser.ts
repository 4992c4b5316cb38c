import type { FileInfo, LinesParser, SourceOutput } from '../plugin';
import { isObject, jsonLines } from './lines';
import { addMessage, contextOf, type SessionContext } from './message';

/**
 * Gemini CLI's current session log, `chats/session-<time>-<id8>.jsonl` (append-only), read the way the CLI reads it
 * back: google-gemini/gemini-cli @ 5411f113cafae26161b4969b0237b8e1e024e2c2,
 * `packages/core/src/services/chatRecordingService.ts` `loadConversationRecord`. Record kinds, tested in that order:
 * - `{$rewindTo: id}`: the CLI drops that message and every later one from the view. Those calls were made and
 *   billed: they stay counted (nothing to do).
 * - a message (`id` is a string): a message that changes (its tokens arrive, its tool calls finish) is appended
 *   again under the same `id`; the key `<sessionId>:<id>` makes the store keep the last one.
 * - `{$set: {...}}`: a metadata update (`lastUpdated`, `summary`, `directories`, `memoryScratchpad`, `sessionId` on
 *   resume); with `messages` a checkpoint that replaces the whole list (`updateMessagesFromHistory`): its messages
 *   are read like appended ones (same keys: nothing counted twice; messages it leaves out stay counted).
 * - the session's first line `{sessionId, projectHash, startTime, lastUpdated, kind?, directories?, summary?}`
 *   (`initialize`; a legacy file's whole record when it holds `messages`).
 * - `{$patch: {id?, content?, toolCalls?: [{id, result}], updates?, removeIds?, orderIds?}}` (builds after the commit
 *   above; gemini-cli `chatRecordingTypes.ts` lines 138-147 @ fb972b2f87fe7d5b06d37eac711490162d98de2c, 0.64 nightly,
 *   as a schema catalog of that commit quotes them): a message's text or tool results rewritten in place. The tokens
 *   still come with the whole message, appended again when it changes, so nothing is counted from a patch — and it
 *   is not malformed. (What `updates` / `removeIds` / `orderIds` hold was not read in the CLI's source: not used.)
 * Anything else is counted as malformed.
 *
 * State kept between blocks (JSON): the metadata seen so far, so later blocks key and date their calls.
 */
interface GeminiLinesState {
  sessionId?: string;
  kind?: string;
  startTime?: string;
}

export const geminiJsonlParser: LinesParser = {
  kind: 'lines',
  parseLines(buf: Buffer, start: number, file: FileInfo, state: Record<string, unknown>, out: SourceOutput): void {
    const st = state as GeminiLinesState;
    // the messages' context, made again only when the metadata it is made of changed, not once per message
    let ctx: SessionContext | undefined;
    let of: GeminiLinesState = {};
    for (const rec of jsonLines(buf, start)) {
      if (!isObject(rec)) {
        out.malformed++;
        continue;
      }
      if (typeof rec.$rewindTo === 'string' || isObject(rec.$patch)) continue;
      if (typeof rec.id === 'string') {
        if (!ctx || of.sessionId !== st.sessionId || of.kind !== st.kind || of.startTime !== st.startTime) {
          ctx = contextOf(st.sessionId, st.kind, st.startTime, file);
          of = { sessionId: st.sessionId, kind: st.kind, startTime: st.startTime };
        }
        addMessage(rec, ctx, file, out);
        continue;
      }
      if (isObject(rec.$set)) {
        readMetadata(rec.$set, st);
        if (Array.isArray(rec.$set.messages)) addAll(rec.$set.messages, st, file, out);
        continue;
      }
      if (typeof rec.sessionId === 'string' && typeof rec.projectHash === 'string') {
        readMetadata(rec, st);
        if (Array.isArray(rec.messages)) addAll(rec.messages, st, file, out);
        continue;
      }
      out.malformed++;
    }
  },
};

function readMetadata(m: Record<string, unknown>, st: GeminiLinesState): void {
  if (typeof m.sessionId === 'string' && m.sessionId.length > 0) st.sessionId = m.sessionId;
  if (typeof m.kind === 'string') st.kind = m.kind;
  if (typeof m.startTime === 'string' && st.startTime === undefined) st.startTime = m.startTime;
}

function addAll(messages: unknown[], st: GeminiLinesState, file: FileInfo, out: SourceOutput): void {
  const ctx = contextOf(st.sessionId, st.kind, st.startTime, file);
  for (const m of messages) addMessage(m, ctx, file, out);
}
