import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../discovery';
import { Indexer } from '../../ingest/indexer';
import { loadCounters, loadFacts } from '../../query/facts';
import { migrate } from '../../store/schema';
import { loadSqlJs } from '../../store/sqljs';
import type { FileInfo, KeyedUsage } from '../plugin';
import { cleanup, tmpDir } from '../../../../test/unit/ingest/helpers';
import { clineSource } from './index';
import { normaliseSdkTokens } from './sdkTokens';

const SESSIONS = join(__dirname, 'fixtures/cline-data/sessions');
const CLASSIC = join(__dirname, 'fixtures/globalStorage');
const A = '1784094053271_p8pzo';
const LEGACY = '1767261600000';
const parser = clineSource.parsers.sdk_messages;

function fileOf(dir: string, name = `${dir}.messages.json`, root = SESSIONS): FileInfo {
  return { path: join(root, dir, name), project: '(unknown)', session: dir, format: 'sdk_messages' };
}
function parse(file: FileInfo, text?: string) {
  if (parser?.kind !== 'document') throw new Error('document parser expected');
  return parser.parseDocument(text ?? readFileSync(file.path, 'utf8'), file);
}
const tokens = (r: KeyedUsage) => [r.input, r.output, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead, r.requests];

test('contract: the SDK sessions are a second document parser of the cline source, keeping vanished messages', () => {
  assert.equal(parser?.kind, 'document');
  assert.equal(parser?.kind === 'document' && parser.vanished, 'keep');
  assert.equal(clineSource.parsers.ui_messages.kind, 'document');
  assert.equal(clineSource.discovery.isLog?.(join(SESSIONS, A, `${A}.messages.json`)), true);
  assert.equal(clineSource.discovery.isLog?.(join(SESSIONS, A, 'researcher_k3j9.messages.json')), true);
  assert.equal(clineSource.discovery.isLog?.(join(CLASSIC, 'saoudrizwan.claude-dev/tasks', LEGACY, 'ui_messages.json')), true);
  for (const other of [`${A}.json`, `${A}.compaction.json`, 'hooks.jsonl', 'ui_messages.json.tmp.1767261600000.ab12.json', 'task_metadata.json', 'sessions.db'])
    assert.equal(clineSource.discovery.isLog?.(join(SESSIONS, A, other)), false, other);
});

test('usage read: one request per assistant message with metrics; model, provider, project from the manifest, tools, agent cost', () => {
  const out = parse(fileOf(A));
  assert.equal(out.incomplete, undefined);
  assert.equal(out.malformed, 0);
  assert.deepEqual(out.records.map((r) => r.key), ['sdk:msg_Qe7pL2va', 'sdk:msg_Zc4mK1re', 'sdk:msg_Dk8sW3th']);
  const [a1, a2, ds] = out.records;
  assert.equal(a1.ts, 1784094060120);
  assert.equal(a1.model, 'claude-sonnet-4-6');
  assert.equal(a1.provider, 'anthropic');
  assert.equal(a1.session, A);
  assert.equal(a1.project, '/home/dev/agentmeter');
  assert.equal(a1.agentCostUsd, 0.0747735);
  assert.equal(a1.subagent, undefined);
  assert.deepEqual(a1.tools, ['read_files']);
  assert.deepEqual(a2.tools, ['editor', 'run_commands']);
  assert.deepEqual(ds.tools, []);
  assert.equal(ds.model, 'deepseek-chat');
  assert.equal(ds.provider, 'deepseek');
  assert.deepEqual(out.projects, [{ project: '/home/dev/agentmeter', displayPath: '/home/dev/agentmeter' }]);
});

test('tokens: the SDK\'s inputTokens is the whole prompt for every provider → cache reads and writes taken out', () => {
  const [a1, a2, ds] = parse(fileOf(A)).records;
  assert.deepEqual(tokens(a1), [12, 420, 18250, 0, 0, 1]); // Anthropic: 18262 − 18250 written
  assert.deepEqual(tokens(a2), [8, 310, 2100, 0, 18250, 1]); // 20358 − 2100 written − 18250 read
  assert.deepEqual(tokens(ds), [720, 820, 0, 0, 5120, 1]); // DeepSeek: prompt 5840 − 5120 hits = the misses
  // an input smaller than its cache tokens cannot be a whole prompt: nothing is subtracted, nothing lost
  assert.deepEqual(normaliseSdkTokens({ inputTokens: 40, outputTokens: 5, cacheReadTokens: 900, cacheWriteTokens: 0 }), { input: 40, output: 5, cacheWrite: 0, cacheRead: 900 });
});

