import type { Database, SqlValue } from 'sql.js';
import type { KeyedUsage, SourceOutput } from '../plugin';
import { sqlRows as rows } from '../sqlRows';
import type { ForkSigns } from './forkCopy';
import { isObject } from './tokens';

/**
 * OpenCode 2.x's message store: the `session_message` table (in the same opencode.db as the 1.x `message`/`part`
 * tables, which stop growing once 2.x runs; 2.x still writes them for sessions its legacy pipeline runs, e.g.
 * `opencode run`). Upstream (anomalyco/opencode `packages/core`, as stored here: `session/projector.ts` @008d571,
 * `session/message.ts` @08e3e1f, `session/runner/step.ts` @0784e0f, `session/runner/usage.ts` @7481668; peers'
 * reports: ccusage#1644 / ccusage PR #1668, codeburn PR #1436, casr#30):
 *   session_message(id, session_id, type, seq, time_created, time_updated, data JSON) — `data` = the message without
 *   id/type. Each model call (`session.next.step.started` … `step.ended`) is its own `type = 'assistant'` row:
 *   `{agent, model: {id, providerID, variant?}, content: [{type: 'text'|'reasoning'|'tool', name?…}], finish?, cost?,
 *   tokens?: {input, output, reasoning, cache: {read, write}}, time: {created (epoch ms), completed?}}`.
 *   The sessions are in `session_v2` (some builds keep the name `session`): `parent_id` (subtasks), `directory`,
 *   `fork_session_id`.
 * Token rule (`usage.ts`: "`input` is already the non-cached input count"; cost = input·in + (output + reasoning)·out
 * + cache): reasoning is apart from output, so billed output = output + reasoning — always (no `total` to tell
 * another convention apart, unlike the 1.x rows, tokens.ts).
 * Copies, not new calls (skipped):
 * - a fork (`projectFork`) copies the parent's rows into the new session under ids `<event id>_<seq>` with the same
 *   `seq`: a row whose id ends in `_<its seq>` is such a copy;
 * - the legacy backfill (`session/message-backfill.ts`) maps each 1.x message to one row with an id
 *   `evt_legacy_backfill_m_…` holding the message's last step's tokens only: while the 1.x tables are there, their
 *   rows (all steps) count instead; a row whose id is a 1.x message id is skipped the same way.
 * Incremental by the high-water mark (time_updated, id) as the 1.x tables are (projector updates a row as its step
 * streams; its `time_updated` moves with it), or every row each read when the table has no `time_updated`.
 */
export interface SessionRow {
  parent: string | null;
  directory: string;
  /** a 1.x root session's fork signs (forkCopy.ts): its copied messages are not counted again */
  fork?: ForkSigns;
}

/** the assistant rows past a mark (time_updated, id), bound with time, time, id */
const SINCE = '(m.time_updated > ? OR (m.time_updated = ? AND m.id > ?))';

export function readSessionMessages(
  db: Database,
  mark: [number, string],
  legacy: boolean,
  sessions: () => Map<string, SessionRow>,
  rootOf: (session: string) => string,
  out: SourceOutput,
): [number, string] {
  const columns = new Set(rows(db, `SELECT name FROM pragma_table_info('session_message')`).map((r) => String(r[0])));
  const incremental = columns.has('time_updated');
  const seq = columns.has('seq') ? 'm.seq' : 'NULL';
  const created = columns.has('time_created') ? 'm.time_created' : 'NULL';
  const updated = incremental ? 'm.time_updated' : 'NULL';
  const where = [`m.type = 'assistant'`];
  const params: SqlValue[] = [];
  if (incremental) {
    where.push(SINCE);
    params.push(mark[0], mark[0], mark[1]);
  }
  if (legacy) where.push(`m.id NOT LIKE 'evt\\_legacy\\_backfill\\_m\\_%' ESCAPE '\\'`, 'm.id NOT IN (SELECT id FROM message)');
  let next = mark;
  const stmt = db.prepare(`SELECT m.id, m.session_id, ${seq}, ${created}, ${updated}, m.data FROM session_message m WHERE ${where.join(' AND ')} ORDER BY ${incremental ? 'm.time_updated, m.id' : 'm.id'}`);
  let known: Map<string, SessionRow> | undefined;
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const [id, session, rowSeq, rowCreated, rowUpdated, data] = stmt.get();
      if (incremental) next = [Number(rowUpdated), String(id)];
      if (typeof rowSeq === 'number' && String(id).endsWith(`_${rowSeq}`)) continue; // a fork's copy
      known ??= sessions();
      const record = assistantRecord(String(id), String(session), typeof rowCreated === 'number' ? rowCreated : undefined, String(data), known, rootOf);
      if (record === 'malformed') out.malformed++;
      else if (record) out.records.push(record);
    }
  } finally {
    stmt.free();
  }
  return next;
}

