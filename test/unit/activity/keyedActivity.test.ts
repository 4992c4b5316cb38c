/**
 * Cost by activity for the plug-in sources: the tools and subagent flag each parser reports (KeyedUsage.tools /
 * .subagent, from the agents' own records: Gemini `toolCalls[].name`, Cline's ui_messages rows) reach the dims, on
 * a home holding the sources' fixture files where the agents write them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { classifyActivity } from '../../../src/core/activity';
import { discoverRoots, listLogFiles } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { activitySums, assertActivityEqualsHours } from './activitySums';
import type { KeyedPayload } from '../../../src/core/sources/keyed/keyedParse';
import { sourceDef } from '../../../src/core/sources/registry';
import { cleanup, freshDb, tmpDir } from '../ingest/helpers';

const SRC = join(__dirname, '../../../src/core/sources');

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
  const home = fixtureHome();
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
  } finally {
    cleanup(home);
  }
});
