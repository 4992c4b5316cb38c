/**
 * The writer's all-time groups (history.ts `historyOf` over the kept sums by dims row, core keptDimTotals.ts), kept
 * across data changes: a change folds again only the groups (source, project, model, tier) of the dims rows it
 * changed, each from all of its dims rows' sums — `historyOf` itself, so every figure is the one a fold of every row
 * gives. Dims rows are only ever added, so a dims row's group never changes.
 */
import type { Database } from 'sql.js';
import type { Dim, DimTotal } from '../../core/query/dimTotals';
import type { KeptDimTotals } from '../../core/query/keptDimTotals';
import { GroupKeys, historyOf, type SnapshotHistory, type UsageGroup } from './history';

interface Kept {
  /** the kept sums this follows (a new object when they were dropped and read again) and their version */
  source: KeptDimTotals;
  version: number;
  /** the dims rows of each group key with their sums (rows without a dims row yet are in `orphans`) */
  members: Map<string, Map<number, DimTotal>>;
  groupOf: Map<number, string>;
  orphans: Set<number>;
  groups: Map<string, UsageGroup>;
  history: SnapshotHistory;
  /** the group key of a dims row's (source, project, model, tier) */
  keys: GroupKeys;
}

const kept = new WeakMap<Database, Kept>();

export function keptHistoryOf(db: Database, totals: KeptDimTotals, dims: ReadonlyMap<number, Dim>): SnapshotHistory {
  const k = kept.get(db);
  if (k && k.source === totals && k.version === totals.version) return k.history;
  if (!k || k.source !== totals || totals.changed === null || k.version !== totals.version - 1) {
    const fresh = build(totals, dims);
    kept.set(db, fresh);
    return fresh.history;
  }
  k.version = totals.version;
  const touched = new Set<string>();
  // the changed rows, and the rows whose dims row was missing before (it may have arrived since)
  for (const dim of [...totals.changed, ...k.orphans]) {
    const was = k.groupOf.get(dim);
    if (was !== undefined) {
      k.members.get(was)!.delete(dim);
      k.groupOf.delete(dim);
      touched.add(was);
    }
    k.orphans.delete(dim);
    const t = totals.byDim.get(dim);
    if (t) touched.add(place(k, dim, t, dims) ?? '');
  }
  touched.delete('');
  for (const key of touched) {
    const rows = k.members.get(key);
    const g = rows && rows.size > 0 ? historyOf([...rows.values()], dims, k.keys).groups[0] : undefined;
    if (g) k.groups.set(key, g);
    else {
      k.groups.delete(key);
      k.members.delete(key);
    }
  }
  k.history = sorted(k.groups);
  return k.history;
}

function build(totals: KeptDimTotals, dims: ReadonlyMap<number, Dim>): Kept {
  const k: Kept = { source: totals, version: totals.version, members: new Map(), groupOf: new Map(), orphans: new Set(), groups: new Map(), history: { groups: [] }, keys: new GroupKeys() };
  for (const [dim, t] of totals.byDim) place(k, dim, t, dims);
  const all = historyOf([...totals.byDim.values()], dims, k.keys);
  for (const g of all.groups) k.groups.set(k.keys.of(g), g);
  k.history = all;
  return k;
}

/** Puts a dims row's sums in its group; its key, or undefined when its dims row is not known (yet). */
function place(k: Kept, dim: number, t: DimTotal, dims: ReadonlyMap<number, Dim>): string | undefined {
  const d = dims.get(dim);
  if (!d) {
    k.orphans.add(dim);
    return undefined;
  }
  const key = k.keys.of(d);
  let rows = k.members.get(key);
  if (!rows) {
    rows = new Map();
    k.members.set(key, rows);
  }
  rows.set(dim, t);
  k.groupOf.set(dim, key);
  return key;
}

/** The groups in history.ts's order: by first bucket, then first dims row. */
function sorted(groups: Map<string, UsageGroup>): SnapshotHistory {
  return { groups: [...groups.values()].sort((a, b) => a.firstBucketMs - b.firstBucketMs || a.firstDim - b.firstDim) };
}
