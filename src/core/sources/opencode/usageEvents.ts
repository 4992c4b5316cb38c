import type { Database, SqlValue, Statement } from 'sql.js';
import type { SourceOutput } from '../plugin';
import { sqlRows as rows } from '../sqlRows';
import { type SessionRow, v2Call } from './sessionMessages';
import { isObject } from './tokens';

/**
 * The model calls OpenCode 2.x makes for itself — a session's compaction (its summary) and its title — are no
 * `session_message` rows: each records its usage as a durable event `session.usage.recorded` (anomalyco/opencode
 * packages/schema/src/session-event.ts @0313097 `UsageRecorded`: data `{sessionID, source: 'title' | 'compaction',
 * cost, tokens: {input, output, reasoning, cache: {read, write}}}`; packages/core/src/session/compaction.ts @031a4a9
 * `recordUsage`: every step of the summary's stream summed by SessionUsage, published once the stream ends, or is
 * interrupted, even when the summary then fails). Durable events are rows of the `event` table
 * (packages/core/src/event/sql.ts @0cab11f: `event(id, aggregate_id, seq, type, data)`, the aggregate being the
 * session) under the versioned type `session.usage.recorded.1` (packages/schema/src/event.ts @162a75f
 * `versionedType`). OpenCode's own totals (packages/core/src/session/stats.ts) add these events to the assistant rows:
 * the two are apart, so each call counts once. Tokens as for an assistant row (usage.ts: reasoning apart from output).
 * - Time: the row's `created` (epoch ms) where the table has that column, else the one in the id (`evt_` + 16 hex
 *   digits of ms·0x1000 + counter: packages/schema/src/identifier.ts @7076ab6); an id without it is malformed.
 * - Model: not in the event. A compaction's is the one the session's next event names when that is its
 *   `session.compaction.ended` with `model: {id, providerID}` (compaction.ts @031a4a9 publishes it right after the
 *   usage, `model: context.model.ref`); a title's, or any other, is not logged: '' (unpriced; OpenCode's cost shown).
 * - OpenCode prunes a session's events 48 h after its last activity (packages/core/src/event/retention.ts @e1e995d,
 *   unless `event_journal.disabled`): a call is counted when AgentMeter read the store before that.
 * Incremental by the table's rowid: the mark is the last row's (rowid, id) at the read; when that row is gone (pruned,
 * so SQLite may hand its rowid out again) the next read starts over (same keys: nothing counted twice).
 */
const USAGE = `(e.type = 'session.usage.recorded' OR e.type LIKE 'session.usage.recorded.%')`;

export function readUsageEvents(
  db: Database,
  mark: [number, string],
  sessions: () => Map<string, SessionRow>,
  rootOf: (session: string) => string,
  out: SourceOutput,
): [number, string] {
  const columns = new Set(rows(db, `SELECT name FROM pragma_table_info('event')`).map((r) => String(r[0])));
  const last = rows(db, 'SELECT rowid, id FROM event ORDER BY rowid DESC LIMIT 1')[0];
  if (!last) return [-1, ''];
  let from = mark[0];
  if (from >= 0 && rows(db, 'SELECT id FROM event WHERE rowid = ?', [from])[0]?.[0] !== mark[1]) from = -1;
  const created = columns.has('created') ? 'e.created' : 'NULL';
  const seq = columns.has('seq') ? 'e.seq' : 'NULL';
  const next = columns.has('seq') ? db.prepare(`SELECT type, data FROM event WHERE aggregate_id = ? AND seq > ? ORDER BY seq LIMIT 1`) : undefined;
  let known: Map<string, SessionRow> | undefined;
  try {
    for (const [id, session, rowSeq, rowCreated, data] of rows(db, `SELECT e.id, e.aggregate_id, ${seq}, ${created}, e.data FROM event e WHERE e.rowid > ? AND ${USAGE} ORDER BY e.rowid`, [from])) {
      const usage = parse(data);
      if (!usage) {
        out.malformed++;
        continue;
      }
      const ts = typeof rowCreated === 'number' && Number.isFinite(rowCreated) ? rowCreated : idTime(String(id));
      const model = next && usage.source === 'compaction' && typeof rowSeq === 'number' ? compactionModel(next, String(session), rowSeq) : undefined;
      known ??= sessions();
      const record = v2Call({ key: String(id), session: String(session), ts, model, tokens: usage.tokens, cost: usage.cost, tools: [] }, known, rootOf);
      if (record === 'malformed') out.malformed++;
      else if (record) out.records.push(record);
    }
  } finally {
    next?.free();
  }
  return [Number(last[0]), String(last[1])];
}

function parse(data: SqlValue): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(String(data));
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The model a compaction ran on: the session's next event, when it is the compaction's end and names one. */
function compactionModel(next: Statement, session: string, seq: number): unknown {
  next.bind([session, seq]);
  try {
    if (!next.step()) return undefined;
    const [type, data] = next.get();
    if (typeof type !== 'string' || !/^session\.compaction\.ended(\.\d+)?$/.test(type)) return undefined;
    return parse(data)?.model;
  } finally {
    next.reset();
  }
}

/** The epoch ms an event id was made at (`evt_` + 16 hex digits of ms·0x1000 + counter), or undefined. */
function idTime(id: string): number | undefined {
  const m = /^evt_([0-9a-f]{16})/.exec(id);
  return m ? Number(BigInt(`0x${m[1]}`) / 0x1000n) : undefined;
}
