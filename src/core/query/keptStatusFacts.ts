/**
 * The status summary's facts since a bucket (the month, the week and the Claude block chain: `statusFactsSince`),
 * kept across data changes per database and brought up to date from the dims rows whose usage was written since
 * (store/changeMarks.ts): their rows are read again and merged in (bucket, dim) order (`mergeChanged`), instead
 * of reading every row of the month after each change — at the end of a month, 30 days of rows. A later start keeps
 * the slice from it; an earlier one reads all again. The same facts in the same order as `loadFacts(db, { sinceMs })`
 * (keptStatusFacts test); a new array each time a change is merged (one handed out before is never changed). Nothing
 * is kept from inside an open transaction (it may roll back), nor for a database whose saves are not captured.
 */
import type { Database } from 'sql.js';
import { isCapturing } from '../store/changeCapture';
import { usageDimMarks } from '../store/changeMarks';
import { firstFactAtOrAfter } from '../report/factsFrom';
import type { Fact } from '../types';
import { loadAllFacts } from './allFacts';
import { dimLookup } from './committedDims';
import { loadFacts } from './facts';
import { inTransaction } from './inTransaction';
import { mergeChanged } from './keptFacts';

/** More changed dims rows than this (a batch of a first index): read the period again. */
const MAX_CHANGED = 500;

interface Kept {
  sinceMs: number;
  facts: Fact[];
  /** the dims id of each fact */
  ids: number[];
}
const kept = new WeakMap<Database, Kept>();

export function keptStatusFacts(db: Database, sinceMs: number): Fact[] {
  // a database whose saves are not captured (a first index, a reader's copy) is read whole each time: see store/changeMarks.ts
  if (!isCapturing(db) || inTransaction(db)) {
    kept.delete(db);
    return loadFacts(db, { sinceMs });
  }
  const k = kept.get(db);
  const changed = k && k.sinceMs <= sinceMs ? usageDimMarks.take(db) : null;
  if (!k || !changed || changed.size > MAX_CHANGED) {
    usageDimMarks.reset(db);
    const ids: number[] = [];
    const facts = loadAllFacts(db, sinceMs, dimLookup(db, sinceMs), undefined, undefined, ids);
    kept.set(db, { sinceMs, facts, ids });
    return facts;
  }
  if (k.sinceMs < sinceMs) {
    const from = firstFactAtOrAfter(k.facts, sinceMs);
    k.facts = k.facts.slice(from);
    k.ids = k.ids.slice(from);
    k.sinceMs = sinceMs;
  }
  if (changed.size === 0) return k.facts;
  const freshIds: number[] = [];
  const fresh = loadAllFacts(db, sinceMs, dimLookup(db, sinceMs), undefined, undefined, freshIds, [...changed]);
  const merged = mergeChanged(k, changed, fresh, freshIds);
  k.facts = merged.facts;
  k.ids = merged.ids;
  return k.facts;
}
