import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hash53 } from '../../../src/core/hash';
import { migrate, MIGRATIONS, schemaVersionOf } from '../../../src/core/store/schema';
import { allSeenCalls, SeenCalls } from '../../../src/core/store/seenCalls';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { filesAsPaths } from '../../../src/core/store/fileRows';
import { ridKey } from '../../../src/core/store/claudePacks';
import { claudeCallRows } from './claudeCallRows';

/** A database at schema `v` (the released migrations up to it). */
async function atVersion(v: number) {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  for (let i = 0; i < v; i++) db.exec(`${MIGRATIONS[i]}; PRAGMA user_version = ${i + 1}`);
  return db;
}

test('migration 3 packs the compacted hashes exactly (every value, edge values included), keeps files and claude_calls, drops the ts index', async () => {
  const db = await atVersion(2);
  const mids = [1, 2 ** 37 - 1, 2 ** 37, 2 ** 53 - 1, 2 ** 52 + 12345, ...Array.from({ length: 5000 }, (_, i) => hash53(`msg_${i}`))];
  const ins = db.prepare('INSERT OR IGNORE INTO claude_seen (mid) VALUES (?)');
  for (const m of mids) ins.run([m]);
  ins.free();
  db.run("INSERT INTO files (path, source, dev, ino, size, mtime_ms, offset, state, missing) VALUES ('/h/.claude/projects/p/s.jsonl', 'claude', 2049, 77, 1234, 1765019635045.123, 1200, '{\"cwd\":\"/p\",\"fp\":5615328248543271}', 0)");
  db.run('INSERT INTO claude_calls (mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search) VALUES (9, 8, 0, 1765019635045, 1, 3, 4, 5, 6, 7, 0)');
  const files = db.exec('SELECT * FROM files')[0].values;
  const calls = db.exec('SELECT * FROM claude_calls')[0].values;

  migrate(db);
  assert.equal(schemaVersionOf(db), MIGRATIONS.length);
  assert.deepEqual(allSeenCalls(db), [...new Set(mids)].sort((a, b) => a - b));
  const seen = new SeenCalls(db);
  for (const m of mids) assert.equal(seen.has(m), true, `${m}`);
  for (const m of [3, 2 ** 37 + 1, 2 ** 53 - 2, hash53('never')]) assert.equal(seen.has(m), false, `${m}`);
  seen.free();
  assert.deepEqual(filesAsPaths(db), files); // keyed by directory and name since version 13, the state packed since 17
  // act 0 (unknown) since migration 6; packed since version 14 with the requestId as its key
  assert.deepEqual(claudeCallRows(db), calls.map((c) => [c[0], ridKey(Number(c[1])), ...c.slice(2), 0]));
  assert.equal(db.exec("SELECT count(*) FROM sqlite_master WHERE name IN ('claude_seen', 'claude_calls_ts')")[0].values[0][0], 0);
  assert.match(String(db.exec("SELECT sql FROM sqlite_master WHERE name = 'files'")[0].values[0][0]), /WITHOUT ROWID/);
});

test('seen packs: additions in any order, with repeats and known hashes, merge into sorted packs; nothing new writes nothing', async () => {
  const db = await atVersion(MIGRATIONS.length);
  const seen = new SeenCalls(db);
  const a = Array.from({ length: 3000 }, (_, i) => hash53(`a_${i}`));
  const b = Array.from({ length: 3000 }, (_, i) => hash53(`b_${i}`));
  await seen.addAll([...a].reverse());
  await seen.addAll([...b, ...a.slice(0, 100), b[0]]);
  assert.deepEqual(allSeenCalls(db), [...new Set([...a, ...b])].sort((x, y) => x - y));
  db.run('CREATE TEMP TABLE writes (n)');
  db.run("CREATE TEMP TRIGGER w AFTER INSERT ON claude_seen_packs BEGIN INSERT INTO writes VALUES (1); END");
  await seen.addAll(a.slice(0, 500));
  assert.equal(db.exec('SELECT count(*) FROM writes')[0].values[0][0], 0);
  seen.free();
});
