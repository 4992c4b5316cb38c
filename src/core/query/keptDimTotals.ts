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

/** The kept sums and what the last update changed, for callers that keep views over them in turn (app/dashboard/keptHistory.ts). */
export interface KeptDimTotals {
  readonly byDim: ReadonlyMap<number, DimTotal>;
  /** one more on every read (a new object for each changed dim; none of the others is replaced) */
  readonly version: number;
  /** the dims rows the read of `version` replaced, added or removed since `version - 1`; null: every row read again */
  readonly changed: ReadonlySet<number> | null;
}

interface Kept {
  cursor: number;
  byDim: Map<number, DimTotal>;
  version: number;
  changed: ReadonlySet<number> | null;
}

const kept = new WeakMap<Database, Kept>();
/** versions of reads that are not kept (inside a transaction): never one less than a kept one's */
let unkeptVersion = -2;

export function keptDimTotals(db: Database): DimTotal[] {
  return [...keptDimTotalsState(db).byDim.values()];
}

/** The kept sums brought up to date (`keptDimTotals`), with what changed since the last read. */
export function keptDimTotalsState(db: Database): KeptDimTotals {
  const open = inTransaction(db);
  const k = kept.get(db);
  const changed = k && !open ? dimsChangedSince(db, k.cursor) : null;
  if (!k || !changed) {
    const cursor = idleMarksCursor(db);
    const byDim = new Map(loadDimTotals(db).map((t) => [t.dim, t]));
    if (open) {
      kept.delete(db);
      unkeptVersion -= 2;
      return { byDim, version: unkeptVersion, changed: null };
    }
    const next: Kept = { cursor, byDim, version: (k?.version ?? 0) + 1, changed: null };
    kept.set(db, next);
    return next;
  }
  k.cursor = idleMarksCursor(db);
  k.version++;
  if (changed.size > k.byDim.size / 8) {
    // many rows changed (the first read after a first index consumes a mark per dims row): one scan reads them faster
    // than a statement step per row
    k.byDim = new Map(loadDimTotals(db).map((t) => [t.dim, t]));
    k.changed = null;
    return k;
  }
  k.changed = changed;
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
  return k;
}

/** Drops what is kept for `db` (a reader's copy follows the writer's rows: it reads them all). */
export function forgetDimTotals(db: Database): void {
  kept.delete(db);
}
