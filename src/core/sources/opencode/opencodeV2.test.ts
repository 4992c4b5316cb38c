import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../store/sqljs';
import type { FileInfo, KeyedUsage, SourceOutput } from '../plugin';
import { appendEvent, assistantData, eventID, insertSession, insertSessionV2, OPENCODE_EVENT_TABLES, OPENCODE_SCHEMA, OPENCODE_V2_TABLES, stepData, stepFinish, tokens, upsertMessage, upsertPart, upsertSessionMessage } from './fixtures/schema';
import { opencodeSource } from './index';

/**
 * OpenCode 2.x: its calls are rows of `session_message` (one per model call), its sessions rows of `session_v2`, in
 * the same opencode.db as the 1.x tables (sessionMessages.ts cites the upstream files). Before this reader, a 2.x
 * store gave only what 1.x had written before the upgrade.
 */
const FILE: FileInfo = { path: '/home/dev/.local/share/opencode/opencode.db', project: '(unknown)', session: '', format: 'db' };
const T0 = Date.UTC(2026, 10, 20, 14, 0, 0);
const SHOP = '/home/dev/work/shop';
const OLD = 'ses_3a2f91c0affe4Xk2NqP0sRtUvW'; // a 1.x session
const OLD_MSG = 'msg_c5cc84bbf001a3bQs6VdR97IUK';
const S = 'ses_2b71c0d4effeQm3Rt8UvWx1YzA'; // a 2.x session
const SUB = 'ses_2b71bf02affeHk7Lm2Np4Qr6St'; // its subtask
const FORK = 'ses_2b71a9e3cffeJd5Kf7Lg9Mh1Nj'; // a fork of it
const STEP1 = 'msg_d48e3f2b0001Ab3Cd5Ef7Gh9Ij1Kl';
const STEP2 = 'msg_d48e3f9c6001Mn2Op4Qr6St8Uv0Wx';
const STREAMING = 'msg_d48e40a11001Yz1Ab3Cd5Ef7Gh9Ij';
const SUB_STEP = 'msg_d48e3fe07001Kl2Mn4Op6Qr8St0Uv';

const parser = opencodeSource.parsers.db;
function read(db: Database, cursor: unknown): { out: SourceOutput; cursor: unknown } {
  if (parser.kind !== 'database') throw new Error('opencode db parser');
  const r = parser.readDatabase(db, FILE, cursor);
  return { out: r.out, cursor: JSON.parse(JSON.stringify(r.cursor)) as unknown };
}
async function copyOf(db: Database): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(db.export());
}
const byKey = (records: KeyedUsage[]) => new Map(records.map((r) => [r.key, r]));
const v2Tokens = (input: number, output: number, reasoning: number, read: number, write: number) => ({ input, output, reasoning, cache: { read, write } });

