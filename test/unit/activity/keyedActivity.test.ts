/**
 * Cost by activity for the plug-in sources: the tools and subagent flag each parser reports (KeyedUsage.tools /
 * .subagent, from the agents' own records: Gemini `toolCalls[].name`, Cline's ui_messages rows) reach the dims, on
 * a home holding the sources' fixture files where the agents write them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { classifyActivity } from '../../../src/core/activity';
import { discoverRoots, listLogFiles } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { activitySums, assertActivityEqualsHours } from './activitySums';
import type { KeyedPayload } from '../../../src/core/sources/keyed/keyedParse';
import { sourceDef } from '../../../src/core/sources/registry';
import { cleanup, freshDb, tmpDir } from '../ingest/helpers';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { assistantData, insertSession, OPENCODE_SCHEMA, stepFinish, tokens, toolPart, upsertMessage, upsertPart } from '../../../src/core/sources/opencode/fixtures/schema';

const SRC = join(__dirname, '../../../src/core/sources');

const OC_ROOT = 'ses_3a2f91c0affe4Xk2NqP0sRtUvW';
const OC_CHILD = 'ses_3a2f8e11dffeB7mQwErTyUiOpA';
const T0 = Date.UTC(2026, 10, 3, 9, 0, 0);

/**
 * OpenCode's store as OpenCode writes it (sources/opencode/fixtures/schema.ts; sst/opencode session/message-v2.ts:
 * a reply's tool calls are `tool` parts beside its `step-finish` parts): a reply that read then edited (coding), a
 * subtask session's reply that grepped and read (a subagent exploring), a reply that ran a command (running).
 */
async function opencodeDb(): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  insertSession(db, { id: OC_ROOT, directory: '/home/dev/shop', title: 'Add the checkout page', time: T0 });
  insertSession(db, { id: OC_CHILD, parentID: OC_ROOT, directory: '/home/dev/shop', title: 'Explore the API (@explore subagent)', time: T0 + 60_000 });
  const reply = (id: string, session: string, at: number, toolNames: string[], model = 'claude-sonnet-4-5') => {
    const tk = tokens(3, 100 + at / 1000, 0, 1000, 0, 1103 + at / 1000);
    upsertMessage(db, id, session, assistantData({ created: T0 + at, completed: T0 + at + 5000, parentID: `${id}u`, modelID: model, providerID: 'anthropic', cwd: '/home/dev/shop', cost: 0.01, tokens: tk, finish: 'stop' }), T0 + at + 5000);
    for (const [i, name] of toolNames.entries()) upsertPart(db, `prt_${id}_${i}`, id, session, toolPart(name, {}, T0 + at + 1000 + i), T0 + at + 1000 + i);
    upsertPart(db, `prt_${id}_f`, id, session, stepFinish(tk, 0.01, 'stop'), T0 + at + 5000);
  };
  reply('msg_c5cc84bbf001a3bQs6VdR97IUK', OC_ROOT, 1000, ['read', 'edit']);
  reply('msg_c5cd00010001Aa1Bb2Cc3Dd4Ee', OC_CHILD, 61_000, ['grep', 'read'], 'claude-haiku-4-5');
  reply('msg_c5ce20010001Ee1Ff2Gg3Hh4Ii', OC_ROOT, 120_000, ['bash']);
  const bytes = db.export();
  db.close();
  return bytes;
}

function fixtureHome(): string {
  const home = tmpDir('agentmeter-home-');
  const chats = join(home, '.gemini/tmp/proj-a/chats');
  mkdirSync(chats, { recursive: true });
  for (const n of readdirSync(join(SRC, 'gemini/fixtures')).filter((x) => x.startsWith('session-'))) copyFileSync(join(SRC, 'gemini/fixtures', n), join(chats, n));
  // a subagent's log: chats/<parent session id>/<session id>.jsonl (gemini/discovery.ts)
  mkdirSync(join(chats, '4f1c2a9e'), { recursive: true });
  copyFileSync(join(SRC, 'gemini/fixtures/subagent-a7b8c9d0.jsonl'), join(chats, '4f1c2a9e/a7b8c9d0.jsonl'));
  cpSync(join(SRC, 'cline/fixtures/globalStorage'), join(home, '.config/Code/User/globalStorage'), { recursive: true });
  cpSync(join(SRC, 'copilotCli/fixtures/session-state'), join(home, '.copilot/session-state'), { recursive: true });
  return home;
}

async function withOpencode(home: string): Promise<string> {
  mkdirSync(join(home, '.local/share/opencode'), { recursive: true });
  writeFileSync(join(home, '.local/share/opencode/opencode.db'), await opencodeDb());
  return home;
}

/** source → activity → [requests, output] */
type PerActivity = Record<string, Record<string, [number, number]>>;

function slot(out: PerActivity, source: string, activity: string): [number, number] {
  out[source] ??= {};
  out[source][activity] ??= [0, 0];
  return out[source][activity];
}

function stored(db: Database): PerActivity {
  assertActivityEqualsHours(db);
  const out: PerActivity = {};
  for (const [k, [requests, , output]] of Object.entries(activitySums(db))) {
    const colon = k.indexOf(':');
    const t = slot(out, k.slice(0, colon), k.slice(colon + 1));
    t[0] += requests;
    t[1] += output;
  }
  return out;
}

/** What the parsers read, each key once, classified from the record's tools and subagent flag. */
async function parsed(home: string): Promise<PerActivity> {
  const byKey = new Map<string, { source: string; r: KeyedPayload['records'][number] }>();
  for (const f of await listLogFiles(discoverRoots({ env: {}, home }))) {
    const r = await sourceDef(f.source).parse({ path: f.path, source: f.source, format: f.format, project: f.project, session: f.session, offset: 0, state: {} });
    for (const rec of (r.payload as KeyedPayload | undefined)?.records ?? []) byKey.set(`${f.source}\u0000${rec.key}`, { source: f.source, r: rec });
  }
  const out: PerActivity = {};
  for (const { source, r } of byKey.values()) {
    const t = slot(out, source, classifyActivity(source, r.tools, r.subagent === true));
    t[0] += r.requests;
    t[1] += r.output;
  }
  return out;
}

test('keyed sources: each request is stored under the activity of the tools it asked for; totals unchanged', async () => {
  const home = await withOpencode(fixtureHome());
  const db = await freshDb();
  try {
    await new Indexer({ db, roots: discoverRoots({ env: {}, home }) }).refresh();
    const got = stored(db);
    assert.deepEqual(got, await parsed(home));
    // read from the fixtures by hand: Gemini's subagent globbed; its sessions read files, searched, replaced, ran a shell
    assert.ok(got.gemini['subagent/exploring'], JSON.stringify(got.gemini));
    for (const a of ['exploring', 'coding', 'running']) assert.ok(got.gemini[a], `gemini ${a}: ${JSON.stringify(got.gemini)}`);
    // Cline task 1767261600000: the first request read a file, the second edited it and asked to run the tests
    assert.ok(got.cline.exploring && got.cline.coding, JSON.stringify(got.cline));
    // Copilot CLI logs per-model totals only: which tools were used is unknown
    assert.deepEqual(Object.keys(got['copilot-cli']), ['']);
    // OpenCode: its tool parts per reply; a subtask session's reply is the subagent's
    assert.deepEqual(got.opencode, { coding: [1, 101], 'subagent/exploring': [1, 161], running: [1, 220] });
  } finally {
    cleanup(home);
  }
});
