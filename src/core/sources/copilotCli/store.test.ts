import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SqlValue } from 'sql.js';
import { loadSqlJs } from '../../store/sqljs';
import { parseKeyed, type KeyedPayload } from '../keyed/keyedParse';
import type { FileInfo, KeyedUsage, SourceOutput } from '../plugin';
import { copilotCliSource } from './index';

const fixtures = join(__dirname, 'fixtures', 'session-state');
const NORMAL = '0f8a3c52-1d7e-4b6a-9c21-5e0b7a9d3f10';
const KILLED = '5b21e9d0-8c44-4f0e-a7d3-02c6e1f4b9a8';
const RESUMED = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f';
const store = copilotCliSource.parsers.store;
const events = copilotCliSource.parsers.events;

/**
 * The store's tables as real stores have them (schema_version 8): the columns codeburn reads
 * (getagentseal/codeburn src/providers/copilot.ts @ed8fa3a SESSION_STORE_USAGE_COLUMNS / SESSION_STORE_USAGE_SELECTS,
 * tests/providers/copilot.test.ts createSessionStoreDb) and those a schema-8 reader lists (turn_index,
 * reasoning_effort, duration_ms, time_to_first_token_ms, finish_reason, agent_id, parent_tool_call_id).
 * `input_tokens` includes the cache; `reasoning_tokens` is part of `output_tokens`.
 */
const SCHEMA = `
  CREATE TABLE schema_version (version INTEGER NOT NULL);
  INSERT INTO schema_version VALUES (8);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY, cwd TEXT, repository TEXT, branch TEXT, summary TEXT,
    created_at TEXT DEFAULT (datetime('now')), updated_at TEXT DEFAULT (datetime('now'))
  );
  CREATE TABLE assistant_usage_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    turn_index INTEGER,
    model TEXT NOT NULL,
    reasoning_effort TEXT,
    input_tokens INTEGER, output_tokens INTEGER, cache_read_tokens INTEGER, cache_write_tokens INTEGER,
    reasoning_tokens INTEGER, total_nano_aiu INTEGER, request_multiplier REAL, initiator TEXT,
    duration_ms REAL, time_to_first_token_ms REAL, finish_reason TEXT, agent_id TEXT, parent_tool_call_id TEXT,
    created_at TEXT DEFAULT (datetime('now'))
  );`;

/** [session, turn, model, input (cache included), output, cacheRead, cacheWrite, reasoning, created_at] */
type Row = [string, number, string, number, number, number, number, number, string | null];

/**
 * NORMAL's requests, summing to its shutdown's modelMetrics (fixture events.jsonl): gpt-5 3 requests 58211 / 2950 /
 * 41216 / 0 / 1792, claude-sonnet-4.5 4 requests 96540 / 3412 / 70112 / 9840 / 0.
 */
const NORMAL_ROWS: Row[] = [
  [NORMAL, 0, 'gpt-5', 18000, 900, 12000, 0, 600, '2026-11-03T09:00:25.100Z'],
  [NORMAL, 0, 'gpt-5', 19800, 1000, 14100, 0, 640, '2026-11-03T09:00:29.900Z'],
  [NORMAL, 0, 'gpt-5', 20411, 1050, 15116, 0, 552, '2026-11-03T09:00:31.400Z'],
  [NORMAL, 1, 'claude-sonnet-4.5', 22000, 700, 12000, 9840, 0, '2026-11-03T09:02:15.000Z'],
  [NORMAL, 1, 'claude-sonnet-4.5', 24000, 800, 18000, 0, 0, '2026-11-03T09:02:25.000Z'],
  [NORMAL, 1, 'claude-sonnet-4.5', 25000, 958, 19000, 0, 0, '2026-11-03T09:02:40.800Z'],
  [NORMAL, 1, 'claude-sonnet-4.5', 25540, 954, 21112, 0, 0, '2026-11-03 09:02:44'],
];
/** KILLED's one request: the store has it, its events.jsonl has no shutdown. */
const KILLED_ROWS: Row[] = [[KILLED, 0, 'claude-sonnet-4.5', 31000, 1310, 20000, 6000, 0, '2026-11-03T11:30:22.300Z']];

