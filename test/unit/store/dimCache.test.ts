/**
 * DimCache (store/dims.ts): a new (source, model, project, session, branch, tier) is inserted, one already in dims is
 * found — by another cache too (a later refresh), whatever order they come in — and each gets one id for good.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DimCache } from '../../../src/core/store/dims';
import { freshDb } from '../ingest/helpers';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';

test('dims: new tuples are inserted, known ones found by a later cache with the same id, nothing inserted twice', async () => {
  const db = await freshDb();
  const tuple = (session: string, branch = 'main') => ({ source: 'claude', model: 'claude-sonnet-4-5', project: '-home-u-app', session, branch, tier: 'standard' as const });
  const first = new DimCache(db);
  const a = first.idOf(tuple('s1'));
  const b = first.idOf(tuple('s2'));
  assert.notEqual(a, b);
  assert.equal(first.idOf(tuple('s1')), a);
  first.free();
  // a later refresh: its cache finds both (in the other order) and inserts only the new tuple
  const later = new DimCache(db);
  assert.equal(later.idOf(tuple('s2')), b);
  assert.equal(later.idOf(tuple('s1')), a);
  const c = later.idOf(tuple('s1', 'feature/x'));
  assert.ok(c !== a && c !== b);
  assert.equal(later.idOf(tuple('s1')), a, 'asked again: from the cache');
  later.free();
  assert.deepEqual(db.exec(`SELECT id, session, branch FROM ${DIMS_AS_TEXT} ORDER BY id`)[0].values, [
    [a, 's1', 'main'],
    [b, 's2', 'main'],
    [c, 's1', 'feature/x'],
  ]);
});

test('dims: texts and rows a refresh inserted are gone after its rollback; the next cache gives their ids to other texts, each row read back with its own', async () => {
  const db = await freshDb();
  const tuple = (project: string, model: string) => ({ source: 'claude', model, project, session: `s-${project}`, branch: 'main', tier: 'standard' as const });
  const first = new DimCache(db);
  const kept = first.idOf(tuple('-home-u-kept', 'claude-sonnet-4-5'));
  first.free();
  db.run('BEGIN');
  const failed = new DimCache(db);
  const gone = failed.idOf(tuple('-home-u-gone', 'claude-opus-4-6'));
  failed.free();
  db.run('ROLLBACK');
  const later = new DimCache(db);
  const other = later.idOf(tuple('-home-u-other', 'claude-haiku-4-5'));
  assert.equal(later.idOf(tuple('-home-u-kept', 'claude-sonnet-4-5')), kept);
  const third = later.idOf(tuple('-home-u-third', 'claude-opus-4-6')); // a text of the rolled-back refresh: inserted again
  later.free();
  assert.equal(other, gone, 'the id given again');
  assert.deepEqual(db.exec(`SELECT id, model, project FROM ${DIMS_AS_TEXT} ORDER BY id`)[0].values, [
    [kept, 'claude-sonnet-4-5', '-home-u-kept'],
    [other, 'claude-haiku-4-5', '-home-u-other'],
    [third, 'claude-opus-4-6', '-home-u-third'],
  ]);
  assert.deepEqual(db.exec('SELECT s FROM strs ORDER BY id')[0].values.map((r) => r[0]),
    ['claude', 'claude-sonnet-4-5', '-home-u-kept', 'main', 'standard', 'claude-haiku-4-5', '-home-u-other', 'claude-opus-4-6', '-home-u-third']);
});

test('dims: many tuples of one session (a session no log names) and one tuple in many sessions: each its own id, found again by this cache and by a later one', async () => {
  const db = await freshDb();
  // 40 projects × 2 models under the session '' (past the list a session keeps before its map), and 30 sessions of one tuple
  const shared = Array.from({ length: 80 }, (_, i) => ({ source: 'cline', model: i % 2 ? 'gpt-5' : 'claude-sonnet-4-5', project: `-home-u-p${i >> 1}`, session: '', branch: '', tier: 'standard' as const }));
  const one = Array.from({ length: 30 }, (_, i) => ({ source: 'gemini', model: 'gemini-2.5-pro', project: '-home-u-app', session: `s${i}`, branch: '', tier: 'standard' as const }));
  const cache = new DimCache(db);
  const ids = [...shared, ...one].map((t) => cache.idOf(t));
  assert.equal(new Set(ids).size, ids.length, 'every tuple its own id');
  // asked again in another order: the same ids, nothing inserted
  const again = [...shared, ...one].map((t, i) => [i, t] as const).reverse().map(([i, t]) => [i, cache.idOf({ ...t })] as const);
  for (const [i, id] of again) assert.equal(id, ids[i]);
  cache.free();
  const later = new DimCache(db);
  for (const [i, t] of [...shared, ...one].entries()) assert.equal(later.idOf(t), ids[i]);
  later.free();
  assert.equal(Number(db.exec('SELECT count(*) FROM dims')[0].values[0][0]), ids.length);
  const rows = db.exec(`SELECT id, source, model, project, session FROM ${DIMS_AS_TEXT} ORDER BY id`)[0].values;
  assert.deepEqual(rows, [...shared, ...one].map((t, i) => [ids[i], t.source, t.model, t.project, t.session]).sort((a, b) => Number(a[0]) - Number(b[0])));
});
