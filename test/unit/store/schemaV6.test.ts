import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { DimCache } from '../../../src/core/store/dims';
import { openIndexDatabase, saveIndexDatabase } from '../../../src/core/store/persist';
import { migrate, MIGRATIONS, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { loadDimsAfter } from '../../../src/core/query/dimTotals';
import { cleanup, tmpDir } from '../ingest/helpers';

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

const DIMS_V5: (string | number)[][] = [
  [1, 'claude', 'claude-opus-4-6', '-home-u-proj', '0f4e2c1a-5b6d-4e7f-8a9b-0c1d2e3f4a5b', 'main', 'standard'],
  [2, 'claude', 'claude-opus-4-6', '-home-u-proj', '0f4e2c1a-5b6d-4e7f-8a9b-0c1d2e3f4a5b', 'main', 'long'],
  [5, 'codex', 'gpt-5-codex', '/home/u/Ünïcödé "quoted" path', 'rollout-2026-04-02T09-00-00-a', '', 'standard'],
  [9, 'gemini', '', '(unknown)', 's', 'feature/x', 'fast'],
  [2 ** 31 + 7, 'cline', 'deepseek-chat', 'p\u0000q', 'task-1767261600000', 'b'.repeat(500), 'standard'],
];

test('migration 6 keeps every dims row value by value with activity \'\' (unknown), its id and every other table', async () => {
  const db = await atVersion(5);
  const ins = db.prepare('INSERT INTO dims (id, source, model, project, session, branch, tier) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const d of DIMS_V5) ins.run(d);
  ins.free();
  db.run('INSERT INTO usage (bucket, dim, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms, last_ms) VALUES (1775037600000, 5, 1, 2, 3, 4, 5, 6, 7, 8, 1775037601000, 1775037602000)');
  db.run('INSERT INTO session_totals VALUES (5, 1, 2, 3, 4, 5, 6, 7, 8, 1775037601000, 1775037602000, 1775037600000, 1775037600000, 1775037600000)');
  db.run("INSERT INTO keyed_calls VALUES (123, 456, 9, 1775037601000, '[1,2,3]')");
  db.run('INSERT INTO claude_calls (mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search) VALUES (9, 8, 0, 1765019635045, 2, 3, 4, 5, 6, 7, 0)');
  const others = ['usage', 'session_totals', 'keyed_calls', 'claude_calls'].map((t) => db.exec(`SELECT * FROM ${t}`)[0].values);

  migrate(db);
  assert.equal(schemaVersionOf(db), 6);
  const rows = db.exec('SELECT id, source, model, project, session, branch, tier, activity FROM dims ORDER BY id')[0].values;
  assert.deepEqual(rows, DIMS_V5.map((d) => [...d, '']));
  assert.deepEqual(['usage', 'session_totals', 'keyed_calls', 'claude_calls'].map((t) => db.exec(`SELECT * FROM ${t}`)[0].values), others);
  assert.equal(db.exec("SELECT count(*) FROM sqlite_temp_master WHERE name = 'd5'")[0].values[0][0], 0, 'the TEMP copy is gone');
  // the read side sees the activity
  assert.equal(loadDimsAfter(db, -1).get(5)?.activity, '');
  // activity is part of the unique key: the same tuple with an activity is another row, with the next id
  const dims = new DimCache(db);
  const [, source, model, project, session, branch, tier] = DIMS_V5[0] as string[];
  const coding = dims.idOf({ source, model, project, session, branch, tier: tier as 'standard', activity: 'coding' });
  assert.equal(coding, 2 ** 31 + 8);
  assert.equal(dims.idOf({ source, model, project, session, branch, tier: tier as 'standard' }), 1, 'no activity = the unknown row');
  assert.equal(dims.withActivity(1, 'coding'), coding);
  assert.equal(dims.activityOf(coding), 'coding');
  dims.free();
  assert.throws(() => db.run("INSERT INTO dims (source, model, project, session, branch, tier, activity) VALUES ('claude', 'claude-opus-4-6', '-home-u-proj', '0f4e2c1a-5b6d-4e7f-8a9b-0c1d2e3f4a5b', 'main', 'standard', 'coding')"), /UNIQUE/);
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
  assert.equal(old.exec("SELECT count(*) FROM dims WHERE activity = ''")[0].values[0][0], 3000);
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
    assert.equal(schemaVersionOf(again.db), 6);
  } finally {
    cleanup(dir);
  }
});
