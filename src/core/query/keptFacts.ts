/**
 * The writer's facts since a bucket (`loadAllFacts(db, sinceMs, dims)`: the dashboard's recent 70 days of 15-minute
 * rows), kept across data changes and brought up to date from the dims rows whose usage changed since
 * (store/idleGaps.ts `dimsChangedSince`: every usage flush and retention roll-up marks its dims rows): their rows are
 * read again (SQLite skips the others) and merged in (bucket, dim) order, instead of decoding every row of the period
 * after each change. The same facts in the same order as a fresh read; a new array each time (one handed out before
 * is never changed). Nothing is kept from inside an open transaction (it may roll back).
 */
import type { Database } from 'sql.js';
import { dimsChangedSince, idleMarksCursor } from '../store/idleGaps';
import type { Fact } from '../types';
import { loadAllFacts } from './allFacts';
import type { Dim } from './dimTotals';
import { inTransaction } from './inTransaction';

/** More changed dims rows than this: read the period again. */
const MAX_CHANGED = 500;

interface Kept {
  sinceMs: number;
  cursor: number;
  facts: Fact[];
  /** the dims id of each fact */
  ids: number[];
}
const kept = new WeakMap<Database, Kept>();

export function keptFactsSince(db: Database, sinceMs: number, dims: ReadonlyMap<number, Dim>): Fact[] {
  const open = inTransaction(db);
  const k = kept.get(db);
  const changed = k && !open && k.sinceMs === sinceMs ? dimsChangedSince(db, k.cursor) : null;
  if (!k || !changed || changed.size > MAX_CHANGED || k.sinceMs !== sinceMs) {
    const cursor = idleMarksCursor(db);
    const ids: number[] = [];
    const facts = loadAllFacts(db, sinceMs, dims, undefined, undefined, ids);
    if (open) kept.delete(db);
    else kept.set(db, { sinceMs, cursor, facts, ids });
    return facts;
  }
  k.cursor = idleMarksCursor(db);
  if (changed.size === 0) return k.facts;
  const freshIds: number[] = [];
  const fresh = loadAllFacts(db, sinceMs, dims, undefined, undefined, freshIds, [...changed]);
  const merged = mergeChanged(k, changed, fresh, freshIds);
  k.facts = merged.facts;
  k.ids = merged.ids;
  return k.facts;
}

/**
 * The kept facts (ordered by bucket, then dims id; `ids[i]` is `facts[i]`'s) without those of the changed dims rows,
 * merged with those rows read again (same order): a new array.
 */
export function mergeChanged(
  k: { facts: readonly Fact[]; ids: readonly number[] }, changed: ReadonlySet<number>, fresh: readonly Fact[], freshIds: readonly number[],
): { facts: Fact[]; ids: number[] } {
  const facts: Fact[] = [];
  const ids: number[] = [];
  let j = 0;
  for (let i = 0; i < k.facts.length; i++) {
    const f = k.facts[i];
    const id = k.ids[i];
    if (changed.has(id)) continue;
    while (j < fresh.length && (fresh[j].bucketStartMs < f.bucketStartMs || (fresh[j].bucketStartMs === f.bucketStartMs && freshIds[j] < id))) {
      facts.push(fresh[j]);
      ids.push(freshIds[j++]);
    }
    facts.push(f);
    ids.push(id);
  }
  for (; j < fresh.length; j++) {
    facts.push(fresh[j]);
    ids.push(freshIds[j]);
  }
  return { facts, ids };
}

/** Drops what is kept for `db` (a reader's copy follows the writer's rows: it reads them all). */
export function forgetKeptFacts(db: Database): void {
  kept.delete(db);
}
