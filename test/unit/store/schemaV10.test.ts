/**
 * Schema 10: `keyed_calls` (what the plug-in sources counted, per key) in typed columns instead of a JSON array, with
 * the file hash kept only for the keys of `replace` documents (Cline's ui_messages.json) and the index on it partial;
 * `dims` without its UNIQUE index over the six texts, looked up by session.
 * The migration must give back every value the JSON reader of schema 9 read, and an index migrated from schema 9 must
 * go on counting exactly as one that never was (a row grown in place, a checkpoint restore taking back vanished rows,
 * a message re-written under the same id).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { hash53 } from '../../../src/core/hash';
import { DimCache } from '../../../src/core/store/dims';
import { KeyedCalls, type KeyedRow } from '../../../src/core/store/keyedCalls';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { cleanup } from '../ingest/helpers';
import { atVersion, countsAsNeverMigrated, keyedRows, twoIndexes } from './keyedMigration';
import { fixtureHome } from '../sources/fixtureHome';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';
import { asSchema12 } from './dimRows';


/** What schema 9's KeyedCalls read from a row's d, t and v: its reader, kept here as the reference. */
function readV9(d: number, t: number, v: string, actName: (id: number) => string): Omit<KeyedRow, 'f'> {
  let a: unknown[] = [];
  try {
    const p = JSON.parse(v);
    a = Array.isArray(p) ? p : [];
  } catch {
    a = [];
  }
  const n = (i: number) => Number(a[i] ?? 0) || 0;
  return {
    dim: d, ts: t, input: n(0), output: n(1), cw5m: n(2), cw1h: n(3), cacheRead: n(4), reasoning: n(5), webSearch: n(6), requests: n(7),
    agentCost: typeof a[8] === 'number' ? a[8] : null, activity: actName(n(9)),
  };
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('migration 10 keeps every keyed figure value by value (agent costs to the last bit, old rows without an activity, an unreadable row) and the file only for Cline', async () => {
  const db = await atVersion(9);
  db.run("INSERT INTO dims (id, source, model, project, session, branch, tier) VALUES (1, 'cline', 'claude-sonnet-4-5', '/home/u/app', 't1', '', 'standard'), (2, 'gemini', 'gemini-2.5-pro', 'proj-a', 's1', '', 'standard'), (3, 'opencode', 'glm-4.6', '/home/u/Ünïcödé', 'ses_1', '', 'standard')");
  db.run("INSERT INTO act_keys (id, name) VALUES (1, 'coding'), (2, 'exploring')");
  const rnd = random(15);
  const rows: [number, number, number, number, string][] = [];
  const files = [hash53('/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1/ui_messages.json'), hash53('/home/u/.gemini/tmp/a/chats/s.jsonl'), 2 ** 53 - 1];
  for (let i = 0; i < 3000; i++) {
    const d = 1 + (i % 3);
    const cost = i % 4 === 0 ? null : rnd() * (i % 7 === 0 ? 1000 : 0.1); // floats of every shape, as the agents log them
    const figures: unknown[] = [Math.floor(rnd() * 200000), Math.floor(rnd() * 9000), i % 5 ? 0 : 4096, i % 11 ? 0 : 77, Math.floor(rnd() * 2 ** 40), i % 3 ? 0 : 321, i % 13 ? 0 : 2, i % 17 ? 1 : 0, cost];
    if (i % 10) figures.push(i % 3); // rows written before schema 6 have no activity
    rows.push([hash53(`k${i}`), files[i % 3], d, 1775037600000 + i * 997, JSON.stringify(figures)]);
  }
  rows.push([1, files[0], 1, 1775037600001, '[1,2'], [2 ** 53 - 1, files[0], 1, 1775037600002, '{"not":"an array"}'], [3, files[0], 9, 1775037600003, '[5,null,"7"]']);
  const ins = db.prepare('INSERT INTO keyed_calls (h, f, d, t, v) VALUES (?, ?, ?, ?, ?)');
  for (const r of rows) ins.run(r);
  ins.free();
  const names = new Map<number, string>([[0, ''], [1, 'coding'], [2, 'exploring']]);
  const want = new Map(rows.map(([h, f, d, t, v]) => [h, { f: d === 1 ? f : null, ...readV9(d, t, v, (id) => names.get(id) ?? '') }]));

  migrate(db);
  assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
  const calls = new KeyedCalls(db, 'cline'); // rows migrated to 11 are read as they are, whatever their source
  try {
    for (const [h, w] of want) assert.deepEqual(calls.get(h), w, String(h));
    assert.equal(db.exec('SELECT count(*) FROM keyed_calls')[0].values[0][0], want.size);
    // the Cline document's keys are found by its file, nobody else's
    const clines = [...want].filter(([, w]) => w.f === files[0]).map(([h]) => h).sort((a, b) => a - b);
    assert.deepEqual([...calls.ofFile(files[0]).keys()].sort((a, b) => a - b), clines);
    assert.equal(calls.ofFile(files[1]).size, 0);
  } finally {
    calls.free();
  }
  assert.match(String(db.exec("SELECT sql FROM sqlite_master WHERE name = 'kf'")[0].values[0][0]), /WHERE f NOT NULL/);
  assert.equal(db.exec("SELECT count(*) FROM sqlite_temp_master WHERE name = 'k9'")[0].values[0][0], 0, 'the TEMP copy is gone');
});

test('migration 10 keeps every dims row with its id, drops the UNIQUE copy of the tuples, and a tuple is still found, never added twice', async () => {
  const db = await atVersion(9);
  const ins = db.prepare('INSERT INTO dims (id, source, model, project, session, branch, tier) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const tuples: [number, string, string, string, string, string, string][] = [];
  for (let i = 0; i < 600; i++) {
    // the same session under several models, tiers and branches; ids with gaps (retention leaves some)
    tuples.push([3 + i * 2, ['claude', 'codex', 'gemini'][i % 3], i % 4 ? 'claude-opus-4-6' : 'gpt-5-codex', i % 5 ? '-home-u-Ünïcödé' : '/home/u/app', `session-${i >> 2}`, i % 2 ? 'main' : '', i % 7 ? 'standard' : 'long']);
  }
  for (const t of tuples) ins.run(t);
  ins.free();
  const before = db.exec('SELECT * FROM dims ORDER BY id')[0].values;
  migrate(db);
  assert.deepEqual(db.exec(`SELECT * FROM ${DIMS_AS_TEXT} ORDER BY id`)[0].values, before); // texts interned since version 13
  assert.equal(db.exec("SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_dims%'")[0].values[0][0], 0);
  // the index on session: its last 8 characters since schema 12, 4 since schema 21 (schemaV12.test.ts)
  assert.match(String(db.exec("SELECT sql FROM sqlite_master WHERE name = 'ds'")[0].values[0][0]), /ON dims \(substr\(session, -4\)\)/);
  const dims = new DimCache(db);
  try {
    for (const [id, source, model, project, session, branch, tier] of tuples) {
      assert.equal(dims.idOf({ source: source as 'claude', model, project, session, branch, tier: tier as 'standard' }), id);
    }
    const fresh = { source: 'gemini' as const, model: 'gemini-2.5-pro', project: 'proj-a', session: 'session-1', branch: '', tier: 'standard' as const };
    const id = dims.idOf(fresh);
    assert.ok(id > 3 + 599 * 2);
    const again = new DimCache(db);
    assert.equal(again.idOf(fresh), id, 'found again by a new cache over the index, not added twice');
    again.free();
  } finally {
    dims.free();
  }
  assert.equal(db.exec('SELECT count(*) FROM dims')[0].values[0][0], 601);
});




/** Turns a schema-10 index back into what schema 9 wrote: keyed_calls with the file of every key and a JSON array. */
function toV9(db: Database, fileOf: (h: number, row: KeyedRow) => number): void {
  const rows = keyedRows(db);
  const act = new Map((db.exec('SELECT id, name FROM act_keys')[0]?.values ?? []).map(([id, n]) => [String(n), Number(id)]));
  asSchema12(db);
  db.exec('DROP TABLE keyed_packs; DROP TABLE keyed_calls; CREATE TABLE keyed_calls (h INTEGER PRIMARY KEY, f, d, t, v); CREATE INDEX kf ON keyed_calls (f); PRAGMA user_version = 9');
  const ins = db.prepare('INSERT INTO keyed_calls (h, f, d, t, v) VALUES (?, ?, ?, ?, ?)');
  for (const [h, r] of rows) {
    const v = [r.input, r.output, r.cw5m, r.cw1h, r.cacheRead, r.reasoning, r.webSearch, r.requests, r.agentCost, act.get(r.activity) ?? 0];
    ins.run([h, fileOf(h, r), r.dim, r.ts, JSON.stringify(v)]);
  }
  ins.free();
}

test('an index migrated from schema 9 goes on counting as one that never was: a Cline row grown in place, a checkpoint restore, a Gemini message re-written', async () => {
  const home = fixtureHome();
  const { a, b, ixA, ixB } = await twoIndexes(home);
  try {
    // only the keys of Cline's documents (read with 'replace') keep their file
    const sourceOf = new Map((b.exec(`SELECT id, source FROM ${DIMS_AS_TEXT}`)[0]?.values ?? []).map(([id, s]) => [Number(id), String(s)]));
    const rowsB = [...keyedRows(b).values()];
    assert.deepEqual([...new Set(rowsB.filter((r) => r.f !== null).map((r) => sourceOf.get(r.dim)))], ['cline']);
    assert.ok(rowsB.filter((r) => r.f === null).length > 20, 'the other sources keep none');
    // b: back to what schema 9 wrote (each key with the file it was read from), then migrated again
    toV9(b, (_h, r) => r.f ?? hash53(`${home}/some other log`));
    assert.equal(schemaVersionOf(b), 9);
    migrate(b);
    assert.equal(schemaVersionOf(b), SCHEMA_VERSION);
    assert.deepEqual(keyedRows(b), keyedRows(a));
    await countsAsNeverMigrated(home, a, b, ixA, ixB);
  } finally {
    await ixA.dispose();
    await ixB.dispose();
    a.close();
    b.close();
    cleanup(home);
  }
});
