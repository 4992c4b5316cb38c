import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { GroupKeys, historyOf } from '../../../src/app/dashboard/history';
import { keptHistoryOf } from '../../../src/app/dashboard/keptHistory';
import type { Dim, DimTotal } from '../../../src/core/query/dimTotals';
import type { KeptDimTotals } from '../../../src/core/query/keptDimTotals';
import { rng } from '../rng';

/** A distinct string object with the same text (the dims rows of a reader that decoded a text twice). */
const copy = (s: string) => [...s].join('');

test('GroupKeys: one key per (source, project, model, tier), the same for equal texts held by other string objects', () => {
  const keys = new GroupKeys();
  const a: Dim = { source: 'claude', project: '/home/u/proj1', model: 'claude-sonnet-4-5', tier: 'standard', session: 's1', branch: 'main' };
  const k = keys.of(a);
  assert.equal(k, 'claude\u0000/home/u/proj1\u0000claude-sonnet-4-5\u0000standard');
  const b: Dim = { ...a, project: copy(a.project), model: copy(a.model), session: 's2', branch: '' };
  assert.equal(keys.of(b), k);
  const others = [{ ...a, source: 'codex' as const }, { ...a, project: '/home/u/proj2' }, { ...a, model: 'claude-opus-4-6' }, { ...a, tier: 'long' as const }];
  assert.equal(new Set([k, ...others.map((d) => keys.of(d))]).size, 5);
});

/** ~3k dims rows over a few sources, projects, models and tiers, each with its sums; the texts decoded per row. */
function history(seed: number): { dims: Map<number, Dim>; byDim: Map<number, DimTotal> } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const dims = new Map<number, Dim>();
  const byDim = new Map<number, DimTotal>();
  for (let id = 1; id <= 3000; id++) {
    const source = pick(['claude', 'codex', 'gemini'] as const);
    dims.set(id, {
      source, project: copy(pick(['/home/u/proj1', '/home/u/proj2', '~/agent', '/srv/api'])), model: copy(pick(['claude-sonnet-4-5', 'gpt-5-codex', 'gemini-2.5-pro'])),
      tier: pick(['standard', 'long', 'fast'] as const), session: `s${Math.floor(id / 3)}`, branch: pick(['main', 'dev', '']),
    });
    if (r() < 0.05) continue; // a dims row without usage
    const first = Date.UTC(2026, 0, 1) + Math.floor(r() * 300) * 900_000 * 96;
    byDim.set(id, {
      dim: id, firstBucketMs: first, firstBilledBucketMs: r() < 0.1 ? null : first + 900_000, input: Math.floor(r() * 1e6), output: Math.floor(r() * 1e5),
      cacheWrite5m: Math.floor(r() * 1e5), cacheWrite1h: 0, cacheRead: Math.floor(r() * 1e7), reasoning: 0, webSearch: 0, requests: 1 + Math.floor(r() * 50),
    });
  }
  return { dims, byDim };
}

test('the kept all-time groups, built and after a change, are those historyOf folds from every row', () => {
  const { dims, byDim } = history(11);
  const db = {} as Database;
  const first: KeptDimTotals = { byDim, version: 1, changed: null };
  const built = keptHistoryOf(db, first, dims);
  assert.deepEqual(built, historyOf([...byDim.values()], dims));
  assert.ok(built.groups.length > 50, `${built.groups.length} groups`);
  // a change: some rows' sums grow, one row goes, a new dims row of an existing group and one of a new group arrive
  const changed = new Set<number>();
  const next = new Map(byDim);
  for (const id of [5, 77, 1201, 2999]) {
    const t = next.get(id);
    if (t) next.set(id, { ...t, input: t.input + 1234, requests: t.requests + 2 });
    changed.add(id);
  }
  next.delete(42);
  changed.add(42);
  dims.set(3001, { ...dims.get(5)!, session: 'new' });
  dims.set(3002, { source: 'codex', project: '/home/u/new', model: 'gpt-5-codex', tier: 'standard', session: 'n', branch: '' });
  for (const id of [3001, 3002]) {
    next.set(id, { ...byDim.get(10)!, dim: id, firstBucketMs: Date.UTC(2026, 10, 1) });
    changed.add(id);
  }
  const updated = keptHistoryOf(db, { byDim: next, version: 2, changed }, dims);
  assert.deepEqual(updated, historyOf([...next.values()], dims));
  assert.ok(updated.groups.some((g) => g.project === '/home/u/new'));
});