/** A store upgraded from 1.x: one 1.x reply (two steps), then 2.x sessions, with the rows 2.x copies. */
async function upgradedDb(): Promise<Database> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  db.exec(OPENCODE_V2_TABLES);
  insertSession(db, { id: OLD, directory: SHOP, title: 'Add the checkout page', time: T0 - 86_400_000 });
  const s1 = tokens(3, 180, 0, 14000, 2200, 16383);
  const s2 = tokens(5, 420, 0, 16200, 610, 17235);
  upsertMessage(db, OLD_MSG, OLD, assistantData({ created: T0 - 86_000_000, completed: T0 - 85_970_000, parentID: 'msg_c5cc84bb4001bKJ6xO4CN6ri8O', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0.0267, tokens: s2, finish: 'stop' }), T0 - 85_970_000);
  upsertPart(db, 'prt_c5cc84c03001CcccccccccccccC', OLD_MSG, OLD, stepFinish(s1, 0.0131), T0 - 85_990_000);
  upsertPart(db, 'prt_c5cc84c05001EeeeeeeeeeeeeE', OLD_MSG, OLD, stepFinish(s2, 0.0136, 'stop'), T0 - 85_970_000);

  insertSessionV2(db, { id: S, directory: SHOP, title: 'Refactor the cart', time: T0 });
  insertSessionV2(db, { id: SUB, parentID: S, directory: `${SHOP}/packages/api`, title: 'Explore the API (@explore subagent)', time: T0 + 30_000 });
  // the 1.x reply as the 2.x backfill maps it (its last step's tokens only), and a row under the 1.x id itself
  upsertSessionMessage(db, { id: 'evt_legacy_backfill_m_00000001_4f0c2a9d8e7b6a5c4d3e2f1a', sessionID: OLD, type: 'assistant', seq: 2, data: stepData({ created: T0 - 86_000_000, completed: T0 - 85_970_000, modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cost: 0.0267, tokens: v2Tokens(5, 420, 0, 16200, 610), finish: 'stop' }) }, T0 + 1);
  upsertSessionMessage(db, { id: OLD_MSG, sessionID: OLD, type: 'assistant', seq: 3, data: stepData({ created: T0 - 86_000_000, modelID: 'claude-sonnet-4-5', providerID: 'anthropic', tokens: v2Tokens(5, 420, 0, 16200, 610) }) }, T0 + 2);

  upsertSessionMessage(db, { id: 'msg_d48e3f2a1001Zz9Yy8Xx7Ww6Vv5Uu', sessionID: S, type: 'user', seq: 1, data: { text: 'Refactor the cart', files: [], agents: [], references: [], time: { created: T0 + 1000 } } }, T0 + 1000);
  upsertSessionMessage(db, { id: STEP1, sessionID: S, type: 'assistant', seq: 2, data: stepData({ created: T0 + 1100, completed: T0 + 9000, modelID: 'gpt-5', providerID: 'openai', cost: 0.01586, tokens: v2Tokens(1200, 310, 950, 8064, 0), tools: ['read', 'grep'], finish: 'tool-calls' }) }, T0 + 9000);
  upsertSessionMessage(db, { id: STEP2, sessionID: S, type: 'assistant', seq: 4, data: stepData({ created: T0 + 9100, completed: T0 + 15_000, modelID: 'gpt-5', providerID: 'openai', cost: 0.00412, tokens: v2Tokens(640, 220, 0, 9216, 0), tools: ['edit'], finish: 'stop' }) }, T0 + 15_000);
  upsertSessionMessage(db, { id: SUB_STEP, sessionID: SUB, type: 'assistant', seq: 2, data: stepData({ created: T0 + 31_000, completed: T0 + 40_000, modelID: 'claude-haiku-4-5', providerID: 'anthropic', cost: 0.00376, tokens: v2Tokens(10, 220, 0, 5000, 1800), tools: ['grep'], finish: 'stop' }) }, T0 + 40_000);
  // a step still streaming: no tokens yet
  upsertSessionMessage(db, { id: STREAMING, sessionID: S, type: 'assistant', seq: 6, data: stepData({ created: T0 + 60_000, modelID: 'gpt-5', providerID: 'openai' }) }, T0 + 60_500);
  // a fork of S: its settled rows copied under `<event id>_<seq>` (projectFork)
  insertSessionV2(db, { id: FORK, forkOf: S, directory: SHOP, title: 'Refactor the cart (fork #1)', time: T0 + 20_000 });
  for (const [seq, id] of [[2, STEP1], [4, STEP2]] as const) {
    const row = JSON.parse(JSON.stringify(stepData({ created: T0 + (seq === 2 ? 1100 : 9100), completed: T0 + (seq === 2 ? 9000 : 15_000), modelID: 'gpt-5', providerID: 'openai', tokens: seq === 2 ? v2Tokens(1200, 310, 950, 8064, 0) : v2Tokens(640, 220, 0, 9216, 0) }))) as Record<string, unknown>;
    upsertSessionMessage(db, { id: `msg_d48e3fd11001Fk4Ev6Nt8Ab0Cd2E_${seq}`, sessionID: FORK, type: 'assistant', seq, data: row }, T0 + 20_000);
    assert.notEqual(id, `msg_d48e3fd11001Fk4Ev6Nt8Ab0Cd2E_${seq}`);
  }
  return db;
}

test('opencode 2.x: each session_message assistant row is one call; reasoning added to output; subtasks under the root; 1.x rows as before', async () => {
  const { out } = read(await copyOf(await upgradedDb()), null);
  assert.equal(out.malformed, 0);
  const r = byKey(out.records);
  assert.deepEqual([...r.keys()].sort(), [OLD_MSG, SUB_STEP, STEP1, STEP2].sort());
  const one = r.get(STEP1)!;
  assert.deepEqual(
    [one.input, one.output, one.reasoning, one.cacheRead, one.cacheWrite5m, one.requests, one.model, one.provider, one.agentCostUsd, one.ts, one.project, one.session, one.subagent],
    [1200, 310 + 950, 950, 8064, 0, 1, 'gpt-5', 'openai', 0.01586, T0 + 1100, SHOP, S, false],
  );
  assert.deepEqual(one.tools, ['read', 'grep']);
  assert.deepEqual([r.get(STEP2)!.input, r.get(STEP2)!.output, r.get(STEP2)!.cacheRead, r.get(STEP2)!.tools], [640, 220, 9216, ['edit']]);
  const sub = r.get(SUB_STEP)!;
  assert.deepEqual([sub.session, sub.project, sub.subagent, sub.input, sub.output, sub.cacheRead, sub.cacheWrite5m, sub.model], [S, SHOP, true, 10, 220, 5000, 1800, 'claude-haiku-4-5']);
  // the 1.x reply: both its steps from the 1.x tables, not the backfilled row (its last step only)
  const old = r.get(OLD_MSG)!;
  assert.deepEqual([old.input, old.output, old.cacheRead, old.cacheWrite5m, old.requests], [3 + 5, 180 + 420, 14000 + 16200, 2200 + 610, 2]);
  // nothing from the fork's copies, the backfill or the step still streaming
  const sum = out.records.reduce((a, x) => a + x.input + x.output + x.cacheRead + x.cacheWrite5m, 0);
  assert.equal(sum, 1200 + 1260 + 8064 + 640 + 220 + 9216 + 10 + 220 + 5000 + 1800 + 8 + 600 + 30200 + 2810);
});

