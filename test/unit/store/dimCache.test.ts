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
