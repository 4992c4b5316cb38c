import type { Database } from 'sql.js';
import type { DatabaseParser, FileInfo, SourceOutput } from '../plugin';
import { sqlRows as rows } from '../sqlRows';
import { messageCwd, messageRecord } from './record';
import { isObject } from './tokens';

/**
 * OpenCode's (and Kilo CLI's) SQLite store, `opencode.db` / `kilo.db`. Tables (anomalyco/opencode
 * packages/opencode/src/session/session.sql.ts @063e830, timestamps from src/storage/schema.sql.ts @9b58d74):
 *   session(id, project_id, parent_id, directory, title, version, …, time_created, time_updated)
 *   message(id, session_id, time_created, time_updated, data JSON)     — `data` = the message without id/sessionID
 *   part(id, message_id, session_id, time_created, time_updated, data JSON) — `data.type` 'step-finish' | 'tool' | …
 * Rows are upserted (`onConflictDoUpdate`) as a message streams, and `time_updated` is `$onUpdate(() => Date.now())`,
 * so a row whose tokens were filled later has a newer `time_updated`.
 *
 * Incremental: the cursor is the high-water mark `(time_updated, id)` of `message` and of `part`; a read takes the
 * assistant messages and the step-finish/tool parts past it, and re-reads every message they touch whole (its row and
 * all its step-finish/tool parts), so an updated message replaces its record (same key). Only SELECTs; the caller
 * hands a read-only copy. Subtasks (sessions with `parent_id`) are counted once, under the root session's folder.
 * A database without OpenCode's tables (or being rewritten) throws: the caller skips it and retries on its next change.
 * The store runs in WAL mode: the newest rows are in `opencode.db-wal` until a checkpoint, so the caller should hand
 * `mergeWal(copy of .db, copy of .db-wal)` (keyed/sqliteWal.ts: keyedParse.ts does) and treat a change of the -wal as a
 * change of the database (discovery.ts stamps a database with its -wal).
 */
interface Cursor {
  v: 1;
  message: [number, string];
  part: [number, string];
}

const CHUNK = 400;