async function writeStore(path: string, rows: Row[], schema = SCHEMA): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run(schema);
    for (const s of new Set(rows.map((r) => r[0]))) {
      db.run(`INSERT INTO sessions (id, cwd, repository, branch) VALUES (?, '/home/dev/work/agentmeter', 'dev/agentmeter', 'main')`, [s]);
    }
    insert(db, rows);
    writeFileSync(path, db.export());
  } finally {
    db.close();
  }
}

function insert(db: import('sql.js').Database, rows: Row[]): void {
  for (const [s, turn, model, input, output, read, write, reasoning, created] of rows) {
    db.run(
      `INSERT INTO assistant_usage_events (session_id, turn_index, model, input_tokens, output_tokens, cache_read_tokens,
         cache_write_tokens, reasoning_tokens, total_nano_aiu, request_multiplier, finish_reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 1, 'stop', ?)`,
      [s, turn, model, input, output, read, write, reasoning, created] as SqlValue[],
    );
  }
}

/** A Copilot home holding the three fixture sessions (and a store when rows are given). */
async function home(rows?: Row[]): Promise<{ dir: string; storePath: string; done: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'am-copilot-store-'));
  cpSync(fixtures, join(dir, 'session-state'), { recursive: true });
  const storePath = join(dir, 'session-store.db');
  if (rows) await writeStore(storePath, rows);
  return { dir, storePath, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function readStore(path: string, cursor: unknown): Promise<{ out: SourceOutput; cursor: unknown }> {
  if (store.kind !== 'database') throw new Error('the store is a database');
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    const result = store.readDatabase(db, { path, project: '(unknown)', session: '', format: 'store' }, cursor);
    return JSON.parse(JSON.stringify(result)) as { out: SourceOutput; cursor: unknown }; // as the cursor is stored
  } finally {
    db.close();
  }
}

function readEvents(dir: string, session: string): SourceOutput {
  if (events.kind !== 'lines') throw new Error('events are lines');
  const path = join(dir, 'session-state', session, 'events.jsonl');
  const file: FileInfo = { path, project: '(unknown)', session, format: 'events' };
  const out: SourceOutput = { records: [], malformed: 0 };
  events.parseLines(readFileSync(path), 0, file, {}, out);
  return out;
}

/** What the store keeps: every key once, the last read winning. */
function lastWins(...reads: KeyedUsage[][]): Map<string, KeyedUsage> {
  const m = new Map<string, KeyedUsage>();
  for (const r of reads.flat()) m.set(r.key, r);
  return m;
}

function totals(records: Iterable<KeyedUsage>, session: string) {
  const t = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0, requests: 0 };
  for (const r of records) {
    if (r.session !== session) continue;
    t.input += r.input;
    t.output += r.output;
    t.cacheRead += r.cacheRead;
    t.cacheWrite += r.cacheWrite5m;
    t.reasoning += r.reasoning;
    t.requests += r.requests;
  }
  return t;
}

test('copilot-cli store: one record per request, at its time, cache taken out of input, reasoning inside output, project from the session', async () => {
  const h = await home(NORMAL_ROWS);
  try {
    const { out } = await readStore(h.storePath, null);
    assert.equal(out.malformed, 0);
    const normal = out.records.filter((r) => r.session === NORMAL);
    assert.equal(normal.length, 7);
    const first = normal[0];
    assert.deepEqual(
      { ts: first.ts, model: first.model, input: first.input, output: first.output, cacheRead: first.cacheRead, cacheWrite5m: first.cacheWrite5m, reasoning: first.reasoning, requests: first.requests },
      { ts: Date.parse('2026-11-03T09:00:25.100Z'), model: 'gpt-5', input: 18000 - 12000, output: 900, cacheRead: 12000, cacheWrite5m: 0, reasoning: 600, requests: 1 },
    );
    assert.equal(first.project, '/home/dev/work/agentmeter');
    assert.equal(first.branch, 'main');
    const claude = normal[3];
    assert.equal(claude.input, 22000 - 12000 - 9840);
    assert.equal(claude.cacheWrite5m, 9840);
    // SQLite's zoneless datetime('now') shape is UTC
    assert.equal(normal[6].ts, Date.parse('2026-11-03T09:02:44.000Z'));
    assert.equal(new Set(out.records.map((r) => r.key)).size, out.records.length);
  } finally {
    h.done();
  }
});

