import type { Database, SqlValue } from 'sql.js';
import type { DatabaseParser, FileInfo, SourceOutput } from '../plugin';
import { sqlRows as rows } from '../sqlRows';
import { forkSigns, isForkCopy } from './forkCopy';
import { messageCwd, messageRecord } from './record';
import { readSessionMessages, type SessionRow } from './sessionMessages';
import { readUsageEvents } from './usageEvents';
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
 * A first read (no cursor yet) reads every row once instead (readAll): the same records and cursor in one scan of each
 * table, where the ids-then-chunks way reads each row twice, the second time through the indexes in random order.
 * OpenCode 2.x's `session_message` rows (its calls since the upgrade; sessions in `session_v2`) are read as well, past
 * their own mark `v2` (sessionMessages.ts); a 2.x store without the 1.x tables is read from those alone.
 * A database without OpenCode's tables (or being rewritten) throws: the caller skips it and retries on its next change.
 * The store runs in WAL mode: the newest rows are in `opencode.db-wal` until a checkpoint, so the caller should hand
 * `mergeWal(copy of .db, copy of .db-wal)` (keyed/sqliteWal.ts: keyedParse.ts does) and treat a change of the -wal as a
 * change of the database (discovery.ts stamps a database with its -wal).
 */
interface Cursor {
  v: 1;
  message: [number, string];
  part: [number, string];
  /** OpenCode 2.x's `session_message` (sessionMessages.ts); only in the cursor of a database that has that table */
  v2?: [number, string];
  /** the `event` table's last (rowid, id) read for its usage events (usageEvents.ts); only where that table is */
  events?: [number, string];
}

const CHUNK = 400;
/** the rows past a cursor's mark (time_updated, id), bound with time, time, id */
const SINCE = '(time_updated > ? OR (time_updated = ? AND id > ?))';
/** SINCE's arguments for the start (no cursor yet) */
const START: SqlValue[] = [-1, -1, ''];

