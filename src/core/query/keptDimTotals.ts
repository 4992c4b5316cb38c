/**
 * The writer's usage summed by dims (`loadDimTotals`: the dashboard's all-time figures), kept across data changes and
 * brought up to date from the dims rows whose usage changed since: those marked for the idle re-writes (every usage
 * flush and retention roll-up marks its dims rows, store/idleGaps.ts) and those whose marks were consumed since
 * (`takeConsumedIdleMarks`). A change reads the session_totals rows of those dims rows only, instead of all of them
 * (~29k at a year of heavy use). Nothing is kept from inside an open transaction (it may roll back).
 */
import type { Database } from 'sql.js';
import { takeConsumedIdleMarks } from '../store/idleGaps';
import { DIM_TOTAL_COLUMNS, dimTotalOf, loadDimTotals, type DimTotal } from './dimTotals';
import { inTransaction } from './inTransaction';

const kept = new WeakMap<Database, Map<number, DimTotal>>();

export function keptDimTotals(db: Database): DimTotal[] {
  const open = inTransaction(db);
  const byDim = kept.get(db);
  if (!byDim || open) {
    const all = loadDimTotals(db);
    if (open) {
      kept.delete(db);
    } else {
      takeConsumedIdleMarks(db);
      kept.set(db, new Map(all.map((t) => [t.dim, t])));
    }
    return all;
  }
  const changed = takeConsumedIdleMarks(db);
  for (const v of db.exec('SELECT dim FROM idle_gaps WHERE grp = -1')[0]?.values ?? []) changed.add(Number(v[0]));
  if (changed.size > 0) {
    const stmt = db.prepare(`SELECT ${DIM_TOTAL_COLUMNS} FROM session_totals WHERE dim = ?`);
    try {
      for (const dim of changed) {
        stmt.bind([dim]);
        if (stmt.step()) byDim.set(dim, dimTotalOf(stmt.get() as (number | null)[]));
        else byDim.delete(dim);
        stmt.reset();
      }
    } finally {
      stmt.free();
    }
  }
  return [...byDim.values()];
}

/** Drops what is kept for `db` (a reader's copy follows the writer's rows: it reads them all). */
export function forgetDimTotals(db: Database): void {
  kept.delete(db);
}