test('copilot-cli store: a session in the store and with a shutdown is counted once, from the store, with the shutdown\'s totals; a session the store lacks is counted from its shutdowns', async () => {
  const h = await home(NORMAL_ROWS);
  try {
    // beside a store, the events parser reports nothing, whatever the order of reads
    assert.deepEqual(readEvents(h.dir, NORMAL), { records: [], malformed: 0 });
    assert.deepEqual(readEvents(h.dir, RESUMED), { records: [], malformed: 0 });
    const { out } = await readStore(h.storePath, null);
    const counted = lastWins(readEvents(h.dir, NORMAL).records, out.records, readEvents(h.dir, NORMAL).records);
    const fromStore = totals(counted.values(), NORMAL);
    // the shutdown's totals (copilotCli.test.ts reads them from the same fixture, with no store beside it)
    assert.deepEqual(fromStore, {
      input: 58211 - 41216 + (96540 - 70112 - 9840),
      output: 2950 + 3412,
      cacheRead: 41216 + 70112,
      cacheWrite: 9840,
      reasoning: 1792,
      requests: 3 + 4,
    });
    assert.ok([...counted.values()].filter((r) => r.session === NORMAL).every((r) => r.key.includes(':store:')));
    // RESUMED is not in the store: its two shutdowns, with the keys the events parser gives them without a store
    const resumed = out.records.filter((r) => r.session === RESUMED);
    const alone = mkdtempSync(join(tmpdir(), 'am-copilot-alone-'));
    try {
      cpSync(join(fixtures, RESUMED), join(alone, 'session-state', RESUMED), { recursive: true });
      assert.deepEqual(resumed, readEvents(alone, RESUMED).records);
      assert.equal(resumed.length, 3);
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  } finally {
    h.done();
  }
});

test('copilot-cli store: a session killed before its shutdown is counted from the store and no longer "usage unknown"; without a store it is', async () => {
  const without = await home();
  try {
    assert.deepEqual(readEvents(without.dir, KILLED).unknownUsageSessions, [KILLED]);
  } finally {
    without.done();
  }
  const h = await home(NORMAL_ROWS);
  try {
    // not in the store yet: unknown, from the store's read of its events
    const before = await readStore(h.storePath, null);
    assert.deepEqual(before.out.unknownUsageSessions, [KILLED]);
    await writeStore(h.storePath, [...NORMAL_ROWS, ...KILLED_ROWS]);
    const after = await readStore(h.storePath, before.cursor);
    assert.equal(after.out.unknownUsageSessions, undefined);
    const killed = after.out.records.filter((r) => r.session === KILLED);
    assert.deepEqual(killed.map((r) => [r.input, r.output, r.cacheRead, r.cacheWrite5m, r.requests]), [[31000 - 20000 - 6000, 1310, 20000, 6000, 1]]);
  } finally {
    h.done();
  }
});

test('copilot-cli store: incremental — a read returns only the rows added since the cursor; a recreated store is read from its start', async () => {
  const h = await home(NORMAL_ROWS.slice(0, 4));
  try {
    const first = await readStore(h.storePath, null);
    assert.equal(first.out.records.filter((r) => r.session === NORMAL).length, 4);
    // the CLI appends three rows
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(h.storePath));
    insert(db, NORMAL_ROWS.slice(4));
    writeFileSync(h.storePath, db.export());
    db.close();
    const second = await readStore(h.storePath, first.cursor);
    const added = second.out.records.filter((r) => r.session === NORMAL);
    assert.deepEqual(added.map((r) => r.ts), NORMAL_ROWS.slice(4).map((r) => Date.parse(r[8]!.includes('T') ? r[8]! : `${r[8]!.replace(' ', 'T')}Z`)));
    // nothing new: nothing read; the store-less session's unchanged log is not read again
    const third = await readStore(h.storePath, second.cursor);
    assert.deepEqual(third.out.records, []);
    // together: the seven requests once each
    assert.equal(lastWins(first.out.records, second.out.records).size, 7 + 3 /* RESUMED's shutdown records */);
    // recreated with one other request: its id (1) is below the cursor, so it is read, under a key of its own
    await writeStore(h.storePath, [[NORMAL, 5, 'gpt-5', 1000, 10, 0, 0, 0, '2026-11-06T10:00:00.000Z']]);
    const fourth = await readStore(h.storePath, third.cursor);
    const fresh = fourth.out.records.filter((r) => r.session === NORMAL);
    assert.equal(fresh.length, 1);
    assert.ok(!first.out.records.some((r) => r.key === fresh[0].key));
  } finally {
    h.done();
  }
});

