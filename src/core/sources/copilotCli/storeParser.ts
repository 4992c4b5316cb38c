import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Database } from 'sql.js';
import type { DatabaseParser, FileInfo, KeyedUsage, SourceOutput } from '../plugin';
import { sqlRows as rows } from '../sqlRows';
import { isStore, listSessionFiles, STATE_DIRS } from './discovery';
import { parseEventLines } from './eventsParser';

/**
 * GitHub Copilot CLI's session store, `<Copilot home>/session-store.db` (SQLite in WAL mode, written by the CLI for
 * every session of the home; closed source — schema and meaning from peers that read real stores):
 *   sessions(id, cwd, repository, branch, created_at, …)
 *   assistant_usage_events(id INTEGER PRIMARY KEY AUTOINCREMENT, session_id, turn_index, model, input_tokens,
 *     output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, created_at, total_nano_aiu,
 *     request_multiplier, initiator, duration_ms, …)
 * (getagentseal/codeburn src/providers/copilot.ts @ed8fa3a, `SESSION_STORE_USAGE_COLUMNS` / `_FROM` / `_SELECTS` and
 * its test schema tests/providers/copilot.test.ts `createSessionStoreDb`; a Rust reader's `USAGE_EVENT_COLUMNS`
 * "verified against local schema 8"; a capture note of CLI 1.0.91, store `schema_version` 8.) Checked against the
 * CLI's own schema in 1.0.102 (`CREATE TABLE IF NOT EXISTS assistant_usage_events` and its INSERT, in the platform
 * package's `prebuilds/linux-x64/runtime.node`): every column read here is there, unchanged; it adds `agent_id`,
 * `parent_tool_call_id` (a subagent's requests, in its parent session), `copilot_usage_model`, latency and
 * `finish_reason` columns, none of which changes a count.
 *
 * Meaning (each from the same peers):
 * - one row per API request (model call), written as it happens — also for a session killed before its
 *   `session.shutdown`, and for the compaction's own summarisation request (codeburn, "confirmed on a real store");
 * - `input_tokens` includes the cache: uncached input = input_tokens − cache_read_tokens − cache_write_tokens
 *   (codeburn: "confirmed against token_details_json"; the Rust reader: "all 36 rows matched"), the same convention
 *   as the shutdown's `inputTokens`;
 * - `reasoning_tokens` is part of `output_tokens` (codeburn: token_details_json bills input / cache read / cache
 *   write / output only, no reasoning entry), as in the shutdown path: output = output_tokens, reasoning display only;
 * - the rows of a session logged before a shutdown sum to that shutdown's cumulative `modelMetrics` in every field
 *   (capture note, CLI 1.0.91: all 11 fields equal for both shutdowns of three runs), so rows and shutdowns are two
 *   views of the same usage: each session is counted from ONE of them;
 * - `created_at` is ISO 8601 with Z as the CLI writes it; SQLite's `datetime('now')` default is UTC without a zone
 *   (codeburn `normalizeTimestamp`): both read as UTC.
 *
 * One place per session: a session with rows in the store is counted from its rows only (one record per row, at its
 * time, key `<session>:store:<id>:<created_at>` — the id alone could come back if the store were recreated); a session
 * the store lacks (run by a CLI build before the store, or a store without the usage table) is counted from its
 * shutdowns by this parser, with the events parser's own code and keys (eventsParser.ts `parseEventLines`), and is
 * "usage unknown" only when it has activity after its last shutdown. The events parser itself reports nothing when
 * a store is beside it (`storeBeside`), so whichever file is read first, nothing is counted twice. (Its shutdown
 * records of a session read before the store existed have the same keys as the ones this parser makes for it: last
 * wins.) A session's shutdowns are read here when the store changes (the CLI writes a row per request, so it changes
 * during every session); an events log of a store-less session that changed since the last read is read whole again.
 *
 * Incremental: the cursor keeps the last row id read (rows are only appended; an id below it means a recreated store:
 * read from the start) and, per events log read here, its size and time and whether its usage is unknown.
 * A store that cannot be read (being written) throws: the caller skips it and reads it again at its next change.
 */

interface LogMark {
  size: number;
  mtimeMs: number;
  /** the session whose usage is not on disk, '' when known */
  unknown: string;
}

interface Cursor {
  v: 1;
  lastId: number;
  logs: Record<string, LogMark>;
}

const REQUIRED = ['id', 'session_id', 'model', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'created_at'];

export const copilotStoreParser: DatabaseParser = {
  kind: 'database',
  readDatabase(db: Database, file: FileInfo, cursorIn: unknown): { out: SourceOutput; cursor: unknown } {
    const out: SourceOutput = { records: [], malformed: 0 };
    const prev = readCursor(cursorIn);
    const next: Cursor = { v: 1, lastId: prev.lastId, logs: {} };
    // the same question the events parser asks (discovery.ts): not a store = nothing here, the events parser counts
    if (!isStore(file.path)) return { out, cursor: next };

    const tables = new Set(rows(db, `SELECT name FROM sqlite_master WHERE type = 'table'`).map((r) => String(r[0])));
    const usage = tables.has('assistant_usage_events') ? columns(db, 'assistant_usage_events') : new Set<string>();
    const usable = REQUIRED.every((c) => usage.has(c));
    const covered = new Set<string>();
    if (usable) {
      for (const [s] of rows(db, `SELECT DISTINCT session_id FROM assistant_usage_events`)) if (typeof s === 'string' && s) covered.add(s);
      const [maxId] = rows(db, `SELECT COALESCE(MAX(id), 0) FROM assistant_usage_events`)[0];
      if (Number(maxId) < prev.lastId) next.lastId = 0; // recreated: its ids started again
      readRows(db, tables, usage, next, out);
    }
    readUncovered(dirname(file.path), covered, prev, next, out);
    return { out, cursor: next };
  },
};