/** One assistant row's record; undefined when it has no usage yet (a step still streaming, or one that failed first). */
function assistantRecord(
  id: string,
  session: string,
  rowCreated: number | undefined,
  text: string,
  sessions: Map<string, SessionRow>,
  rootOf: (session: string) => string,
): KeyedUsage | undefined | 'malformed' {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'malformed';
  }
  if (!isObject(data)) return 'malformed';
  const time = isObject(data.time) ? data.time : {};
  const ts = typeof time.created === 'number' && Number.isFinite(time.created) ? time.created : rowCreated;
  const tools = new Set<string>();
  if (Array.isArray(data.content)) for (const c of data.content) if (isObject(c) && c.type === 'tool' && typeof c.name === 'string' && c.name) tools.add(c.name);
  return v2Call({ key: id, session, ts, model: data.model, tokens: data.tokens, cost: data.cost, tools: [...tools] }, sessions, rootOf);
}

/**
 * One 2.x model call's record from its usage as 2.x logs it (an assistant row, or a `session.usage.recorded` event:
 * usageEvents.ts): `tokens {input, output, reasoning, cache {read, write}}` by usage.ts's rule (reasoning apart from
 * output), `cost`, `model {id, providerID}` when known. Undefined when it has no usage (no tokens, or all zero).
 */
export function v2Call(
  c: { key: string; session: string; ts: number | undefined; model: unknown; tokens: unknown; cost: unknown; tools: string[] },
  sessions: Map<string, SessionRow>,
  rootOf: (session: string) => string,
): KeyedUsage | undefined | 'malformed' {
  const t = c.tokens;
  if (t === undefined || t === null) return undefined;
  const cache = isObject(t) && t.cache !== undefined ? t.cache : {};
  if (!isObject(t) || !isObject(cache)) return 'malformed';
  const counts = [t.input, t.output, t.reasoning ?? 0, cache.read ?? 0, cache.write ?? 0];
  if (!counts.every(isCount)) return 'malformed';
  const [input, output, reasoning, cacheRead, cacheWrite] = counts as number[];
  if (input + output + reasoning + cacheRead + cacheWrite === 0) return undefined;
  if (c.ts === undefined) return 'malformed';
  const model = isObject(c.model) ? c.model : {};
  const root = rootOf(c.session);
  const record: KeyedUsage = {
    key: c.key,
    ts: c.ts,
    model: typeof model.id === 'string' ? model.id : '',
    project: sessions.get(root)?.directory || sessions.get(c.session)?.directory || '(unknown)',
    session: root,
    branch: '',
    input,
    output: output + reasoning,
    cacheWrite5m: cacheWrite,
    cacheWrite1h: 0,
    cacheRead,
    reasoning,
    webSearch: 0,
    requests: 1,
    tools: c.tools,
    subagent: root !== c.session,
  };
  if (typeof c.cost === 'number' && Number.isFinite(c.cost) && c.cost > 0) record.agentCostUsd = c.cost;
  if (typeof model.providerID === 'string' && model.providerID) record.provider = model.providerID;
  return record;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}
