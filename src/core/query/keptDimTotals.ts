/**
 * The writer's usage summed by dims (`loadDimTotals`: the dashboard's all-time figures), kept across data changes and
 * brought up to date from the dims rows whose usage changed since (store/idleGaps.ts `dimsChangedSince`: every usage
 * flush and retention roll-up marks its dims rows). A change reads the session_totals rows of those dims rows only,
 * instead of all of them (~29k at a year of heavy use). Nothing is kept from inside an open transaction (it may roll
 * back).
 */
import type { Database } from 'sql.js';
import { dimsChangedSince, idleMarksCursor } from '../store/idleGaps';
import { DIM_TOTAL_COLUMNS, dimTotalOf, loadDimTotals, type DimTotal } from './dimTotals';
import { inTransaction } from './inTransaction';

const kept = new WeakMap<Database, { cursor: number; byDim: Map<number, DimTotal> }>();

export function keptDimTotals(db: Database): DimTotal[] {
  const open = inTransaction(db);
  const k = kept.get(db);
  const changed = k && !open ? dimsChangedSince(db, k.cursor) : null;
  if (!k || !changed) {
    const cursor = idleMarksCursor(db);
    const all = loadDimTotals(db);
    if (open) kept.delete(db);
    else kept.set(db, { cursor, byDim: new Map(all.map((t) => [t.dim, t])) });
    return all;
  }
  k.cursor = idleMarksCursor(db);
  if (changed.size > 0) {
    const stmt = db.prepare(`SELECT ${DIM_TOTAL_COLUMNS} FROM session_totals WHERE dim = ?`);
    try {
      for (const dim of changed) {
        stmt.bind([dim]);
        if (stmt.step()) k.byDim.set(dim, dimTotalOf(stmt.get() as (number | null)[]));
        else k.byDim.delete(dim);
        stmt.reset();
      }
    } finally {
      stmt.free();
    }
  }
  return [...k.byDim.values()];
}

/** Drops what is kept for `db` (a reader's copy follows the writer's rows: it reads them all). */
export function forgetDimTotals(db: Database): void {
  kept.delete(db);
}
