import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { hash53 } from '../../../src/core/hash';
import { CODEX_EVENTS } from '../../../src/core/sources/codex/applier';
import { allPacked, anyPacked, HashPacks } from '../../../src/core/store/hashPacks';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';

async function atVersion(v: number): Promise<Database> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  for (let i = 0; i < v; i++) db.exec(`${MIGRATIONS[i]}; PRAGMA user_version = ${i + 1}`);
  return db;
}

/** hash53 values as the Codex parser makes them, and the edges of the packing (a prefix's first and last, 2^53 − 1). */
const HASHES = [
  ...Array.from({ length: 5000 }, (_, i) => hash53(`2026-04-0${1 + (i % 9)}T09:00:00.000Z|${i * 1000}|${i * 37}`)),
  1, 2 ** 41 - 1, 2 ** 41, 2 ** 41 + 1, 2 ** 52, 2 ** 53 - 1, 2 ** 53 - 2 ** 41,
];
const sorted = [...new Set(HASHES)].sort((a, b) => a - b);

test('migration 8 packs the Codex event hashes exactly (every value, edges included) and drops codex_events', async () => {
  const db = await atVersion(7);
  const ins = db.prepare('INSERT OR IGNORE INTO codex_events (h) VALUES (?)');
  for (const h of HASHES) ins.run([h]);
  ins.free();
  migrate(db);
  assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
  assert.deepEqual(allPacked(db, CODEX_EVENTS), sorted);
  assert.equal(db.exec("SELECT count(*) FROM sqlite_master WHERE name = 'codex_events'")[0].values[0][0], 0);
  assert.ok(Number(db.exec('SELECT max(k) FROM codex_event_packs')[0].values[0][0]) < 4096);
  const packs = new HashPacks(db, CODEX_EVENTS);
  for (const h of sorted) assert.ok(packs.has(h), String(h));
  for (const h of [0, 2, 2 ** 41 + 2, 2 ** 53 - 3, hash53('never counted')]) assert.equal(packs.has(h), false, String(h));
  packs.free();
});

test('packed Codex hashes: additions in any order with repeats, across calls, give the same set as a row per hash', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  assert.equal(anyPacked(db, CODEX_EVENTS), false);
  const packs = new HashPacks(db, CODEX_EVENTS);
  const half = Math.floor(HASHES.length / 2);
  await packs.addAll(HASHES.slice(half).reverse());
  await packs.addAll([...HASHES.slice(0, half), ...HASHES.slice(half, half + 10)]);
  assert.deepEqual(allPacked(db, CODEX_EVENTS), sorted);
  assert.equal(anyPacked(db, CODEX_EVENTS), true);
  for (const h of sorted) assert.ok(packs.has(h));
  packs.free();
});

test('packs kept in memory (Codex): batches on an empty table and on a filled one give the same set, lookups see both', async () => {
  const SQL = await loadSqlJs();
  const half = Math.floor(HASHES.length / 2);
  // a first index: the table starts empty, nothing is read from it; three batches touch the same packs again
  const fresh = new SQL.Database();
  migrate(fresh);
  const first = new HashPacks(fresh, CODEX_EVENTS, { keep: true, startsEmpty: true });
  await first.addAll(HASHES.slice(0, 100));
  await first.addAll(HASHES.slice(100, half).reverse());
  await first.addAll([...HASHES.slice(half), ...HASHES.slice(0, 10)]);
  assert.deepEqual(allPacked(fresh, CODEX_EVENTS), sorted);
  for (const h of sorted) assert.ok(first.has(h), String(h));
  for (const h of [0, 2, 2 ** 41 + 2, hash53('never counted')]) assert.equal(first.has(h), false, String(h));
  first.free();
  // a later run: the table holds the first half; lookups and additions read each pack once and keep it
  const later = new SQL.Database();
  migrate(later);
  await new HashPacks(later, CODEX_EVENTS).addAll(HASHES.slice(0, half));
  const packs = new HashPacks(later, CODEX_EVENTS, { keep: true });
  assert.equal(packs.has(HASHES[0]), true);
  assert.equal(packs.has(HASHES[half + 1]), false); // its pack read and kept before the addition below
  await packs.addAll(HASHES.slice(half));
  await packs.addAll(HASHES.slice(half - 5, half + 5));
  assert.deepEqual(allPacked(later, CODEX_EVENTS), sorted);
  for (const h of sorted) assert.ok(packs.has(h), String(h));
  packs.free();
});
