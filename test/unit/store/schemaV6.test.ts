import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { openIndexDatabase, saveIndexDatabase } from '../../../src/core/store/persist';
import { migrate, MIGRATIONS, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { cleanup, tmpDir } from '../ingest/helpers';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';
import { ridKey } from '../../../src/core/store/claudePacks';
import { claudeCallRows } from './claudeCallRows';
import { dump } from './dbDump';

/** A database at schema `v` (the released migrations up to it). */
async function atVersion(v: number): Promise<Database> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  for (let i = 0; i < v; i++) db.exec(`${MIGRATIONS[i]}; PRAGMA user_version = ${i + 1}`);
  return db;
}

/** The first page of the file holds the whole schema: a leaf page of the schema table (type 0x0d), not an interior one. */
function schemaOnFirstPage(bytes: Uint8Array): boolean {
  return bytes[100] === 0x0d;
}

const HOUR = 1775037600000;

test('migration 6: usage_acts backfilled from usage_hours as unknown (act 0), claude_calls and claude_block_parts kept value by value (act 0), every other table as it was', async () => {
  const db = await atVersion(5);
  db.run("INSERT INTO dims (id, source, model, project, session, branch, tier) VALUES (5, 'codex', 'gpt-5-codex', '/home/u/Ünïcödé', 'rollout-a', '', 'standard'), (2, 'claude', 'claude-opus-4-6', '-home-u-proj', 's', 'main', 'long')");
  db.run(`INSERT INTO usage (bucket, dim, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms, last_ms) VALUES (${HOUR}, 5, 1, 2, 3, 4, 5, 6, 7, 8, ${HOUR + 1000}, ${HOUR + 2000}), (${HOUR + 900000}, 2, 10, 20, 30, 40, 50, 0, 0, 3, ${HOUR + 901000}, ${HOUR + 902000})`);
  db.run(`INSERT INTO hour_keys (id, source, model, tier) VALUES (1, 'codex', 'gpt-5-codex', 'standard'), (2, 'claude', 'claude-opus-4-6', 'long')`);
  db.run(`INSERT INTO usage_hours VALUES (${HOUR}, 1, 1, 2, 3, 4, 5, 6, 7, 8, ${HOUR + 1000}, ${HOUR + 2000}, 0), (${HOUR}, 2, 10, 20, 30, 40, 50, 0, 0, 3, ${HOUR + 901000}, ${HOUR + 902000}, 1)`);
  db.run("INSERT INTO keyed_calls VALUES (123, 456, 9, 1775037601000, '[1,2,3]')");
  db.run('INSERT INTO claude_calls (mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search) VALUES (9, 8, 0, 1765019635045, 2, 3, 4, 5, 6, 7, 0), (2 ** 52, 0, 1, 1765019635046, 2, 0, 1, 0, 0, 2 ** 40, 1)'.replaceAll('2 ** 52', String(2 ** 52)).replaceAll('2 ** 40', String(2 ** 40)));
  db.run(`INSERT INTO claude_block_parts VALUES (${HOUR}, 0, 'claude-opus-4-6', 'long', 10, 20, 30, 40, 50, 0, 0, 3)`);
  const kept = ['usage', 'dims', 'usage_hours', 'session_totals', 'hour_keys', 'claude_block_parts'];
  const others = kept.map((t) => dump(db)[t]);
  const calls = db.exec('SELECT * FROM claude_calls ORDER BY mid')[0].values;

  migrate(db);
  assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
  // dims with its texts interned since version 13 (schemaV13.test.ts), the same rows
  // (times stored as offsets since version 16: dump reads them as epoch ms)
  assert.deepEqual(kept.map((t) => (t === 'dims' ? db.exec(`SELECT * FROM ${DIMS_AS_TEXT} ORDER BY 1`)[0]?.values ?? [] : dump(db)[t])), others);
  // packed since version 14 with the requestId as its key (schemaV14.test.ts)
  assert.deepEqual(claudeCallRows(db), calls.map((c) => [c[0], ridKey(Number(c[1])), ...c.slice(2), 0]));
  // keyed_calls: its figures in typed columns since version 10 (schemaV10.test.ts), the same values
  assert.deepEqual(db.exec('SELECT * FROM keyed_calls')[0].values, [[123, null, 9, 1775037601000, 1, 2, 3, 0, 0, 0, 0, 0, null, 0]]);
  assert.deepEqual(db.exec('SELECT * FROM act_keys')[0].values, [[0, '']]);
  assert.deepEqual(db.exec('SELECT * FROM usage_acts ORDER BY hour, key')[0].values, [
    [HOUR, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8],
    [HOUR, 2, 0, 10, 20, 30, 40, 50, 0, 0, 3],
  ]);
  assert.equal(db.exec("SELECT count(*) FROM sqlite_temp_master WHERE name IN ('c5', 'p5')")[0].values[0][0], 0, 'the TEMP copies are gone');
  // a new activity gets the next id; the unknown one keeps 0
  db.run("INSERT INTO act_keys (name) VALUES ('coding')");
  assert.deepEqual(db.exec("SELECT id FROM act_keys WHERE name = 'coding'")[0].values, [[1]]);
  assert.throws(() => db.run("INSERT INTO act_keys (name) VALUES ('')"), /UNIQUE/);
});

test('the whole schema stays on the first page in a new database and in a migrated one, without a VACUUM', async () => {
  const SQL = await loadSqlJs();
  const fresh = new SQL.Database();
  migrate(fresh);
  assert.ok(schemaOnFirstPage(fresh.export()), 'new database');
  // a version 5 database with a few thousand dims (a year of sessions), migrated in place
  const old = await atVersion(5);
  const ins = old.prepare('INSERT INTO dims (source, model, project, session, branch, tier) VALUES (?, ?, ?, ?, ?, ?)');
  for (let i = 0; i < 3000; i++) ins.run(['claude', 'claude-opus-4-6', `-home-u-p${i % 40}`, `session-${i}`, 'main', i % 7 ? 'standard' : 'long']);
  ins.free();
  assert.ok(schemaOnFirstPage(old.export()), 'version 5');
  migrate(old);
  assert.ok(schemaOnFirstPage(old.export()), 'migrated');
  assert.equal(old.exec('SELECT count(*) FROM dims')[0].values[0][0], 3000);
});

test('a migrated index saved and damaged past its first page still opens without the scan (the damage shows on first use)', async () => {
  const SQL = await loadSqlJs();
  const dir = tmpDir();
  try {
    const file = join(dir, 'index.db');
    const v5 = await atVersion(5);
    const ins = v5.prepare('INSERT INTO dims (source, model, project, session, branch, tier) VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 500; i++) ins.run(['codex', 'gpt-5-codex', `/home/u/p${i}`, `rollout-${i}`, 'main', 'standard']);
    ins.free();
    writeFileSync(file, v5.export());
    const opened = openIndexDatabase(SQL, file);
    assert.equal(opened.migratedFrom, 5);
    saveIndexDatabase(opened.db, file);
    const bad = readFileSync(file);
    assert.ok(schemaOnFirstPage(bad));
    const pageSize = bad.readUInt16BE(16);
    for (let i = pageSize; i < bad.length; i++) bad[i] = (i * 7919) & 0xff;
    writeFileSync(file, bad);
    const again = openIndexDatabase(SQL, file);
    assert.equal(again.rebuiltReason, undefined, 'the schema is read from the first page alone');
    assert.equal(schemaVersionOf(again.db), SCHEMA_VERSION);
  } finally {
    cleanup(dir);
  }
});
