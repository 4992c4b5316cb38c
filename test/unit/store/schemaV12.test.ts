/**
 * Schema 12: dims' index on session keeps each session's last 8 characters (substr(session, -8)) instead of a second
 * copy of the whole text. The migration keeps every dims row with its id; a tuple is still found by the index (not a
 * scan of the table), told apart from another session with the same ending, and never added twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DimCache } from '../../../src/core/store/dims';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { atVersion } from './keyedMigration';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';

type Tuple = [number, string, string, string, string, string, string];

test('migration 12 keeps every dims row with its id; a tuple is found by its session\'s ending, never added twice, sessions with the same ending told apart', async () => {
  const db = await atVersion(11);
  assert.match(String(db.exec("SELECT sql FROM sqlite_master WHERE name = 'ds'")[0].values[0][0]), /ON dims \(session\)/);
  const tuples: Tuple[] = [];
  for (let i = 0; i < 400; i++) {
    // real session ids (a Claude UUID, a Codex rollout name, OpenCode's ses_…, a Cline task's ms timestamp), a few
    // with the same last 8 characters as another, short and empty ones, non-ASCII endings
    const session = [
      `0b1c2d3e-4f50-4a61-8b72-9c8d${String(i).padStart(8, '0')}`,
      `rollout-2026-03-01T10-00-00-7f1e2d3c-4b5a-4968-8776-${String(i).padStart(12, '0')}`,
      `ses_${i}abc${String(i % 10).padStart(8, '0')}`,
      `${1767261600000 + i}`,
      i % 2 ? '' : 'x',
      `проект-сессия-${i % 3}`,
    ][i % 6];
    const t: Tuple = [5 + i * 3, ['claude', 'codex', 'opencode', 'cline', 'copilot-cli', 'gemini'][i % 6], i % 4 ? 'claude-opus-4-6' : 'gpt-5-codex', '/home/u/app', session, i % 5 ? 'main' : '', 'standard'];
    if (!tuples.some((u) => u.slice(1).join('\u0000') === t.slice(1).join('\u0000'))) tuples.push(t); // the table holds a tuple once
  }
  const ins = db.prepare('INSERT INTO dims (id, source, model, project, session, branch, tier) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const t of tuples) ins.run(t);
  ins.free();
  const before = db.exec('SELECT * FROM dims ORDER BY id')[0].values;

  migrate(db);
  assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
  assert.deepEqual(db.exec(`SELECT * FROM ${DIMS_AS_TEXT} ORDER BY id`)[0].values, before, 'every row with its id (texts interned since version 13)');
  // (the last 4 characters since schema 21: sessions ending alike are more, each still told apart)
  assert.match(String(db.exec("SELECT sql FROM sqlite_master WHERE name = 'ds'")[0].values[0][0]), /ON dims \(substr\(session, -4\)\)/);
  assert.equal(db.exec('PRAGMA integrity_check')[0].values[0][0], 'ok');

  const dims = new DimCache(db);
  try {
    for (const [id, source, model, project, session, branch, tier] of tuples) {
      assert.equal(dims.idOf({ source, model, project, session, branch, tier: tier as 'standard' }), id, `${source} ${session}`);
    }
    // a new session ending as a known one (tuples[6]'s '…00000006', same source, model, project, branch), a known session under a new branch: new rows each
    const a = dims.idOf({ source: 'claude', model: 'claude-opus-4-6', project: '/home/u/app', session: 'ffffffff-0000-4000-8000-000000000006', branch: 'main', tier: 'standard' });
    const b = dims.idOf({ source: 'claude', model: 'claude-opus-4-6', project: '/home/u/app', session: tuples[6][4], branch: 'feature/x', tier: 'standard' });
    assert.ok(a > tuples[tuples.length - 1][0] && b > a);
    const again = new DimCache(db);
    try {
      assert.equal(again.idOf({ source: 'claude', model: 'claude-opus-4-6', project: '/home/u/app', session: 'ffffffff-0000-4000-8000-000000000006', branch: 'main', tier: 'standard' }), a, 'found again by a new cache, not added twice');
      assert.equal(again.idOf({ source: 'claude', model: 'claude-opus-4-6', project: '/home/u/app', session: tuples[6][4], branch: 'feature/x', tier: 'standard' }), b);
    } finally {
      again.free();
    }
  } finally {
    dims.free();
  }
  assert.equal(db.exec('SELECT count(*) FROM dims')[0].values[0][0], tuples.length + 2);
  // DimCache's lookup goes through the index
  const plan = db.exec("EXPLAIN QUERY PLAN SELECT id FROM dims WHERE substr(session, -4) = substr(?1, -4) AND session = ?1 AND source_id = 1", ['s'])[0].values.map((r) => String(r[3])).join(' ');
  assert.match(plan, /USING INDEX ds/, 'a lookup reads the rows with the session\'s ending, not the table');
});