export const openCodeDbParser: DatabaseParser = {
  kind: 'database',
  readDatabase(db: Database, file: FileInfo, cursorIn: unknown): { out: SourceOutput; cursor: unknown } {
    const tables = new Set(rows(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('session', 'session_v2', 'message', 'part', 'session_message', 'event')`).map((r) => String(r[0])));
    const legacy = tables.has('message') && tables.has('part');
    const v2 = tables.has('session_message');
    if (!legacy && !v2) throw new Error(`${file.path}: not an OpenCode database (no message/part or session_message table)`);
    if (!tables.has('session') && !tables.has('session_v2')) throw new Error(`${file.path}: not an OpenCode database (no session table)`);
    const cursor = readCursor(cursorIn);
    const result = legacy ? readLegacy(db, cursor) : { out: { records: [], malformed: 0 }, cursor: { v: 1 as const, message: cursor.message, part: cursor.part } };
    let sessions: Map<string, SessionRow> | undefined;
    const known = () => (sessions ??= loadSessions(db));
    if (v2) result.cursor.v2 = readSessionMessages(db, cursor.v2 ?? [-1, ''], legacy, known, (s) => rootOf(s, known()), result.out);
    // the calls OpenCode 2.x makes for itself (compaction, title): usage events, not rows (usageEvents.ts)
    if (tables.has('event')) result.cursor.events = readUsageEvents(db, cursor.events ?? [-1, ''], known, (s) => rootOf(s, known()), result.out);
    return result;
  },
};

/** The 1.x tables (`message`, `part`) past the cursor: the first read in one scan (readAll), later ones by changed ids. */
function readLegacy(db: Database, cursor: Cursor): { out: SourceOutput; cursor: Cursor } {
    const out: SourceOutput = { records: [], malformed: 0 };
    if (isStart(cursor)) return readAll(db);

    // what changed since the cursor: the ids only (a first read of a year: 40k messages, 135k parts); the rows
    // themselves are read a chunk of messages at a time below, so no more than a chunk's text is held at once
    const since = SINCE;
    const messageWhere = `${since} AND json_extract(data, '$.role') = 'assistant'`;
    const partWhere = `${since} AND json_extract(data, '$.type') IN ('step-finish', 'tool')`;
    const messageArgs = [cursor.message[0], cursor.message[0], cursor.message[1]];
    const partArgs = [cursor.part[0], cursor.part[0], cursor.part[1]];
    const next: Cursor = { v: 1, message: cursor.message, part: cursor.part };
    const changedMessages = changedSince(db, `SELECT time_updated, id, id FROM message WHERE ${messageWhere} ORDER BY time_updated, id`, messageArgs);
    if (changedMessages.last) next.message = changedMessages.last;
    const changedParts = changedSince(db, `SELECT time_updated, id, message_id FROM part WHERE ${partWhere} ORDER BY time_updated, id`, partArgs);
    if (changedParts.last) next.part = changedParts.last;

    // every message touched, read whole (its row and all its step-finish/tool parts): the changed ones in their
    // order, then those only their parts changed
    const ids = [...new Set([...changedMessages.messageIds, ...changedParts.messageIds])];
    if (ids.length === 0) return { out, cursor: next };
    const sessions = loadSessions(db);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const marks = chunk.map(() => '?').join(',');
      const messages = new Map<string, { session: string; created: number; data: string }>();
      for (const r of rows(db, `SELECT id, session_id, time_created, data FROM message WHERE id IN (${marks}) AND json_extract(data, '$.role') = 'assistant'`, chunk)) {
        messages.set(String(r[0]), { session: String(r[1]), created: Number(r[2]), data: String(r[3]) });
      }
      const steps = new Map<string, string[]>();
      const tools = new Map<string, string[]>();
      const partRows = rows(
        db,
        `SELECT message_id, json_extract(data, '$.type'), json_extract(data, '$.tokens'), json_extract(data, '$.tool') FROM part
         WHERE message_id IN (${marks}) AND json_extract(data, '$.type') IN ('step-finish', 'tool')
         ORDER BY message_id, id`,
        chunk,
      );
      for (const [messageId, type, tokens, tool] of partRows) {
        const id = String(messageId);
        if (type === 'step-finish') push(steps, id, tokens === null ? 'null' : String(tokens));
        else if (typeof tool === 'string' && tool) push(tools, id, tool);
      }
      for (const id of chunk) {
        const m = messages.get(id);
        if (m) readMessage(id, m, steps.get(id) ?? [], tools.get(id) ?? [], sessions, out);
      }
    }
    return { out, cursor: next };
}

/**
 * The first read (no cursor): what the incremental way gives from the start — every assistant message past the start
 * mark or with a step-finish/tool part past it, each with all its step-finish/tool parts in part-id order, and the
 * cursor at the newest (time_updated, id) past the start of each table — in one scan of `part` (the parts' tokens and
 * tools kept per message, as the chunks would read them) and one of `message` (each message's record made as it comes;
 * its parts let go). Records come in the table's order, not by time: each message has its own key, so the order counts
 * for nothing.
 */
function readAll(db: Database): { out: SourceOutput; cursor: Cursor } {
  const out: SourceOutput = { records: [], malformed: 0 };
  const next: Cursor = { v: 1, message: [-1, ''], part: [-1, ''] };
  let partMark: [number, string] | undefined;
  const parts = new Map<string, { steps: [string, string][]; tools: [string, string][]; touched: boolean }>();
  // the first column: whether the row is past the start (SINCE, as SQLite compares), as the incremental way asks
  eachRow(db, `SELECT ${SINCE}, time_updated, id, message_id, json_extract(data, '$.type'), json_extract(data, '$.tokens'), json_extract(data, '$.tool') FROM part
    WHERE json_extract(data, '$.type') IN ('step-finish', 'tool')`, START, (r) => {
    const id = String(r[2]);
    const messageId = String(r[3]);
    let p = parts.get(messageId);
    if (!p) {
      p = { steps: [], tools: [], touched: false };
      parts.set(messageId, p);
    }
    if (r[0] === 1) {
      partMark = newer(partMark, Number(r[1]), id);
      p.touched = true;
    }
    if (r[4] === 'step-finish') p.steps.push([id, r[5] === null ? 'null' : String(r[5])]);
    else if (typeof r[6] === 'string' && r[6]) p.tools.push([id, r[6]]);
  });
  if (partMark) next.part = partMark;
  let sessions: Map<string, SessionRow> | undefined;
  let messageMark: [number, string] | undefined;
  eachRow(db, `SELECT ${SINCE}, time_updated, id, session_id, time_created, data FROM message WHERE json_extract(data, '$.role') = 'assistant'`, START, (r) => {
    const id = String(r[2]);
    const p = parts.get(id);
    parts.delete(id);
    if (r[0] === 1) messageMark = newer(messageMark, Number(r[1]), id);
    else if (!p?.touched) return;
    sessions ??= loadSessions(db);
    const inOrder = (list: [string, string][]) => list.sort((a, b) => byteOrder(a[0], b[0])).map((x) => x[1]);
    readMessage(id, { session: String(r[3]), created: Number(r[4]), data: String(r[5]) }, p ? inOrder(p.steps) : [], p ? inOrder(p.tools) : [], sessions, out);
  });
  if (messageMark) next.message = messageMark;
  return { out, cursor: next };
}

/** The later of a mark and (time, id), as `ORDER BY time_updated, id` puts them. */
function newer(mark: [number, string] | undefined, time: number, id: string): [number, string] {
  return !mark || time > mark[0] || (time === mark[0] && byteOrder(id, mark[1]) > 0) ? [time, id] : mark;
}

/** SQLite's BINARY order of two texts (their UTF-8 bytes, i.e. code points; JS's < compares UTF-16 units). */
function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function eachRow(db: Database, sql: string, params: SqlValue[], each: (row: SqlValue[]) => void): void {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    while (stmt.step()) each(stmt.get());
  } finally {
    stmt.free();
  }
}

/**
 * The message ids of the rows a query returns (its columns: time_updated, id, the message's id), in its order, and its
 * last row's (time_updated, id) — the cursor — read as they come, without holding the rows.
 */
function changedSince(db: Database, sql: string, params: SqlValue[]): { messageIds: string[]; last: [number, string] | undefined } {
  const messageIds: string[] = [];
  let last: [number, string] | undefined;
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const [updated, id, message] = stmt.get();
      messageIds.push(String(message));
      last = [Number(updated), String(id)];
    }
  } finally {
    stmt.free();
  }
  return { messageIds, last };
}

/** One assistant message's record (or its malformed count), from its row, its step-finish tokens and its tools. */
function readMessage(id: string, m: { session: string; created: number; data: string }, steps: string[], names: string[], sessions: Map<string, SessionRow>, out: SourceOutput): void {
  let data: unknown;
  try {
    data = JSON.parse(m.data);
  } catch {
    out.malformed++;
    return;
  }
  if (!isObject(data)) {
    out.malformed++;
    return;
  }
  // a forked 1.x session's copy of an earlier reply (forkCopy.ts): counted where it was made
  if (isForkCopy(id, isObject(data.time) ? data.time.created : undefined, sessions.get(m.session)?.fork)) return;
  const stepTokens: unknown[] = [];
  for (const s of steps) {
    try {
      stepTokens.push(JSON.parse(s));
    } catch {
      stepTokens.push(undefined);
    }
  }
  const root = rootOf(m.session, sessions);
  const project = sessions.get(root)?.directory || messageCwd(data) || '(unknown)';
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


/**
 * Every session's parent and folder. Columns looked up first: some OpenCode builds drop `session.directory`
 * (migration 20260420200707_remove_session_directory, anomalyco/opencode @cb5126e); the message's `path.cwd` then
 * gives the folder.
 */
function loadSessions(db: Database): Map<string, SessionRow> {
  const map = new Map<string, SessionRow>();
  // OpenCode 2.x keeps its sessions in `session_v2` beside the 1.x `session` (sessionMessages.ts): both are read
  for (const table of ['session', 'session_v2']) {
    const columns = new Set(rows(db, `SELECT name FROM pragma_table_info('${table}')`).map((r) => String(r[0])));
    if (!columns.has('id')) continue;
    const parentCol = columns.has('parent_id') ? 'parent_id' : 'NULL';
    const directoryCol = columns.has('directory') ? 'directory' : "''";
    const titleCol = columns.has('title') ? 'title' : 'NULL';
    const createdCol = columns.has('time_created') ? 'time_created' : 'NULL';
    for (const [id, parent, directory, title, created] of rows(db, `SELECT id, ${parentCol}, ${directoryCol}, ${titleCol}, ${createdCol} FROM ${table}`)) {
      const row: SessionRow = { parent: typeof parent === 'string' && parent ? parent : null, directory: typeof directory === 'string' ? directory : '' };
      // 1.x forks copy their messages (forkCopy.ts); 2.x ones copy rows under ids sessionMessages.ts tells apart
      if (table === 'session') row.fork = forkSigns(parent, title, created);
      map.set(String(id), row);
    }
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
  if (isObject(c) && c.v === 1 && isMark(c.message) && isMark(c.part)) {
    const cursor: Cursor = { v: 1, message: c.message, part: c.part };
    if (isMark(c.v2)) cursor.v2 = c.v2;
    if (isMark(c.events)) cursor.events = c.events;
    return cursor;
  }
  return { v: 1, message: [-1, ''], part: [-1, ''] };
}

function isStart(c: Cursor): boolean {
  return c.message[0] === -1 && c.message[1] === '' && c.part[0] === -1 && c.part[1] === '';
}

function isMark(v: unknown): v is [number, string] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
}


function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
