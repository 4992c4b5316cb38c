/**
 * Keys of the plug-in sources past the de-dup window (35 days, ending at a UTC midnight, as Claude's): kept as their
 * keys only (store/keyedPacks.ts, schema 18) — written so by the refresh that packs them, and by a pass once a UTC day
 * for the keys that left the window since. Usage never changes by it; a key read again past the window is a duplicate
 * (not corrected), one inside it is still corrected; keys of `replace` documents (Cline) and keys with the agent's own
 * cost keep their figures; a source whose parsers changed is still taken back whole and read again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadCounters } from '../../../src/core/query/facts';
import { agentCostBySource, KeyedCalls } from '../../../src/core/store/keyedCalls';
import { migrate } from '../../../src/core/store/schema';
import { resetOutdatedSources } from '../../../src/core/store/sourceVersions';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { cleanup, tmpDir } from '../ingest/helpers';
import { keyedRows, stored } from '../store/keyedMigration';
import { fixtureHome } from './fixtureHome';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
/** the window's start at NOW: the UTC midnight 35 to 36 days back */
const WINDOW = Math.floor((NOW - 35 * DAY) / DAY) * DAY;
const OLD = NOW - 60 * DAY;
const RECENT = NOW - 3 * DAY;

async function freshDb(): Promise<Database> {
  const db = new (await loadSqlJs()).Database();
  migrate(db);
  return db;
}

function message(id: string, ts: number, input: number): string {
  return JSON.stringify({ id, timestamp: new Date(ts).toISOString(), type: 'gemini', content: 'ok', model: 'gemini-2.5-pro',
    tokens: { input, output: 70, cached: 300, thoughts: 12, tool: 0, total: input + 82 } });
}

