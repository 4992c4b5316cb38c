import type { DocumentParser, FileInfo, SourceOutput } from '../plugin';
import { isObject } from './lines';
import { addMessage, contextOf } from './message';

/**
 * Gemini CLI's legacy session file, `chats/session-<time>-<id8>.json`: one `ConversationRecord`
 * (`{sessionId, projectHash, startTime, lastUpdated, messages: MessageRecord[], summary?, directories?, kind?}`,
 * google-gemini/gemini-cli @ 5411f113cafae26161b4969b0237b8e1e024e2c2 `packages/core/src/services/chatRecordingTypes.ts`;
 * read back by `parseLegacyRecordFallback` in `chatRecordingService.ts`), rewritten whole on every change by older
 * builds: `fs.writeFileSync(conversationFile, JSON.stringify(conversation, null, 2))` in place, not atomically
 * (`chatRecordingService.ts` `writeConversation` at f74491358445365fb545ccb28d74e222c626f614^, the last build before
 * the `.jsonl`), so a read can catch it half-written. Resuming such a session today copies it into `<same name>.jsonl` with the same `sessionId` and message ids
 * (`initialize`): the keys are the same, so nothing is counted twice.
 *
 * vanished 'keep': a rewind removes messages from a later version of the file, but those calls were billed.
 * A file caught mid-rewrite (empty, truncated: not JSON) → `incomplete` (and counted once as malformed for this read).
 */
export const geminiJsonParser: DocumentParser = legacyJsonParser(false);

/**
 * The parser of this legacy format; `thoughtsInside` = whether thoughts are inside `output` when a record's total
 * cannot tell (tokens.ts): false for Gemini CLI, true for Qwen Code, which wrote the same format before its `.jsonl`.
 */
export function legacyJsonParser(thoughtsInside: boolean): DocumentParser {
  return {
    kind: 'document',
    vanished: 'keep',
    parseDocument(text: string, file: FileInfo): SourceOutput & { incomplete?: boolean } {
      const out: SourceOutput = { records: [], malformed: 0 };
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return { ...out, malformed: 1, incomplete: true };
      }
      if (!isObject(doc) || !Array.isArray(doc.messages)) {
        out.malformed = 1;
        return out;
      }
      const ctx = { ...contextOf(doc.sessionId, doc.kind, doc.startTime, file), thoughtsInside };
      for (const m of doc.messages) addMessage(m, ctx, file, out);
      return out;
    },
  };
}
