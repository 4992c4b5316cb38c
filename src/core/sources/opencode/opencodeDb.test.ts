import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../store/sqljs';
import type { FileInfo, KeyedUsage, SourceOutput } from '../plugin';
import { assistantData, insertSession, KILO_SCHEMA, OPENCODE_SCHEMA, stepFinish, tokens, toolPart, upsertMessage, upsertPart } from './fixtures/schema';
import { opencodeSource } from './index';
import { normaliseTokens } from './tokens';

const ROOT = 'ses_3a2f91c0affe4Xk2NqP0sRtUvW';
const CHILD = 'ses_3a2f8e11dffeB7mQwErTyUiOpA';
const SHOP = '/home/dev/work/shop';
const T0 = Date.UTC(2026, 10, 3, 9, 0, 0);
const FILE: FileInfo = { path: '/home/dev/.local/share/opencode/opencode.db', project: '(unknown)', session: '', format: 'db' };

const parser = opencodeSource.parsers.db;
function read(db: Database, cursor: unknown): { out: SourceOutput; cursor: unknown } {
  if (parser.kind !== 'database') throw new Error('opencode db parser');
  const r = parser.readDatabase(db, FILE, cursor);
  return { out: r.out, cursor: JSON.parse(JSON.stringify(r.cursor)) as unknown }; // stored as JSON
}

/** The caller's view: a read-only copy of the database's bytes. */
async function copyOf(db: Database): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(db.export());
}