/** A Gemini CLI home: a session 60 days before NOW and one 3 days before, 40 responses each. */
function geminiHome(): { home: string; old: string; recent: string } {
  const home = tmpDir('agentmeter-aging-');
  const chats = join(home, '.gemini/tmp/proj-aging/chats');
  mkdirSync(chats, { recursive: true });
  const file = (name: string, t0: number, tag: string) => {
    const lines = [JSON.stringify({ sessionId: `${tag}-5c2e-4f0a-9d1b-0a7e3c5b9f11`, projectHash: 'ab12', startTime: new Date(t0).toISOString(), lastUpdated: new Date(t0).toISOString() })];
    for (let m = 0; m < 40; m++) lines.push(message(`${tag}-${m}`, t0 + m * 60_000, 2_000 + m));
    const path = join(chats, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  return { home, old: file('session-old-0001.jsonl', OLD, '0000aaaa'), recent: file('session-new-0002.jsonl', RECENT, '0000bbbb') };
}

const aged = (db: Database) => [...keyedRows(db).values()].filter((r) => r.aged).length;
const geminiPacks = (db: Database) => db.exec("SELECT k, hex(p) FROM keyed_packs WHERE s = 'gemini' ORDER BY k")[0]?.values ?? [];

test('Gemini keys past the window are kept as keys only: usage unchanged, a re-read past the window a duplicate, one inside it corrected; the daily pass ages the rest once', async () => {
  const { home, old, recent } = geminiHome();
  const db = await freshDb();
  const roots = discoverRoots({ env: {}, home });
  let now = NOW;
  const ix = new Indexer({ db, roots, now: () => now });
  try {
    await ix.refresh();
    const first = stored(db).gemini;
    assert.equal(first.requests, 80);
    assert.equal(first.input, 2 * (40 * 2_000 + 780) - 2 * 40 * 300, 'cached is inside input: input not read from cache');
    assert.equal(aged(db), 40, 'the old session\'s keys aged as they were packed');
    for (const r of keyedRows(db).values()) assert.equal(r.aged === true, r.ts < WINDOW || r.aged === true);
    assert.ok([...keyedRows(db).values()].filter((r) => !r.aged).every((r) => r.ts >= WINDOW && r.input > 0), 'the recent keys keep their figures');
    // the same key again with other figures: past the window a duplicate, inside it the last copy wins
    const dup = loadCounters(db).duplicateLines;
    appendFileSync(old, `${message('0000aaaa-3', OLD + 3 * 60_000, 9_000)}\n`);
    appendFileSync(recent, `${message('0000bbbb-3', RECENT + 3 * 60_000, 9_000)}\n`);
    await ix.refresh();
    const second = stored(db).gemini;
    assert.equal(second.requests, 80);
    assert.equal(second.input, first.input + (9_000 - 2_003), 'the recent message corrected, the old one not');
    assert.equal(loadCounters(db).duplicateLines, dup + 1, 'the old one counted as a duplicate');
    // a refresh the same day: no pass, nothing written
    const packs = geminiPacks(db);
    await ix.refresh();
    assert.deepEqual(geminiPacks(db), packs);
    // 40 days later, a refresh with something new (one more response): the daily pass ages the recent session's keys
    // too; the usage of the others unchanged
    now = NOW + 40 * DAY;
    appendFileSync(recent, `${message('0000bbbb-40', now - 60_000, 5_000)}\n`);
    await ix.refresh();
    assert.equal(aged(db), 80);
    assert.deepEqual(stored(db).gemini, { ...second, requests: 81, input: second.input + 5_000 - 300, output: second.output + 82, cacheRead: second.cacheRead + 300, reasoning: second.reasoning + 12 });
    assert.equal(db.exec("SELECT value FROM meta WHERE key = 'keyedAgedBefore:gemini'")[0].values[0][0], String(Math.floor((now - 35 * DAY) / DAY) * DAY));
    // a new index of the same logs at that time: the same packs (every key aged as packed) and the same usage but for
    // the correction it never saw made (its first read of the re-written message is its last copy)
    const fresh = await freshDb();
    const fx = new Indexer({ db: fresh, roots, now: () => now });
    await fx.refresh();
    assert.deepEqual(geminiPacks(fresh), geminiPacks(db));
    await fx.dispose();
    fresh.close();
  } finally {
    await ix.dispose();
    db.close();
    cleanup(home);
  }
});

test('a source whose parsers changed is taken back whole, also its aged keys, and read again to the same totals', async () => {
  const { home } = geminiHome();
  const db = await freshDb();
  const roots = discoverRoots({ env: {}, home });
  const ix = new Indexer({ db, roots, now: () => NOW });
  try {
    await ix.refresh();
    const before = stored(db).gemini;
    const acts = db.exec('SELECT * FROM usage_acts ORDER BY 1, 2, 3')[0].values;
    assert.equal(aged(db), 40);
    assert.deepEqual(await resetOutdatedSources(db, new Map([['gemini', 99]])), ['gemini']);
    assert.equal(stored(db).gemini, undefined, 'nothing of it left in usage');
    for (const t of ['usage', 'usage_hours', 'usage_acts', 'keyed_packs']) assert.equal(db.exec(`SELECT count(*) FROM ${t}`)[0].values[0][0], 0, t);
    await ix.refresh();
    assert.deepEqual(stored(db).gemini, before);
    assert.deepEqual(db.exec('SELECT * FROM usage_acts ORDER BY 1, 2, 3')[0].values, acts, 'the activity rows as before');
    assert.equal(aged(db), 40);
  } finally {
    await ix.dispose();
    db.close();
    cleanup(home);
  }
});

test('keys of replace documents (Cline) and keys with the agent\'s own cost keep their figures past the window: vanished requests taken back, the agents\' costs summed as before', async () => {
  const early = fixtureHome();
  const late = fixtureHome();
  const a = await freshDb();
  const b = await freshDb();
  // a: no key past the window (the clock before every fixture); b: every fixture past it
  const ixA = new Indexer({ db: a, roots: discoverRoots({ env: {}, home: early }), now: () => Date.parse('2025-09-01T00:00:00Z') });
  const ixB = new Indexer({ db: b, roots: discoverRoots({ env: {}, home: late }), now: () => Date.parse('2030-01-01T00:00:00Z') });
  try {
    await ixA.refresh();
    await ixB.refresh();
    assert.equal(aged(a), 0);
    assert.ok(aged(b) > 10, `${aged(b)} keys aged`);
    assert.deepEqual(stored(b), stored(a));
    const rowsA = keyedRows(a);
    for (const [h, r] of keyedRows(b)) {
      if (r.aged) assert.ok(rowsA.get(h)!.f === null && rowsA.get(h)!.agentCost === null, 'only keys of no document and no cost age');
      else assert.deepEqual({ ...r, f: r.f !== null }, { ...rowsA.get(h)!, f: rowsA.get(h)!.f !== null }, 'the same figures (the file hash of another home)');
    }
    assert.deepEqual(agentCostBySource(b, 0, Number.MAX_SAFE_INTEGER), agentCostBySource(a, 0, Number.MAX_SAFE_INTEGER));
    // a checkpoint restore in a Cline task: the removed request is taken back in both
    for (const home of [early, late]) {
      const file = join(home, '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1767348000000/ui_messages.json');
      const rows = (JSON.parse(readFileSync(file, 'utf8')) as { say?: string }[]).filter((r) => r.say !== 'deleted_api_reqs');
      writeFileSync(file, JSON.stringify(rows.slice(0, 2)));
    }
    const cline = stored(b).cline;
    await ixA.refresh();
    await ixB.refresh();
    assert.ok(stored(b).cline.requests < cline.requests, 'the vanished requests taken back');
    assert.deepEqual(stored(b), stored(a));
  } finally {
    await ixA.dispose();
    await ixB.dispose();
    a.close();
    b.close();
    cleanup(early);
    cleanup(late);
  }
});

test('a refresh\'s flushes before its last write every figure: a key past the window read again after one is still compared with them; the refresh\'s end ages those packs too', async () => {
  const db = await freshDb();
  const calls = new KeyedCalls(db, 'gemini');
  try {
    calls.agedBefore = WINDOW;
    const row = (ts: number, input: number) => ({ f: null, dim: 1, ts, input, output: 70, cw5m: 0, cw1h: 0, cacheRead: 300, reasoning: 12, webSearch: 0, requests: 1, agentCost: null, activity: '' });
    // keys in packs of their own (a pack per 12-bit hash prefix: store/keyedPacks.ts)
    const old = [1, 2, 4000].map((k) => k * 2 ** 41 + 5);
    const recent = 7 * 2 ** 41 + 9;
    for (const h of old) calls.set(h, row(OLD, 2_000));
    calls.set(recent, row(RECENT, 2_000));
    calls.flush(); // a flush inside the refresh: every figure kept
    assert.equal(calls.unaged.size, 4);
    for (const h of old) assert.deepEqual(calls.get(h), row(OLD, 2_000), 'read back with its figures');
    calls.flush();
    calls.set(old[0], row(OLD, 9_000)); // read again, other figures: the applier compares and corrects
    calls.flush(true); // the refresh's last flush: its changed pack aged as written
    assert.equal(calls.get(old[0])?.aged, true);
    assert.equal(calls.get(old[1])?.aged, undefined, 'a pack of an earlier flush not aged yet');
    assert.equal(calls.ageAll(WINDOW, calls.unaged), 2, 'the end of the refresh ages the packs its earlier flushes wrote');
    for (const h of old) assert.equal(calls.get(h)?.aged, true);
    assert.deepEqual(calls.get(recent), row(RECENT, 2_000));
    assert.equal(calls.unaged.size, 0);
  } finally {
    calls.free();
    db.close();
  }
});
