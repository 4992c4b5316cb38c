/**
 * Schema 11: the plug-in sources' keyed state packed per source and hash prefix (`keyed_packs`, store/keyedPacks.ts),
 * the keys of each `replace` document listed in rows of their own (k < 0). An index migrated from 10 keeps its `keyed_calls` rows,
 * read as they are until each source's applier moves its own into its packs at its first flush: every value must come
 * back the same before and after that move, and a migrated index must go on counting exactly as one that never was
 * (a Cline row grown in place, a checkpoint restore taking back vanished rows, a message re-written under its id).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../../src/core/discovery';
import { hash53 } from '../../../src/core/hash';
import { Indexer } from '../../../src/core/ingest/indexer';
import { agentCostBySource, KeyedCalls, type KeyedRow } from '../../../src/core/store/keyedCalls';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { applyChanges, startCapture, takeChanges } from '../../../src/core/store/changeCapture';
import { cleanup } from '../ingest/helpers';
import { atVersion, countsAsNeverMigrated, keyedRows, twoIndexes } from './keyedMigration';
import { fixtureHome } from '../sources/fixtureHome';
import { asSchema12 } from './dimRows';


/** What schema 10's KeyedCalls read from a row (f, d, t, i, o, w5, w1, cr, r, ws, n, c, a): its reader, kept as the reference. */
function readV10(row: unknown[], actName: (id: number) => string): KeyedRow {
  const n = (i: number) => Number(row[i] ?? 0) || 0;
  return {
    f: row[0] === null ? null : Number(row[0]), dim: n(1), ts: n(2), input: n(3), output: n(4), cw5m: n(5), cw1h: n(6), cacheRead: n(7),
    reasoning: n(8), webSearch: n(9), requests: n(10), agentCost: typeof row[11] === 'number' ? row[11] : null, activity: actName(n(12)),
  };
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SOURCES = ['cline', 'gemini', 'opencode'];

test('migration 11 keeps every keyed value, read as it is and then moved into the packs (agent costs to the last bit, Cline keys by their file)', async () => {
  const db = await atVersion(10);
  db.run("INSERT INTO dims (id, source, model, project, session, branch, tier) VALUES (1, 'cline', 'claude-sonnet-4-5', '/home/u/app', 't1', '', 'standard'), (2, 'gemini', 'gemini-2.5-pro', 'proj-a', 's1', '', 'standard'), (3, 'opencode', 'glm-4.6', '/home/u/Ünïcödé', 'ses_1', '', 'standard')");
  db.run("INSERT INTO act_keys (id, name) VALUES (1, 'coding'), (2, 'exploring')");
  const rnd = random(11);
  const files = [hash53('/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1/ui_messages.json'), hash53('/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/2/ui_messages.json')];
  const rows: unknown[][] = [];
  for (let i = 0; i < 3000; i++) {
    const d = 1 + (i % 3);
    const cost = i % 4 === 0 ? null : rnd() * (i % 7 === 0 ? 1000 : 0.1);
    rows.push([hash53(`k${i}`), d === 1 ? files[i % 2] : null, d, 1775037600000 + i * 997, Math.floor(rnd() * 200000), Math.floor(rnd() * 9000), i % 5 ? 0 : 4096, i % 11 ? 0 : 77, Math.floor(rnd() * 2 ** 40), i % 3 ? 0 : 321, i % 13 ? 0 : 2, i % 17 ? 1 : 0, cost, i % 3]);
  }
  // what a typed column may hold that no writer put there: read as schema 10 read it
  rows.push([1, files[0], 1, 1775037600001, '7', null, 2.5, -4, 0, 0, 0, 1, 'x', 9]);
  rows.push([2 ** 53 - 1, null, 2, 1775037600002, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const ins = db.prepare('INSERT INTO keyed_calls (h, f, d, t, i, o, w5, w1, cr, r, ws, n, c, a) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of rows) ins.run(r as (number | string | null)[]);
  ins.free();
  const names = new Map<number, string>([[0, ''], [1, 'coding'], [2, 'exploring']]);
  const want = new Map(rows.map((r) => [Number(r[0]), { source: SOURCES[Number(r[2]) - 1], row: readV10(r.slice(1), (id) => names.get(id) ?? '') }]));
  // schema 10's sums of the agents' own costs (its agentCostBySource)
  const costsBefore = new Map(db.exec('SELECT d.source, sum(k.c) FROM keyed_calls k JOIN dims d ON d.id = k.d WHERE k.c IS NOT NULL GROUP BY d.source')[0].values.map(([s, c]) => [String(s), Number(c)]));

  migrate(db);
  assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
  const clineKeys = (f: number) => [...want].filter(([, w]) => w.row.f === f).map(([h]) => h).sort((a, b) => a - b);
  const check = (what: string) => {
    for (const source of SOURCES) {
      const calls = new KeyedCalls(db, source);
      try {
        const mine = [...want].filter(([, w]) => w.source === source);
        assert.deepEqual(calls.keys(), mine.map(([h]) => h).sort((a, b) => a - b), `${what}: ${source}'s keys`);
        for (const [h, w] of mine) assert.deepEqual(calls.get(h), w.row, `${what}: ${h}`);
        if (source === 'cline') for (const f of files) assert.deepEqual([...calls.ofFile(f).keys()], clineKeys(f), `${what}: the keys of a Cline document`);
      } finally {
        calls.free();
      }
    }
  };
  check('migrated, not moved yet');
  assert.equal(db.exec('SELECT count(*) FROM keyed_calls')[0].values[0][0], want.size);

  // each source's applier moves its rows at its first flush
  for (const source of SOURCES) {
    const calls = new KeyedCalls(db, source);
    calls.flush();
    calls.free();
    check(`${source} moved`);
  }
  assert.equal(db.exec('SELECT count(*) FROM keyed_calls')[0].values[0][0], 0, 'every row moved');
  assert.ok(Number(db.exec('SELECT count(*) FROM keyed_packs WHERE k >= 0')[0].values[0][0]) <= 3 * 4096);
  assert.equal(db.exec('SELECT count(*) FROM keyed_packs WHERE k < 0')[0].values[0][0], files.length);
  // the agents' own costs: the same sums (to a rounding of the last bit: summed in another order)
  const costsAfter = agentCostBySource(db, 0, Number.MAX_SAFE_INTEGER);
  assert.deepEqual([...costsAfter.keys()].sort(), [...costsBefore.keys()].sort());
  for (const [s, c] of costsBefore) assert.ok(Math.abs(costsAfter.get(s)! - c) <= Math.abs(c) * 1e-12, `${s}: ${costsAfter.get(s)} vs ${c}`);
});




/** Turns a schema-11 index back into what schema 10 wrote: one typed keyed_calls row per key, no packs. */
function toV10(db: Database): void {
  const rows = keyedRows(db);
  const act = new Map((db.exec('SELECT id, name FROM act_keys')[0]?.values ?? []).map(([id, n]) => [String(n), Number(id)]));
  asSchema12(db);
  db.exec('DROP TABLE keyed_packs; DELETE FROM keyed_calls; PRAGMA user_version = 10');
  const ins = db.prepare('INSERT INTO keyed_calls (h, f, d, t, i, o, w5, w1, cr, r, ws, n, c, a) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const [h, r] of rows) ins.run([h, r.f, r.dim, r.ts, r.input, r.output, r.cw5m, r.cw1h, r.cacheRead, r.reasoning, r.webSearch, r.requests, r.agentCost, act.get(r.activity) ?? 0]);
  ins.free();
}

test('an index migrated from schema 10 goes on counting as one that never was: a Cline row grown in place, a checkpoint restore, a Gemini message re-written', async () => {
  const home = fixtureHome();
  const { a, b, ixA, ixB } = await twoIndexes(home);
  try {
    assert.equal(a.exec('SELECT count(*) FROM keyed_calls')[0].values[0][0], 0, 'a new index writes packs only');
    const packedA = keyedRows(a);
    assert.ok(packedA.size > 20);
    toV10(b);
    migrate(b);
    assert.equal(schemaVersionOf(b), SCHEMA_VERSION);
    assert.equal(b.exec('SELECT count(*) FROM keyed_calls')[0].values[0][0], packedA.size);
    assert.deepEqual(keyedRows(b), packedA);
    await countsAsNeverMigrated(home, a, b, ixA, ixB);
    assert.equal(b.exec('SELECT count(*) FROM keyed_calls')[0].values[0][0], 0, 'the migrated rows moved into packs');
  } finally {
    await ixA.dispose();
    await ixB.dispose();
    a.close();
    b.close();
    cleanup(home);
  }
});

test('keyed packs go through a journaled save: the changes captured from a refresh, replayed on the index as saved before, give the same packs and file lists', async () => {
  const home = fixtureHome();
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
  try {
    await ix.refresh();
    const saved = new SQL.Database(db.export());
    startCapture(db);
    const tasks = join(home, '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks');
    const grownFile = join(tasks, '1767261600000/ui_messages.json');
    writeFileSync(grownFile, readFileSync(grownFile, 'utf8').replace('\\"tokensOut\\":420,', '\\"tokensOut\\":1420,'));
    appendFileSync(join(home, '.gemini/tmp/proj-a/chats/session-2026-03-03T14-02-9c0d1e2f.jsonl'), `${JSON.stringify({ id: 'g1', timestamp: '2026-03-03T14:02:49.300Z', type: 'gemini', content: 'ok', toolCalls: [], thoughts: [], model: 'gemini-2.5-pro', tokens: { input: 7200, output: 555, cached: 0, thoughts: 140, tool: 0, total: 7895 } })}\n`);
    await ix.refresh();
    const changes = takeChanges(db);
    assert.ok(changes.some(([t]) => t === 'keyed_packs'));
    applyChanges(saved, changes);
    assert.deepEqual(saved.exec('SELECT * FROM keyed_packs ORDER BY 1, 2')[0].values, db.exec('SELECT * FROM keyed_packs ORDER BY 1, 2')[0].values);
    assert.ok(Number(db.exec('SELECT count(*) FROM keyed_packs WHERE k < 0')[0].values[0][0]) > 0, 'with the key lists of Cline documents');
    assert.deepEqual(keyedRows(saved), keyedRows(db));
    saved.close();
  } finally {
    await ix.dispose();
    db.close();
    cleanup(home);
  }
});

test('the whole schema at version 11 is still on the first page, which the open check reads (a leaf page, not split)', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  const bytes = db.export();
  db.close();
  assert.equal(bytes[100], 13, 'page 1 is a leaf table page holding every schema row');
});