/** A store as OpenCode writes it: a session with a subtask session, replies from three writers' eras, one aborted reply. */
async function baseDb(): Promise<Database> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  insertSession(db, { id: ROOT, directory: SHOP, title: 'Add the checkout page', time: T0 });
  // a subtask (task tool): a child session; its folder differs here only to show whose folder is used
  insertSession(db, { id: CHILD, parentID: ROOT, directory: `${SHOP}/packages/api`, title: 'Explore the API (@explore subagent)', time: T0 + 60_000 });
  upsertMessage(db, 'msg_c5cc84bb4001bKJ6xO4CN6ri8O', ROOT, { role: 'user', time: { created: T0 }, agent: 'build', model: { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' } }, T0);

  // two steps (a tool loop) in one message: the message's tokens hold the last step only, its cost the sum
  const s1 = tokens(3, 180, 0, 14000, 2200, 16383);
  const s2 = tokens(5, 420, 0, 16200, 610, 17235);
  upsertMessage(db, 'msg_c5cc84bbf001a3bQs6VdR97IUK', ROOT, assistantData({ created: T0 + 1000, completed: T0 + 30_000, parentID: 'msg_c5cc84bb4001bKJ6xO4CN6ri8O', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0.0267, tokens: s2, finish: 'stop' }), T0 + 30_000);
  upsertPart(db, 'prt_c5cc84c01001AaaaaaaaaaaaaA', 'msg_c5cc84bbf001a3bQs6VdR97IUK', ROOT, { type: 'step-start', snapshot: '1f0e' }, T0 + 1100);
  upsertPart(db, 'prt_c5cc84c02001BbbbbbbbbbbbbB', 'msg_c5cc84bbf001a3bQs6VdR97IUK', ROOT, toolPart('read', { filePath: `${SHOP}/src/cart.ts` }, T0 + 5000), T0 + 6000);
  upsertPart(db, 'prt_c5cc84c03001CcccccccccccccC', 'msg_c5cc84bbf001a3bQs6VdR97IUK', ROOT, stepFinish(s1, 0.0131), T0 + 6100);
  upsertPart(db, 'prt_c5cc84c04001DdddddddddddddD', 'msg_c5cc84bbf001a3bQs6VdR97IUK', ROOT, toolPart('edit', { filePath: `${SHOP}/src/cart.ts` }, T0 + 20_000), T0 + 21_000);
  upsertPart(db, 'prt_c5cc84c05001EeeeeeeeeeeeeE', 'msg_c5cc84bbf001a3bQs6VdR97IUK', ROOT, stepFinish(s2, 0.0136, 'stop'), T0 + 30_000);

  // the current writer: output without reasoning, total = input + output + reasoning + cache
  const cur = tokens(1200, 310, 950, 8064, 0, 10524);
  upsertMessage(db, 'msg_c5cc9a010001Gg7HhJjKkLlMmN', ROOT, assistantData({ created: T0 + 120_000, completed: T0 + 150_000, parentID: 'msg_c5cc99ff0001Uu1Vv2Ww3Xx4Yy', modelID: 'gpt-5', providerID: 'openai', cwd: SHOP, cost: 0.01586, tokens: cur, finish: 'stop' }), T0 + 150_000);
  upsertPart(db, 'prt_c5cc9a020001FfffffffffffffF', 'msg_c5cc9a010001Gg7HhJjKkLlMmN', ROOT, stepFinish(cur, 0.01586, 'stop'), T0 + 150_000);

  // an older writer's row: total = input + output + cache, i.e. reasoning inside output
  const old = tokens(900, 1400, 1100, 4096, 0, 6396);
  upsertMessage(db, 'msg_c5cca1110001Pp2Qq3Rr4Ss5Tt', ROOT, assistantData({ created: T0 + 200_000, completed: T0 + 230_000, parentID: 'msg_c5cca1000001Zz9Yy8Xx7Ww6Vv', modelID: 'gpt-5', providerID: 'openai', cwd: SHOP, cost: 0.0156, tokens: old, finish: 'stop' }), T0 + 230_000);
  upsertPart(db, 'prt_c5cca1120001GgggggggggggggG', 'msg_c5cca1110001Pp2Qq3Rr4Ss5Tt', ROOT, stepFinish(old, 0.0156, 'stop'), T0 + 230_000);

  // the subtask's reply
  const sub = tokens(10, 220, 0, 5000, 1800, 7030);
  upsertMessage(db, 'msg_c5cd00010001Aa1Bb2Cc3Dd4Ee', CHILD, assistantData({ created: T0 + 61_000, completed: T0 + 90_000, parentID: 'msg_c5cd00000001Ff5Gg6Hh7Ii8Jj', modelID: 'claude-haiku-4-5', providerID: 'anthropic', cwd: `${SHOP}/packages/api`, cost: 0.00376, tokens: sub, finish: 'stop' }), T0 + 90_000);
  upsertPart(db, 'prt_c5cd00020001HhhhhhhhhhhhhH', 'msg_c5cd00010001Aa1Bb2Cc3Dd4Ee', CHILD, toolPart('grep', { pattern: 'router' }, T0 + 70_000), T0 + 71_000);
  upsertPart(db, 'prt_c5cd00030001IiiiiiiiiiiiiI', 'msg_c5cd00010001Aa1Bb2Cc3Dd4Ee', CHILD, toolPart('read', { filePath: `${SHOP}/packages/api/router.ts` }, T0 + 72_000), T0 + 73_000);
  upsertPart(db, 'prt_c5cd00040001JjjjjjjjjjjjjJ', 'msg_c5cd00010001Aa1Bb2Cc3Dd4Ee', CHILD, stepFinish(sub, 0.00376, 'stop'), T0 + 90_000);

  // aborted before its first step finished: no usage anywhere
  upsertMessage(db, 'msg_c5cdff010001Kk1Ll2Mm3Nn4Oo', ROOT, assistantData({ created: T0 + 300_000, parentID: 'msg_c5cdff000001Pp5Qq6Rr7Ss8Tt', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0, tokens: tokens(0, 0, 0, 0, 0) }), T0 + 300_500);
  // streaming right now: its tokens are filled when its step finishes
  upsertMessage(db, 'msg_c5ce10010001Uu1Vv2Ww3Xx4Yy', ROOT, assistantData({ created: T0 + 400_000, parentID: 'msg_c5ce10000001Zz5Aa6Bb7Cc8Dd', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0, tokens: tokens(0, 0, 0, 0, 0) }), T0 + 400_000);
  return db;
}

const byKey = (records: KeyedUsage[]) => new Map(records.map((r) => [r.key, r]));

test('opencode db: one record per assistant message, the sum of its step-finish parts, with its tools, cost, provider and model', async () => {
  const db = await baseDb();
  const { out } = read(await copyOf(db), null);
  assert.equal(out.malformed, 0);
  const r = byKey(out.records);
  assert.deepEqual([...r.keys()].sort(), ['msg_c5cc84bbf001a3bQs6VdR97IUK', 'msg_c5cc9a010001Gg7HhJjKkLlMmN', 'msg_c5cca1110001Pp2Qq3Rr4Ss5Tt', 'msg_c5cd00010001Aa1Bb2Cc3Dd4Ee']);
  const loop = r.get('msg_c5cc84bbf001a3bQs6VdR97IUK')!;
  assert.deepEqual(
    { input: loop.input, output: loop.output, cacheRead: loop.cacheRead, cacheWrite5m: loop.cacheWrite5m, reasoning: loop.reasoning, requests: loop.requests },
    { input: 3 + 5, output: 180 + 420, cacheRead: 14000 + 16200, cacheWrite5m: 2200 + 610, reasoning: 0, requests: 2 },
  );
  assert.deepEqual(loop.tools, ['read', 'edit']);
  assert.equal(loop.agentCostUsd, 0.0267);
  assert.equal(loop.provider, 'anthropic');
  assert.equal(loop.model, 'claude-sonnet-4-5');
  assert.equal(loop.ts, T0 + 1000);
  assert.equal(loop.project, SHOP);
  assert.equal(loop.session, ROOT);
  assert.equal(loop.subagent, false);
});

test('opencode db: reasoning is added to output where OpenCode keeps it apart, not where it is already inside', async () => {
  const { out } = read(await copyOf(await baseDb()), null);
  const r = byKey(out.records);
  const current = r.get('msg_c5cc9a010001Gg7HhJjKkLlMmN')!; // total 10524 = 1200 + 310 + 950 + 8064
  assert.deepEqual([current.input, current.output, current.reasoning, current.cacheRead], [1200, 310 + 950, 950, 8064]);
  const older = r.get('msg_c5cca1110001Pp2Qq3Rr4Ss5Tt')!; // total 6396 = 900 + 1400 + 4096
  assert.deepEqual([older.input, older.output, older.reasoning, older.cacheRead], [900, 1400, 1100, 4096]);
  // the rules themselves
  assert.deepEqual(normaliseTokens(tokens(100, 50, 0, 10, 5), 'anthropic'), { input: 100, output: 50, reasoning: 0, cacheRead: 10, cacheWrite: 5 });
  assert.equal(normaliseTokens(tokens(100, 50, 30, 0, 0), 'openai')!.output, 50, 'no total: the older writer, reasoning inside output');
  assert.equal(normaliseTokens(tokens(100, 50, 30, 0, 0), 'google')!.output, 80, 'no total, Google: AI SDK v5 kept thoughts apart');
  assert.equal(normaliseTokens(tokens(100, 0, 30, 0, 0, 250), 'openai')!.output, 30, 'a total that fits neither form (e.g. a row caught mid-stream): the current rule');
  assert.equal(normaliseTokens({ input: 'x', output: 1 }, 'openai'), undefined);
});

test('opencode db: a subtask is counted once, under the root session and its folder, marked as a subagent', async () => {
  const { out } = read(await copyOf(await baseDb()), null);
  const sub = out.records.filter((r) => r.subagent);
  assert.equal(sub.length, 1);
  assert.deepEqual([sub[0].key, sub[0].session, sub[0].project, sub[0].model], ['msg_c5cd00010001Aa1Bb2Cc3Dd4Ee', ROOT, SHOP, 'claude-haiku-4-5']);
  assert.deepEqual(sub[0].tools, ['grep', 'read']);
  assert.deepEqual([sub[0].input, sub[0].output, sub[0].cacheRead, sub[0].cacheWrite5m, sub[0].requests], [10, 220, 5000, 1800, 1]);
});

test('opencode db: incremental — the next read returns only new and updated messages; an updated row replaces its record', async () => {
  const db = await baseDb();
  const first = read(await copyOf(db), null);
  assert.equal(first.out.records.length, 4);
  assert.ok(!first.out.records.some((r) => r.key === 'msg_c5ce10010001Uu1Vv2Ww3Xx4Yy'), 'still streaming: no usage yet');

  // nothing changed: nothing read, cursor unchanged
  const idle = read(await copyOf(db), first.cursor);
  assert.deepEqual(idle.out.records, []);
  assert.deepEqual(idle.cursor, first.cursor);

  // the streaming reply finishes (its step-finish part, then its row with tokens), and a new reply starts and finishes
  const fin = tokens(2, 95, 0, 31000, 400, 31497);
  upsertPart(db, 'prt_c5ce10020001KkkkkkkkkkkkkK', 'msg_c5ce10010001Uu1Vv2Ww3Xx4Yy', ROOT, stepFinish(fin, 0.0113, 'stop'), T0 + 420_000);
  upsertMessage(db, 'msg_c5ce10010001Uu1Vv2Ww3Xx4Yy', ROOT, assistantData({ created: T0 + 400_000, completed: T0 + 420_000, parentID: 'msg_c5ce10000001Zz5Aa6Bb7Cc8Dd', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0.0113, tokens: fin, finish: 'stop' }), T0 + 420_001);
  const neu = tokens(700, 88, 0, 0, 31000, 31788);
  upsertMessage(db, 'msg_c5ce20010001Ee1Ff2Gg3Hh4Ii', ROOT, assistantData({ created: T0 + 500_000, completed: T0 + 510_000, parentID: 'msg_c5ce20000001Jj5Kk6Ll7Mm8Nn', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0.12, tokens: neu, finish: 'tool-calls' }), T0 + 510_000);
  upsertPart(db, 'prt_c5ce20020001LllllllllllllL', 'msg_c5ce20010001Ee1Ff2Gg3Hh4Ii', ROOT, stepFinish(neu, 0.12), T0 + 510_000);
  const second = read(await copyOf(db), first.cursor);
  assert.deepEqual(second.out.records.map((r) => [r.key, r.output, r.cacheRead, r.requests]).sort(), [
    ['msg_c5ce10010001Uu1Vv2Ww3Xx4Yy', 95, 31000, 1],
    ['msg_c5ce20010001Ee1Ff2Gg3Hh4Ii', 88, 0, 1],
  ]);

  // a second step of that reply lands as a part only: the message is re-read whole, same key, the sum of both steps
  const step2 = tokens(4, 300, 0, 31700, 120, 32124);
  upsertPart(db, 'prt_c5ce20030001MmmmmmmmmmmmmM', 'msg_c5ce20010001Ee1Ff2Gg3Hh4Ii', ROOT, toolPart('bash', { command: 'npm test' }, T0 + 512_000), T0 + 513_000);
  upsertPart(db, 'prt_c5ce20040001NnnnnnnnnnnnnN', 'msg_c5ce20010001Ee1Ff2Gg3Hh4Ii', ROOT, stepFinish(step2, 0.0151, 'stop'), T0 + 530_000);
  const third = read(await copyOf(db), second.cursor);
  assert.equal(third.out.records.length, 1);
  const r = third.out.records[0];
  assert.deepEqual([r.key, r.input, r.output, r.cacheRead, r.cacheWrite5m, r.requests], ['msg_c5ce20010001Ee1Ff2Gg3Hh4Ii', 704, 388, 31700, 31120, 2]);
  assert.deepEqual(r.tools, ['bash']);

  // reading everything again from scratch gives the same final records under the same keys
  const again = byKey(read(await copyOf(db), null).out.records);
  assert.deepEqual(again.get('msg_c5ce20010001Ee1Ff2Gg3Hh4Ii'), r);
  assert.equal(again.size, 6);
});

test('opencode db: a database that cannot be read throws (the caller skips it and retries); a bad row is counted', async () => {
  const SQL = await loadSqlJs();
  const notOurs = new SQL.Database();
  notOurs.exec('CREATE TABLE kv (k text, v text)');
  assert.throws(() => read(notOurs, null), /not an OpenCode database/);

  // a copy caught while OpenCode was writing it: the bytes stop in the middle
  const bytes = (await baseDb()).export();
  assert.throws(() => {
    const torn = new SQL.Database(bytes.subarray(0, Math.floor(bytes.length / 2)));
    read(torn, null);
  });

  const db = await baseDb();
  db.run('INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)', ['msg_c5cf00010001Bad0Bad0Bad0Ba', ROOT, T0, T0 + 999_000, '{"role":"assistant","tokens":{"input":"many"}}']);
  const { out } = read(await copyOf(db), null);
  assert.equal(out.malformed, 1);
  assert.equal(out.records.length, 4);
});

test('opencode db: a build without session.directory: the folder comes from the message\'s path.cwd, subtasks still under the root', async () => {
  const db = await baseDb();
  db.exec('ALTER TABLE session DROP COLUMN directory');
  const { out } = read(await copyOf(db), null);
  assert.equal(out.records.length, 4);
  const sub = out.records.find((r) => r.subagent)!;
  assert.deepEqual([sub.session, sub.project], [ROOT, `${SHOP}/packages/api`]);
  assert.ok(out.records.filter((r) => !r.subagent).every((r) => r.project === SHOP));
});

test('opencode db: Kilo CLI\'s kilo.db (same message/part tables, its own session columns) reads the same way', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(KILO_SCHEMA);
  insertSession(db, { id: 'ses_3a33896dbffeieFOLryTAxfy7D', directory: '/home/dev/work/kilo-app', title: 'Fix login', time: T0 });
  // a Kilo gateway reply as splitrail's opencode_common.rs tests show it: total = input + output + cache (reasoning inside)
  const t = tokens(1207, 1569, 281, 54631, 0, 57407);
  upsertMessage(db, 'msg_c5cc84bbf001a3bQs6VdR97IUK', 'ses_3a33896dbffeieFOLryTAxfy7D', assistantData({ created: 1771083156415, completed: 1771083174019, parentID: 'msg_c5cc84bb4001bKJ6xO4CN6ri8O', modelID: 'z-ai/glm-5:free', providerID: 'kilo', cwd: '/home/dev/work/kilo-app', cost: 0.017154, tokens: t, finish: 'stop' }), 1771083174019);
  upsertPart(db, 'prt_c5cc84c9a001Zz9Yy8Xx7Ww6Vv', 'msg_c5cc84bbf001a3bQs6VdR97IUK', 'ses_3a33896dbffeieFOLryTAxfy7D', stepFinish(t, 0.017154, 'stop'), 1771083174019);
  const { out } = read(await copyOf(db), null);
  assert.deepEqual(
    out.records.map((r) => [r.key, r.model, r.provider, r.project, r.input, r.output, r.reasoning, r.cacheRead, r.agentCostUsd]),
    [['msg_c5cc84bbf001a3bQs6VdR97IUK', 'z-ai/glm-5:free', 'kilo', '/home/dev/work/kilo-app', 1207, 1569, 281, 54631, 0.017154]],
  );
});

test('opencode db: a first read (one scan of each table) gives the records and cursor the incremental way gives from before every row', async () => {
  const db = await baseDb();
  // a part written out of id order, and a message updated after its parts (its mark is the newest)
  const late = tokens(7, 40, 0, 900, 0, 947);
  upsertMessage(db, 'msg_c5cf10010001Oo1Pp2Qq3Rr4Ss', ROOT, assistantData({ created: T0 + 600_000, completed: T0 + 610_000, parentID: 'msg_c5cf10000001Tt5Uu6Vv7Ww8Xx', modelID: 'gpt-5', providerID: 'openai', cwd: SHOP, cost: 0.002, tokens: late, finish: 'stop' }), T0 + 700_000);
  upsertPart(db, 'prt_c5cf10030001ZzzzzzzzzzzzzZ', 'msg_c5cf10010001Oo1Pp2Qq3Rr4Ss', ROOT, stepFinish(late, 0.001, 'stop'), T0 + 605_000);
  upsertPart(db, 'prt_c5cf10020001YyyyyyyyyyyyyY', 'msg_c5cf10010001Oo1Pp2Qq3Rr4Ss', ROOT, stepFinish(tokens(1, 2, 0, 3, 0, 6), 0.001), T0 + 606_000);
  upsertPart(db, 'prt_c5cf10040001XxxxxxxxxxxxxX', 'msg_c5cf10010001Oo1Pp2Qq3Rr4Ss', ROOT, toolPart('grep', { pattern: 'x' }, T0 + 604_000), T0 + 604_500);
  // rows dated before the start mark (time_updated -5; no OpenCode writes one, the rule is the incremental way's): a
  // message whose part is past the mark is read with all its parts, one with nothing past it is not
  const early = tokens(3, 30, 0, 300, 0, 333);
  upsertMessage(db, 'msg_c5cf20010001Aa1Bb2Cc3Dd4Ee', ROOT, assistantData({ created: T0 + 800_000, completed: T0 + 801_000, parentID: 'msg_c5cf20000001Ff5Gg6Hh7Ii8Jj', modelID: 'gpt-5', providerID: 'openai', cwd: SHOP, cost: 0.001, tokens: early, finish: 'stop' }), -5);
  upsertPart(db, 'prt_c5cf20020001AaaaaaaaaaaaaA', 'msg_c5cf20010001Aa1Bb2Cc3Dd4Ee', ROOT, stepFinish(early, 0.001), -5);
  upsertPart(db, 'prt_c5cf20030001BbbbbbbbbbbbbB', 'msg_c5cf20010001Aa1Bb2Cc3Dd4Ee', ROOT, stepFinish(early, 0.001, 'stop'), T0 + 802_000);
  upsertMessage(db, 'msg_c5cf30010001Kk1Ll2Mm3Nn4Oo', ROOT, assistantData({ created: T0 + 900_000, completed: T0 + 901_000, parentID: 'msg_c5cf30000001Pp5Qq6Rr7Ss8Tt', modelID: 'gpt-5', providerID: 'openai', cwd: SHOP, cost: 0.001, tokens: early, finish: 'stop' }), -5);
  upsertPart(db, 'prt_c5cf30020001CcccccccccccccC', 'msg_c5cf30010001Kk1Ll2Mm3Nn4Oo', ROOT, stepFinish(early, 0.001, 'stop'), -5);
  const first = read(await copyOf(db), null);
  // a cursor before every row takes the incremental way (changed ids, then each chunk's rows through the indexes)
  const incremental = read(await copyOf(db), { v: 1, message: [-10, ''], part: [-10, ''] });
  const startMark = read(await copyOf(db), { v: 1, message: [-1, ' '], part: [-1, ' '] }); // just past the start: incremental too
  assert.equal(first.out.records.length, 6);
  assert.deepEqual(byKey(first.out.records), byKey(startMark.out.records));
  assert.deepEqual(first.cursor, startMark.cursor);
  assert.equal(byKey(first.out.records).get('msg_c5cf20010001Aa1Bb2Cc3Dd4Ee')?.requests, 2, 'both steps, the early one too');
  assert.ok(!byKey(first.out.records).has('msg_c5cf30010001Kk1Ll2Mm3Nn4Oo'));
  // from before every row (-10) the early rows count as well, the rest alike
  const all = byKey(incremental.out.records);
  assert.ok(all.has('msg_c5cf30010001Kk1Ll2Mm3Nn4Oo'));
  all.delete('msg_c5cf30010001Kk1Ll2Mm3Nn4Oo');
  assert.deepEqual(byKey(first.out.records), all);
  assert.deepEqual(first.cursor, incremental.cursor);
  assert.deepEqual(first.cursor, { v: 1, message: [T0 + 700_000, 'msg_c5cf10010001Oo1Pp2Qq3Rr4Ss'], part: [T0 + 802_000, 'prt_c5cf20030001BbbbbbbbbbbbbB'] });
  assert.equal(first.out.malformed, incremental.out.malformed);
  const lateRec = byKey(first.out.records).get('msg_c5cf10010001Oo1Pp2Qq3Rr4Ss')!;
  assert.deepEqual([lateRec.input, lateRec.output, lateRec.cacheRead, lateRec.requests, lateRec.tools], [8, 42, 903, 2, ['grep']]);
  // and reading on from the first read's cursor finds nothing new
  assert.deepEqual(read(await copyOf(db), first.cursor).out.records, []);
});

test('opencode db: a forked session (`… (fork #1)`) holds copies of the replies before the fork: counted once, where they were made', async () => {
  // ids as OpenCode makes them (forkCopy.ts): msg_ + hex of the low 48 bits of ms·0x1000 + counter, here for
  // T0 + 1 s (the reply), T0 + 1 h (the fork: both copies), T0 + 1 h 39 s / 40 s (a new turn in the fork)
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  const ORIG = 'ses_3a1e55c2bffeQw3Er5Ty7Ui9Op';
  const FORKED = 'ses_3a1e1b0a9ffeAs2Df4Gh6Jk8Lz';
  insertSession(db, { id: ORIG, directory: SHOP, title: 'Fix the login form', time: T0 });
  insertSession(db, { id: FORKED, directory: SHOP, title: 'Fix the login form (fork #1)', time: T0 + 3_600_000 });
  const [s1, s2] = [tokens(4, 210, 0, 12000, 1900, 14114), tokens(6, 380, 0, 13900, 420, 14706)];
  const reply = assistantData({ created: T0 + 1000, completed: T0 + 25_000, parentID: 'msg_1a0a30668001Zx8Cv6Bn4Mq2Wr', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0.0241, tokens: s2, finish: 'stop' });
  upsertMessage(db, 'msg_1a0a30668002Rt5Yu7Io9Pa1Sd', ORIG, reply, T0 + 25_000);
  upsertPart(db, 'prt_1a0a306c5001Aa1Bb2Cc3Dd4Ee', 'msg_1a0a30668002Rt5Yu7Io9Pa1Sd', ORIG, stepFinish(s1, 0.0122), T0 + 9000);
  upsertPart(db, 'prt_1a0a30a1f001Ff5Gg6Hh7Ii8Jj', 'msg_1a0a30668002Rt5Yu7Io9Pa1Sd', ORIG, stepFinish(s2, 0.0119, 'stop'), T0 + 25_000);
  // Session.fork: {...msg.info, sessionID, id: MessageID.ascending(), parentID mapped}, each part under a new id
  const copy = { ...reply, parentID: 'msg_1a0d9f100001Kk9Ll8Mm7Nn6Oo' };
  upsertMessage(db, 'msg_1a0d9f100002Pp5Qq4Rr3Ss2Tt', FORKED, copy, T0 + 3_600_000);
  upsertPart(db, 'prt_1a0d9f100003Uu1Vv2Ww3Xx4Yy', 'msg_1a0d9f100002Pp5Qq4Rr3Ss2Tt', FORKED, stepFinish(s1, 0.0122), T0 + 3_600_000);
  upsertPart(db, 'prt_1a0d9f100004Zz5Aa6Bb7Cc8Dd', 'msg_1a0d9f100002Pp5Qq4Rr3Ss2Tt', FORKED, stepFinish(s2, 0.0119, 'stop'), T0 + 3_600_000);
  // the fork's own next reply
  const own = tokens(9, 150, 0, 14500, 300, 14959);
  upsertMessage(db, 'msg_1a0db77a0001Ee1Ff2Gg3Hh4Ii', FORKED, assistantData({ created: T0 + 3_700_000, completed: T0 + 3_712_000, parentID: 'msg_1a0db73b8001Jj5Kk6Ll7Mm8Nn', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0.0061, tokens: own, finish: 'stop' }), T0 + 3_712_000);
  upsertPart(db, 'prt_1a0db8550001Oo9Pp8Qq7Rr6Ss', 'msg_1a0db77a0001Ee1Ff2Gg3Hh4Ii', FORKED, stepFinish(own, 0.0061, 'stop'), T0 + 3_712_000);

  const first = read(await copyOf(db), null);
  const again = read(await copyOf(db), { v: 1, message: [-10, ''], part: [-10, ''] }); // the incremental way alike
  for (const { out } of [first, again]) {
    assert.deepEqual(
      out.records.map((r) => [r.key, r.session, r.requests, r.input, r.output, r.cacheRead, r.cacheWrite5m]).sort(),
      [
        ['msg_1a0a30668002Rt5Yu7Io9Pa1Sd', ORIG, 2, 10, 590, 25900, 2320],
        ['msg_1a0db77a0001Ee1Ff2Gg3Hh4Ii', FORKED, 1, 9, 150, 14500, 300],
      ],
    );
    assert.equal(out.malformed, 0);
  }
  // a session so titled by its user holds no copies: its replies count (their ids are made with them)
  db.run('UPDATE session SET title = ? WHERE id = ?', ['Fix the login form (fork #2)', ORIG]);
  assert.equal(read(await copyOf(db), null).out.records.length, 2);
});

test('opencode db: a fork from the file-storage era (default title, carried over by json-migration.ts) counts its copies once too', async () => {
  // Session.fork @0002b1f titled the fork as any new session; json-migration.ts @062aa8c keeps its time.created as
  // the row's time_created, and the copies keep theirs: older than their session, ids made at the fork (forkCopy.ts)
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  const ORIG = 'ses_3a1e55c2bffeQw3Er5Ty7Ui9Op';
  const FORKED = 'ses_3a1e1b0a9ffeAs2Df4Gh6Jk8Lz';
  insertSession(db, { id: ORIG, directory: SHOP, title: 'Fix the login form', time: T0 });
  insertSession(db, { id: FORKED, directory: SHOP, title: 'New session - 2026-03-01T13:00:00.000Z', time: T0 + 3_600_000 });
  const s = tokens(4, 210, 0, 12000, 1900, 14114);
  const reply = assistantData({ created: T0 + 1000, completed: T0 + 25_000, parentID: 'msg_1a0a30668001Zx8Cv6Bn4Mq2Wr', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0.0122, tokens: s, finish: 'stop' });
  upsertMessage(db, 'msg_1a0a30668002Rt5Yu7Io9Pa1Sd', ORIG, reply, T0 + 25_000);
  upsertPart(db, 'prt_1a0a306c5001Aa1Bb2Cc3Dd4Ee', 'msg_1a0a30668002Rt5Yu7Io9Pa1Sd', ORIG, stepFinish(s, 0.0122, 'stop'), T0 + 25_000);
  upsertMessage(db, 'msg_1a0d9f100002Pp5Qq4Rr3Ss2Tt', FORKED, reply, T0 + 1000);
  upsertPart(db, 'prt_1a0d9f100003Uu1Vv2Ww3Xx4Yy', 'msg_1a0d9f100002Pp5Qq4Rr3Ss2Tt', FORKED, stepFinish(s, 0.0122, 'stop'), T0 + 1000);
  assert.deepEqual(read(await copyOf(db), null).out.records.map((r) => [r.key, r.session]), [['msg_1a0a30668002Rt5Yu7Io9Pa1Sd', ORIG]]);
  // a session made before the reply it holds (not a fork) counts it
  db.run('UPDATE session SET time_created = ? WHERE id = ?', [T0, FORKED]);
  assert.equal(read(await copyOf(db), null).out.records.length, 2);
});

test('opencode db: a 1.x compaction (its summary: an assistant message with `summary: true`) counts once, as the reply it is', async () => {
  // packages/opencode/src/session/compaction.ts @001aa6c: the summary is an assistant message (mode and agent
  // 'compaction', `summary: true`) that the processor fills as any reply (step-finish parts, tokens, cost): it is
  // read as one; a title (prompt.ts @00078e8 ensureTitle) keeps only the text, so it leaves no usage to read
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  insertSession(db, { id: ROOT, directory: SHOP, title: 'Checkout flow', time: T0 });
  const SUMMARY = 'msg_1a110dfb2001Cm3Pa5Ct7Io9Nn';
  const t = tokens(48_210, 1630, 0, 0, 0, 49_840);
  const summary = { ...assistantData({ created: T0 + 7_200_050, completed: T0 + 7_231_000, parentID: 'msg_1a110df80001Us3Er5Co7Mp9Ac', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: SHOP, cost: 0.169, tokens: t, finish: 'stop' }), mode: 'compaction', agent: 'compaction', summary: true };
  upsertMessage(db, SUMMARY, ROOT, summary, T0 + 7_231_000);
  upsertPart(db, 'prt_1a110e110001Ss1Tt2Ee3Pp4Ff', SUMMARY, ROOT, stepFinish(t, 0.169, 'stop'), T0 + 7_231_000);
  const { out } = read(await copyOf(db), null);
  assert.deepEqual(out.records.map((r) => [r.key, r.model, r.input, r.output, r.requests, r.agentCostUsd]), [[SUMMARY, 'claude-sonnet-4-5', 48_210, 1630, 1, 0.169]]);
});