test('opencode 2.x: incremental — a step that gets its tokens and a new step are read next time, nothing else', async () => {
  const db = await upgradedDb();
  const first = read(await copyOf(db), null);
  assert.deepEqual((first.cursor as { v2: unknown }).v2, [T0 + 60_500, STREAMING]);
  assert.deepEqual(read(await copyOf(db), first.cursor).out.records, []);
  upsertSessionMessage(db, { id: STREAMING, sessionID: S, type: 'assistant', seq: 6, data: stepData({ created: T0 + 60_000, completed: T0 + 64_000, modelID: 'gpt-5', providerID: 'openai', cost: 0.002, tokens: v2Tokens(90, 40, 0, 17408, 0), finish: 'stop' }) }, T0 + 64_000);
  const next = read(await copyOf(db), first.cursor);
  assert.deepEqual(next.out.records.map((x) => [x.key, x.input, x.output, x.cacheRead]), [[STREAMING, 90, 40, 17408]]);
  assert.deepEqual((next.cursor as { v2: unknown }).v2, [T0 + 64_000, STREAMING]);
});

test('opencode 2.x: a store with only the 2.x tables (and its sessions in `session`) reads; one without either throws', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_V2_TABLES.replace('`session_v2`', '`session`'));
  db.run('INSERT INTO session (id, project_id, slug, directory, title, version, time_created, time_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [S, 'p', 'brave-comet', SHOP, 't', '2.1.0', T0, T0]);
  upsertSessionMessage(db, { id: STEP1, sessionID: S, type: 'assistant', seq: 2, data: stepData({ created: T0 + 1100, completed: T0 + 9000, modelID: 'gpt-5', providerID: 'openai', tokens: v2Tokens(1200, 310, 950, 8064, 0) }) }, T0 + 9000);
  upsertSessionMessage(db, { id: 'msg_d48e3fff0001Bad0Bad0Bad0Bad0Ba', sessionID: S, type: 'assistant', seq: 3, data: { agent: 'build', model: { id: 'gpt-5', providerID: 'openai' }, content: [], tokens: { input: 'many' }, time: { created: T0 } } }, T0 + 9500);
  const { out } = read(await copyOf(db), null);
  assert.deepEqual(out.records.map((x) => [x.key, x.project, x.output]), [[STEP1, SHOP, 1260]]);
  assert.equal(out.malformed, 1);
  const none = new SQL.Database();
  none.exec('CREATE TABLE session (id text PRIMARY KEY)');
  assert.throws(() => read(none, null), /not an OpenCode database/);
});