test('a subagent\'s messages file: its own session id, marked subagent, project from the root session\'s manifest', () => {
  const out = parse(fileOf(A, 'researcher_k3j9.messages.json'));
  assert.equal(out.records.length, 1);
  const r = out.records[0];
  assert.equal(r.key, 'sdk:msg_Rf5tY9ij');
  assert.equal(r.session, `${A}__researcher_k3j9`);
  assert.equal(r.subagent, true);
  assert.equal(r.project, '/home/dev/agentmeter');
  assert.deepEqual(tokens(r), [3400, 150, 0, 0, 0, 1]);
});

test('a session updated: re-read after the next turn → the same keys with the same figures plus the new request; a restamped message replaces', () => {
  const file = fileOf(A);
  const doc = JSON.parse(readFileSync(file.path, 'utf8')) as { messages: Record<string, unknown>[] };
  const before = parse(file, JSON.stringify(doc, null, 2)).records;
  doc.messages.push(
    { id: 'msg_u5Xy7eAb', role: 'user', content: [{ type: 'text', text: 'and the tests' }] },
    { id: 'msg_Nn2qR5kz', role: 'assistant', content: [{ type: 'text', text: 'done' }], ts: 1784094130000, modelInfo: { id: 'deepseek-chat', provider: 'deepseek' }, metrics: { inputTokens: 6900, outputTokens: 95, cacheReadTokens: 5760, cacheWriteTokens: 0, cost: 0.0005 } },
  );
  (doc.messages[7].metrics as Record<string, number>).outputTokens = 1020;
  const after = parse(file, JSON.stringify(doc, null, 2)).records;
  assert.deepEqual(after.map((r) => r.key), [...before.map((r) => r.key), 'sdk:msg_Nn2qR5kz']);
  assert.deepEqual(after.slice(0, 2), before.slice(0, 2));
  assert.equal(after[2].output, 1020);
  assert.deepEqual(tokens(after[3]), [1140, 95, 0, 0, 5760, 1]);
  // a forked session copies the messages with their ids: the same keys, counted once
  const fork = parse({ ...file, path: join(SESSIONS, 'fork', 'fork.messages.json'), session: 'fork' }, JSON.stringify({ ...doc, sessionId: '1784094124598_rruoq' }));
  assert.deepEqual(fork.records.map((r) => r.key), after.map((r) => r.key));
});

test('a classic task resumed in the SDK extension: its carried-over totals are not counted; only the new request', () => {
  const out = parse(fileOf(LEGACY));
  assert.equal(out.malformed, 0);
  assert.deepEqual(out.records.map((r) => r.key), ['sdk:msg_Gt6yB2mc']);
  assert.equal(out.records[0].session, LEGACY);
  assert.deepEqual(tokens(out.records[0]), [20, 240, 21040, 0, 0, 1]);
});

test('malformed: a file caught mid-write is incomplete (nothing counted); bad messages and metrics without a time are counted and skipped', () => {
  const file = fileOf(A);
  const text = readFileSync(file.path, 'utf8');
  assert.equal(parse(file, text.slice(0, text.length / 2)).incomplete, true);
  assert.equal(parse(file, '').incomplete, true);
  assert.deepEqual(parse(file, '[]'), { records: [], malformed: 1 });
  const doc = JSON.parse(text) as { messages: unknown[] };
  doc.messages.push(42, { id: 'msg_noTs0001', role: 'assistant', content: [], metrics: { inputTokens: 5, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 } });
  const out = parse(file, JSON.stringify(doc));
  assert.equal(out.malformed, 2);
  assert.equal(out.records.length, 3);
});