test('copilot-cli store: a store that cannot be read is skipped (counted, nothing lost, read again later); one without the usage table counts every session from its shutdowns', async () => {
  const h = await home(NORMAL_ROWS);
  try {
    // a store caught mid-write: the header is there, the pages are not
    const bytes = readFileSync(h.storePath);
    writeFileSync(h.storePath, Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(4000, 0xff)]));
    const plugin = copilotCliSource;
    const result = await parseKeyed(plugin, { path: h.storePath, source: plugin.id, format: 'store', project: '(unknown)', session: '', offset: 0, state: {} });
    assert.equal(result.malformed, 1);
    assert.equal(((result.payload as KeyedPayload | undefined)?.records ?? []).length, 0);
    assert.equal(result.state?.cursor, undefined);
    // a store from a CLI build without the usage table: no session is in it
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run(`CREATE TABLE sessions (id TEXT PRIMARY KEY, cwd TEXT)`);
    writeFileSync(h.storePath, db.export());
    db.close();
    const { out } = await readStore(h.storePath, null);
    assert.deepEqual(totals(out.records, NORMAL), { input: 58211 - 41216 + (96540 - 70112 - 9840), output: 2950 + 3412, cacheRead: 41216 + 70112, cacheWrite: 9840, reasoning: 1792, requests: 7 });
    assert.deepEqual(out.unknownUsageSessions, [KILLED]);
    // a stray file of that name is no store: the events parser counts beside it, the store parser reads nothing
    writeFileSync(h.storePath, 'not a database');
    assert.equal(readEvents(h.dir, NORMAL).records.length, 2);
    const stray = await parseKeyed(plugin, { path: h.storePath, source: plugin.id, format: 'store', project: '(unknown)', session: '', offset: 0, state: {} });
    assert.equal(((stray.payload as KeyedPayload | undefined)?.records ?? []).length, 0);
  } finally {
    h.done();
  }
});

test('copilot-cli store discovery: the home is a root when it holds the store, listed as that one file; isLog knows the store and the session logs', async () => {
  const h = await home(NORMAL_ROWS);
  try {
    const d = copilotCliSource.discovery;
    const roots = d.roots({ env: { COPILOT_HOME: h.dir }, home: '/nowhere' }).roots;
    assert.deepEqual(roots, [join(h.dir, 'session-state'), h.dir]);
    assert.deepEqual(await d.list(h.dir), [{ path: h.storePath, project: '(unknown)', session: '', format: 'store' }]);
    assert.equal((await d.list(join(h.dir, 'session-state'))).length, 3);
    assert.deepEqual(d.roots({ env: {}, home: '/nowhere', dirs: [join(h.dir, 'session-state')] }).roots, [join(h.dir, 'session-state'), h.dir]);
    const isLog = d.isLog!;
    assert.equal(isLog(h.storePath), true);
    assert.equal(isLog(join(h.dir, 'session-state', NORMAL, 'events.jsonl')), true);
    assert.equal(isLog(join(h.dir, 'history-session-state', 'old.jsonl')), true);
    assert.equal(isLog(join(h.dir, 'config.json')), false);
    assert.equal(isLog(join(h.dir, 'logs', 'process-1.log')), false);
    assert.equal(isLog(join(h.dir, 'session-state', NORMAL, 'workspace.yaml')), false);
  } finally {
    h.done();
  }
});