test('opencode 2.x: the calls OpenCode makes for itself (compaction, title) count once each, from their `session.usage.recorded` events', async () => {
  // session-event.ts `UsageRecorded` {sessionID, source, cost, tokens}: no row of session_message, no model; a
  // compaction's model is named by the `session.compaction.ended` event published right after it (compaction.ts)
  const db = await upgradedDb();
  db.exec(OPENCODE_EVENT_TABLES);
  const TITLE = eventID(T0 + 1500, 1, 'Ti7Le3Us4Ge5');
  const COMPACT = eventID(T0 + 16_800, 1, 'Co9Mp2Ac4Tn6');
  const SUB_TITLE = eventID(T0 + 30_400, 1, 'Su8Bt1Ti3Le5');
  const usage = (source: string, cost: number, t: ReturnType<typeof v2Tokens>) => ({ sessionID: S, source, cost, tokens: t });
  appendEvent(db, { id: eventID(T0 + 1000, 1, 'Pr0Mp7Ad1Mi3'), sessionID: S, seq: 0, type: 'session.input.admitted.1', data: { sessionID: S } });
  appendEvent(db, { id: TITLE, sessionID: S, seq: 1, type: 'session.usage.recorded.1', data: usage('title', 0.00009, v2Tokens(310, 12, 0, 0, 0)) });
  appendEvent(db, { id: eventID(T0 + 1501, 1, 'Re1Na2Me3Dd4'), sessionID: S, seq: 2, type: 'session.renamed.1', data: { sessionID: S, title: 'Refactor the cart' } });
  // a step's own usage is its assistant row (counted there), never an event of this type
  appendEvent(db, { id: eventID(T0 + 9000, 1, 'St3Pe4Nd5Ed6'), sessionID: S, seq: 3, type: 'session.step.ended.1', data: { sessionID: S, assistantMessageID: STEP1, finish: 'tool-calls', cost: 0.01586, tokens: v2Tokens(1200, 310, 950, 8064, 0) } });
  appendEvent(db, { id: eventID(T0 + 16_000, 1, 'Cm1St2Ar3Te4'), sessionID: S, seq: 4, type: 'session.compaction.started.1', data: { sessionID: S, reason: 'auto', recent: '' } });
  appendEvent(db, { id: COMPACT, sessionID: S, seq: 5, type: 'session.usage.recorded.1', data: usage('compaction', 0.0297, v2Tokens(21_400, 1350, 420, 0, 0)) });
  appendEvent(db, { id: eventID(T0 + 16_801, 1, 'Cm5En6De7Dd8'), sessionID: S, seq: 6, type: 'session.compaction.ended.1', data: { sessionID: S, reason: 'auto', model: { id: 'gpt-5', providerID: 'openai' }, text: '## Objective', recent: '' } });
  appendEvent(db, { id: SUB_TITLE, sessionID: SUB, seq: 0, type: 'session.usage.recorded.1', data: { ...usage('title', 0.00004, v2Tokens(120, 9, 0, 0, 0)), sessionID: SUB } });

  const first = read(await copyOf(db), null);
  assert.equal(first.out.malformed, 0);
  const r = byKey(first.out.records);
  assert.deepEqual([...r.keys()].sort(), [OLD_MSG, SUB_STEP, STEP1, STEP2, TITLE, COMPACT, SUB_TITLE].sort());
  const c = r.get(COMPACT)!;
  assert.deepEqual(
    [c.ts, c.model, c.provider, c.input, c.output, c.reasoning, c.cacheRead, c.requests, c.agentCostUsd, c.session, c.project, c.subagent, c.tools],
    [T0 + 16_800, 'gpt-5', 'openai', 21_400, 1350 + 420, 420, 0, 1, 0.0297, S, SHOP, false, []],
  );
  const t = r.get(TITLE)!;
  assert.deepEqual([t.ts, t.model, t.provider, t.input, t.output, t.agentCostUsd], [T0 + 1500, '', undefined, 310, 12, 0.00009]);
  assert.deepEqual([r.get(SUB_TITLE)!.session, r.get(SUB_TITLE)!.subagent], [S, true]);

  // incremental: the next read finds only what was appended since
  assert.deepEqual(read(await copyOf(db), first.cursor).out.records, []);
  const LATER = eventID(T0 + 90_000, 1, 'La7Te8Rc9Om0');
  appendEvent(db, { id: LATER, sessionID: S, seq: 7, type: 'session.usage.recorded.1', data: usage('compaction', 0.02, v2Tokens(18_000, 900, 0, 0, 0)) });
  const second = read(await copyOf(db), first.cursor);
  assert.deepEqual(second.out.records.map((x) => [x.key, x.input, x.model]), [[LATER, 18_000, '']]);
  // the journal pruned (retention.ts) and written again: the rowid the mark names is another row's, so all is read
  // again (the same keys: nothing counted twice)
  db.run('DELETE FROM event');
  appendEvent(db, { id: eventID(T0 + 99_000, 1, 'Ne1Wr2Ow3Aa4'), sessionID: S, seq: 0, type: 'session.usage.recorded.1', data: usage('title', 0.0001, v2Tokens(200, 10, 0, 0, 0)) });
  assert.deepEqual(read(await copyOf(db), second.cursor).out.records.map((x) => x.input), [200]);

  // a build whose journal keeps `created`: that is the time
  db.run('ALTER TABLE event ADD COLUMN created integer');
  db.run('UPDATE event SET created = ?', [T0 + 99_500]);
  assert.deepEqual(read(await copyOf(db), null).out.records.filter((x) => x.key.startsWith('evt_')).map((x) => x.ts), [T0 + 99_500]);
});