test('discovery: ~/.cline/data/sessions by default, CLINE_DIR, CLINE_DATA_DIR and CLINE_SESSION_DATA_DIR move it; explicit sessions folders; list', async () => {
  const h = tmpDir('agentmeter-cline-sdk-');
  try {
    const at = (dir: string) => {
      cpSync(SESSIONS, dir, { recursive: true });
      return dir;
    };
    const def = at(join(h, '.cline/data/sessions'));
    const viaClineDir = at(join(h, 'cdir/data/sessions'));
    const viaDataDir = at(join(h, 'ddata/sessions'));
    const viaSessionDir = at(join(h, 'only-sessions'));
    const roots = (env: Record<string, string>) => clineSource.discovery.roots({ env, home: h, platform: 'linux' });
    assert.deepEqual(roots({}).roots, [def]);
    assert.ok(roots({}).searched.includes(def));
    assert.deepEqual(roots({ CLINE_DIR: join(h, 'cdir') }).roots, [viaClineDir]);
    assert.deepEqual(roots({ CLINE_DIR: join(h, 'cdir'), CLINE_DATA_DIR: join(h, 'ddata') }).roots, [viaDataDir]);
    assert.deepEqual(roots({ CLINE_DATA_DIR: '~/ddata' }).roots, [viaDataDir]);
    assert.deepEqual(roots({ CLINE_SESSION_DATA_DIR: viaSessionDir }).roots, [viaSessionDir]);
    assert.deepEqual(roots({ CLINE_DATA_DIR: join(h, 'nowhere') }).roots, []);
    // explicit: a Cline folder, a data folder or a sessions folder; a folder with neither is noted; none
    const explicit = (dirs: string[]) => clineSource.discovery.roots({ env: {}, home: h, dirs, platform: 'linux' });
    assert.deepEqual(explicit([join(h, 'cdir')]).roots, [viaClineDir]);
    assert.deepEqual(explicit([join(h, 'ddata'), viaSessionDir]).roots, [viaDataDir, viaSessionDir]);
    assert.deepEqual(explicit([join(h, 'ddata')]).notes, []);
    assert.deepEqual(explicit([join(h, 'empty')]).notes, [`Cline: skipped ${join(h, 'empty')} (no tasks/ or sessions/ folder)`]);
    assert.deepEqual(explicit(['none']).roots, []);
    // list: every *.messages.json of each session folder, session = the folder; not the manifest or other files
    writeFileSync(join(def, A, 'hooks.jsonl'), '{}\n');
    writeFileSync(join(def, A, `${A}.compaction.json`), '{}');
    mkdirSync(join(def, 'empty-session'));
    const files = await clineSource.discovery.list(def);
    assert.deepEqual(files.map((f) => [f.path.slice(def.length + 1), f.session, f.format]), [
      [`${LEGACY}/${LEGACY}.messages.json`, LEGACY, 'sdk_messages'],
      [`${A}/${A}.messages.json`, A, 'sdk_messages'],
      [`${A}/researcher_k3j9.messages.json`, A, 'sdk_messages'],
    ]);
  } finally {
    cleanup(h);
  }
});

async function freshDb(): Promise<Database> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  return db;
}
function clineTotals(db: Database) {
  const t = { requests: 0, input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  for (const f of loadFacts(db)) {
    if (f.source !== 'cline') continue;
    t.requests += f.requests;
    t.input += f.input;
    t.output += f.output;
    t.cacheWrite += f.cacheWrite5m + f.cacheWrite1h;
    t.cacheRead += f.cacheRead;
  }
  return t;
}

test('through the index: the same task in the classic and the SDK storage is counted once; a session rewritten replaces; a half-written one loses nothing', async () => {
  const h = tmpDir('agentmeter-cline-both-');
  const db = await freshDb();
  try {
    const classicTasks = join(h, '.config/Code/User/globalStorage');
    mkdirSync(classicTasks, { recursive: true });
    cpSync(CLASSIC, classicTasks, { recursive: true });
    const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home: h }) });
    await ix.refresh();
    const classic = clineTotals(db);
    assert.ok(classic.requests > 0);
    // Cline moves to the SDK: the sessions appear (one of them the classic task 1767261600000 resumed)
    cpSync(SESSIONS, join(h, '.cline/data/sessions'), { recursive: true });
    const ix2 = new Indexer({ db, roots: discoverRoots({ env: {}, home: h }) });
    await ix2.refresh();
    const both = clineTotals(db);
    // new: 3 lead calls + 1 subagent call in session A, and the one request made after the classic task's resume
    assert.deepEqual(both, {
      requests: classic.requests + 5,
      input: classic.input + 12 + 8 + 720 + 3400 + 20,
      output: classic.output + 420 + 310 + 820 + 150 + 240,
      cacheWrite: classic.cacheWrite + 18250 + 2100 + 21040,
      cacheRead: classic.cacheRead + 18250 + 5120,
    });
    assert.equal((await ix2.refresh()).records, 0);
    assert.deepEqual(clineTotals(db), both, 'a second refresh adds nothing');
    // the DeepSeek call's stream went on: Cline rewrites the file, the message's figures replace the old ones
    const file = join(h, '.cline/data/sessions', A, `${A}.messages.json`);
    const original = readFileSync(file, 'utf8');
    const grown = original.replace('"outputTokens": 820,', '"outputTokens": 1820,');
    assert.notEqual(grown, original);
    writeFileSync(file, grown);
    await ix2.refresh();
    const after = clineTotals(db);
    assert.deepEqual(after, { ...both, output: both.output + 1000 });
    // caught half-written: skipped and counted, nothing lost
    const malformed = loadCounters(db).malformedLines;
    writeFileSync(file, grown.slice(0, grown.length / 2));
    await ix2.refresh();
    assert.deepEqual(clineTotals(db), after);
    assert.equal(loadCounters(db).malformedLines, malformed + 1);
    await ix.dispose();
    await ix2.dispose();
  } finally {
    db.close();
    cleanup(h);
  }
});
