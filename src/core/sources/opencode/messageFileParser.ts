import { basename } from 'node:path';
import type { DocumentParser, FileInfo, SourceOutput } from '../plugin';
import { isCopiedMessage, isForkCopy } from './forkCopy';
import { legacySessionSigns } from './legacySession';
import { messageCwd, messageRecord } from './record';
import { isObject } from './tokens';

/**
 * OpenCode's legacy JSON storage (before the SQLite store): one message per file,
 * `storage/message/<sessionID>/<messageID>.json` (`msg_…`), the whole `MessageV2.Info` (with `id` and `sessionID`),
 * written again as the reply streams and when its tokens are filled (packages/opencode/src/session/index.ts @0002b1f:
 * `updateMessage` → `Storage.write(["message", msg.sessionID, msg.id], msg)`).
 *
 * The key is the message id, as in the database, so a store migrated into opencode.db (both present) counts each
 * message once. Parts live in other files (`storage/part/<messageID>/…`), so here a message counts its own `tokens`
 * — those of its last step — as one request (see record.ts); the project is the message's `path.cwd`, and a subtask
 * cannot be told from its parent here. A forked session's copies of earlier replies (forkCopy.ts) are not counted
 * again: a message whose id was made later than it is looked up in its session's info file (legacySession.ts).
 * A file caught mid-rewrite (empty, truncated JSON) is `incomplete`: read again on its next change.
 */
export const openCodeMessageFileParser: DocumentParser = {
  kind: 'document',
  vanished: 'keep',
  parseDocument(text: string, file: FileInfo): SourceOutput & { incomplete?: boolean } {
    const out: SourceOutput = { records: [], malformed: 0 };
    if (text.trim().length === 0) return { ...out, incomplete: true };
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { ...out, incomplete: true };
    }
    if (!isObject(data)) {
      out.malformed++;
      return out;
    }
    const id = typeof data.id === 'string' && data.id ? data.id : basename(file.path, '.json');
    const session = typeof data.sessionID === 'string' && data.sessionID ? data.sessionID : file.session;
    const created = isObject(data.time) ? data.time.created : undefined;
    // only a message whose id was made after it can be a copy: the session's file is read for those alone
    if (data.role === 'assistant' && isCopiedMessage(id, created) && isForkCopy(id, created, legacySessionSigns(file.path, session))) return out;
    const result = messageRecord(data, {
      id,
      sessionID: session,
      rootSessionID: session,
      project: messageCwd(data) ?? file.project,
    });
    out.malformed += result.malformed;
    if (result.record) out.records.push(result.record);
    return out;
  },
};
