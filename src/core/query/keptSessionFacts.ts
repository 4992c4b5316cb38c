/**
 * The writer's facts per dims row of a range (`loadSessionFacts(db, { sinceMs, untilMs }, dims)`: the dashboard's
 * views by session and project — at all time one row per dims row, ~29k at a year of heavy use), kept across data
 * changes as keptFacts.ts keeps the recent 15-minute facts: the rows of the dims rows whose usage changed since
 * (store/idleGaps.ts `dimsChangedSince`) are read again and merged in (bucket, dim) order. The same facts in the same
 * order as a fresh read, the unchanged ones the same objects (so what callers derived from them can be kept too); a
 * new array each time. Nothing is kept from inside an open transaction (it may roll back).
 */
import type { Database } from 'sql.js';
import { dimsChangedSince, idleMarksCursor } from '../store/idleGaps';
import type { Fact } from '../types';
import { loadSessionFacts } from './aggregates';
import type { Dim } from './dimTotals';
import { inTransaction } from './inTransaction';
import { mergeChanged } from './keptFacts';

/** More changed dims rows than this: read the range again. */
const MAX_CHANGED = 500;
/** Ranges kept per database (the last asked: a switch between 30 days and all time reads neither again). */
const MAX_RANGES = 3;

interface Kept {
  sinceMs: number;
  untilMs: number;
  cursor: number;
  facts: Fact[];
  ids: number[];
}
const kept = new WeakMap<Database, Kept[]>();

export function keptSessionFacts(db: Database, sinceMs: number, untilMs: number, dims: ReadonlyMap<number, Dim>): Fact[] {
  const open = inTransaction(db);
  const ranges = kept.get(db) ?? [];
  const at = ranges.findIndex((r) => r.sinceMs === sinceMs && r.untilMs === untilMs);
  const k = at >= 0 ? ranges.splice(at, 1)[0] : undefined;
  const changed = k && !open ? dimsChangedSince(db, k.cursor) : null;
  if (!k || !changed || changed.size > MAX_CHANGED) {
    const cursor = idleMarksCursor(db);
    const ids: number[] = [];
    const facts = loadSessionFacts(db, { sinceMs, untilMs }, dims, ids);
    if (open) kept.delete(db);
    else kept.set(db, [{ sinceMs, untilMs, cursor, facts, ids }, ...ranges].slice(0, MAX_RANGES));
    return facts;
  }
  kept.set(db, [k, ...ranges]);
  k.cursor = idleMarksCursor(db);
  if (changed.size === 0) return k.facts;
  const freshIds: number[] = [];
  const fresh = loadSessionFacts(db, { sinceMs, untilMs }, dims, freshIds, [...changed]);
  const merged = mergeChanged(k, changed, fresh, freshIds);
  k.facts = merged.facts;
  k.ids = merged.ids;
  return k.facts;
}

/** Drops what is kept for `db` (a reader's copy follows the writer's rows: it reads them all). */
export function forgetKeptSessionFacts(db: Database): void {
  kept.delete(db);
}