/** The rows past the cursor, one record each. */
function readRows(db: Database, tables: Set<string>, usage: Set<string>, next: Cursor, out: SourceOutput): void {
  const session = tables.has('sessions') ? columns(db, 'sessions') : new Set<string>();
  const join = session.has('id');
  const cwd = join && session.has('cwd') ? 's.cwd' : 'NULL';
  const branch = join && session.has('branch') ? 's.branch' : 'NULL';
  const reasoning = usage.has('reasoning_tokens') ? 'e.reasoning_tokens' : '0';
  const result = rows(
    db,
    `SELECT e.id, e.session_id, e.model, e.input_tokens, e.output_tokens, e.cache_read_tokens, e.cache_write_tokens,
            ${reasoning}, e.created_at, ${cwd}, ${branch}
     FROM assistant_usage_events e ${join ? 'LEFT JOIN sessions s ON s.id = e.session_id' : ''}
     WHERE e.id > ? ORDER BY e.id`,
    [next.lastId],
  );
  let lastTs = NaN;
  for (const [id, sessionId, model, input, output, cacheRead, cacheWrite, reasoningTokens, created, dir, gitBranch] of result) {
    next.lastId = Math.max(next.lastId, Number(id));
    const parsed = typeof created === 'string' ? utcTime(created) : NaN;
    // a row without a time (never seen: the column has a default) takes the previous row's, the nearest earlier clock
    const ts = Number.isFinite(parsed) ? parsed : lastTs;
    if (typeof sessionId !== 'string' || !sessionId || !Number.isFinite(ts)) {
      out.malformed++;
      continue;
    }
    lastTs = ts;
    const read = count(cacheRead);
    const write = count(cacheWrite);
    const out_ = count(output);
    const record: KeyedUsage = {
      key: `${sessionId}:store:${String(id)}:${typeof created === 'string' ? created : ''}`,
      ts,
      model: typeof model === 'string' ? model : '',
      project: typeof dir === 'string' && dir ? dir : '(unknown)',
      session: sessionId,
      branch: typeof gitBranch === 'string' ? gitBranch : '',
      input: Math.max(0, count(input) - read - write),
      output: out_,
      cacheWrite5m: write,
      cacheWrite1h: 0,
      cacheRead: read,
      reasoning: Math.min(count(reasoningTokens), out_),
      webSearch: 0,
      requests: 1,
    };
    out.records.push(record);
  }
}

/**
 * The sessions of this home the store lacks: counted from their shutdowns (eventsParser.ts), each log read whole
 * when it changed since the last read; the others' "usage unknown" kept from their last read.
 */
function readUncovered(home: string, covered: Set<string>, prev: Cursor, next: Cursor, out: SourceOutput): void {
  const unknown = new Set<string>();
  for (const name of STATE_DIRS) {
    for (const log of listSessionFiles(join(home, name))) {
      if (covered.has(log.session)) continue;
      let size: number;
      let mtimeMs: number;
      try {
        const st = statSync(log.path);
        size = st.size;
        mtimeMs = Math.floor(st.mtimeMs);
      } catch {
        continue; // gone since it was listed
      }
      const seen = prev.logs[log.path];
      let mark: LogMark;
      if (seen && seen.size === size && seen.mtimeMs === mtimeMs) {
        mark = seen;
      } else {
        let text: Buffer;
        try {
          text = readFileSync(log.path);
        } catch {
          continue;
        }
        const part: SourceOutput = { records: [], malformed: 0 };
        // complete lines only, as the lines reader hands them (a half-written last line waits for the next read)
        const end = text.lastIndexOf(10) + 1;
        parseEventLines(text.subarray(0, end), 0, log, {}, part);
        out.records.push(...part.records);
        out.malformed += part.malformed;
        mark = { size, mtimeMs, unknown: part.unknownUsageSessions?.[0] ?? '' };
      }
      next.logs[log.path] = mark;
      if (mark.unknown) unknown.add(mark.unknown);
    }
  }
  if (unknown.size > 0) out.unknownUsageSessions = [...unknown];
}

/** ISO 8601 with a zone as written, or SQLite's zoneless UTC `YYYY-MM-DD HH:MM:SS[.fff]`. */
function utcTime(s: string): number {
  const zoneless = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s);
  return Date.parse(zoneless ? `${s.replace(' ', 'T')}Z` : s);
}

function columns(db: Database, table: string): Set<string> {
  return new Set(rows(db, `SELECT name FROM pragma_table_info('${table}')`).map((r) => String(r[0])));
}

function readCursor(c: unknown): Cursor {
  if (typeof c === 'object' && c !== null && (c as Cursor).v === 1 && typeof (c as Cursor).lastId === 'number' && typeof (c as Cursor).logs === 'object' && (c as Cursor).logs !== null) {
    return c as Cursor;
  }
  return { v: 1, lastId: 0, logs: {} };
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