export const openCodeDbParser: DatabaseParser = {
  kind: 'database',
  readDatabase(db: Database, file: FileInfo, cursorIn: unknown): { out: SourceOutput; cursor: unknown } {
    const out: SourceOutput = { records: [], malformed: 0 };
    const tables = new Set(rows(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('session', 'message', 'part')`).map((r) => String(r[0])));
    for (const t of ['session', 'message', 'part']) if (!tables.has(t)) throw new Error(`${file.path}: not an OpenCode database (no ${t} table)`);
    const cursor = readCursor(cursorIn);

    // what changed since the cursor
    const changedMessages = rows(
      db,
      `SELECT id, session_id, time_created, time_updated, data FROM message
       WHERE (time_updated > ? OR (time_updated = ? AND id > ?)) AND json_extract(data, '$.role') = 'assistant'
       ORDER BY time_updated, id`,
      [cursor.message[0], cursor.message[0], cursor.message[1]],
    );
    const changedParts = rows(
      db,
      `SELECT id, message_id, time_updated FROM part
       WHERE (time_updated > ? OR (time_updated = ? AND id > ?)) AND json_extract(data, '$.type') IN ('step-finish', 'tool')
       ORDER BY time_updated, id`,
      [cursor.part[0], cursor.part[0], cursor.part[1]],
    );
    const next: Cursor = { v: 1, message: cursor.message, part: cursor.part };
    if (changedMessages.length > 0) {
      const last = changedMessages[changedMessages.length - 1];
      next.message = [Number(last[3]), String(last[0])];
    }
    if (changedParts.length > 0) {
      const last = changedParts[changedParts.length - 1];
      next.part = [Number(last[2]), String(last[0])];
    }

    // every message touched, read whole
    const messages = new Map<string, { session: string; created: number; data: string }>();
    for (const r of changedMessages) messages.set(String(r[0]), { session: String(r[1]), created: Number(r[2]), data: String(r[4]) });
    const missing = [...new Set(changedParts.map((r) => String(r[1])))].filter((id) => !messages.has(id));
    for (let i = 0; i < missing.length; i += CHUNK) {
      const ids = missing.slice(i, i + CHUNK);
      for (const r of rows(db, `SELECT id, session_id, time_created, data FROM message WHERE id IN (${ids.map(() => '?').join(',')}) AND json_extract(data, '$.role') = 'assistant'`, ids)) {
        messages.set(String(r[0]), { session: String(r[1]), created: Number(r[2]), data: String(r[3]) });
      }
    }
    if (messages.size === 0) return { out, cursor: next };

    const steps = new Map<string, string[]>();
    const tools = new Map<string, string[]>();
    const ids = [...messages.keys()];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const partRows = rows(
        db,
        `SELECT message_id, json_extract(data, '$.type'), json_extract(data, '$.tokens'), json_extract(data, '$.tool') FROM part
         WHERE message_id IN (${chunk.map(() => '?').join(',')}) AND json_extract(data, '$.type') IN ('step-finish', 'tool')
         ORDER BY message_id, id`,
        chunk,
      );
      for (const [messageId, type, tokens, tool] of partRows) {
        const id = String(messageId);
        if (type === 'step-finish') push(steps, id, tokens === null ? 'null' : String(tokens));
        else if (typeof tool === 'string' && tool) push(tools, id, tool);
      }
    }

    const sessions = loadSessions(db);
    for (const [id, m] of messages) {
      let data: unknown;
      try {
        data = JSON.parse(m.data);
      } catch {
        out.malformed++;
        continue;
      }
      if (!isObject(data)) {
        out.malformed++;
        continue;
      }
      const stepTokens: unknown[] = [];
      for (const s of steps.get(id) ?? []) {
        try {
          stepTokens.push(JSON.parse(s));
        } catch {
          stepTokens.push(undefined);
        }
      }
      const root = rootOf(m.session, sessions);
      const project = sessions.get(root)?.directory || messageCwd(data) || '(unknown)';
      const names = tools.get(id) ?? [];
      const result = messageRecord(data, {
        id,
        sessionID: m.session,
        rootSessionID: root,
        project,
        subagent: root !== m.session,
        steps: stepTokens.length > 0 ? stepTokens : undefined,
        tools: [...new Set(names)],
        fallbackTs: Number.isFinite(m.created) ? m.created : undefined,
      });
      out.malformed += result.malformed;
      if (result.record) out.records.push(result.record);
    }
    return { out, cursor: next };
  },
};

interface SessionRow {
  parent: string | null;
  directory: string;
}

/**
 * Every session's parent and folder. Columns looked up first: some OpenCode builds drop `session.directory`
 * (migration 20260420200707_remove_session_directory, anomalyco/opencode @cb5126e); the message's `path.cwd` then
 * gives the folder.
 */
function loadSessions(db: Database): Map<string, SessionRow> {
  const map = new Map<string, SessionRow>();
  const columns = new Set(rows(db, `SELECT name FROM pragma_table_info('session')`).map((r) => String(r[0])));
  const parentCol = columns.has('parent_id') ? 'parent_id' : 'NULL';
  const directoryCol = columns.has('directory') ? 'directory' : "''";
  for (const [id, parent, directory] of rows(db, `SELECT id, ${parentCol}, ${directoryCol} FROM session`)) {
    map.set(String(id), { parent: typeof parent === 'string' && parent ? parent : null, directory: typeof directory === 'string' ? directory : '' });
  }
  return map;
}

/** The top session of a subtask chain (a session missing from the table, or a cycle, stops the walk). */
function rootOf(session: string, sessions: Map<string, SessionRow>): string {
  let id = session;
  const seen = new Set<string>([id]);
  for (;;) {
    const parent = sessions.get(id)?.parent;
    if (!parent || seen.has(parent) || !sessions.has(parent)) return id;
    seen.add(parent);
    id = parent;
  }
}

function readCursor(c: unknown): Cursor {
  if (isObject(c) && c.v === 1 && isMark(c.message) && isMark(c.part)) return { v: 1, message: c.message, part: c.part };
  return { v: 1, message: [-1, ''], part: [-1, ''] };
}

function isMark(v: unknown): v is [number, string] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
}


function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
