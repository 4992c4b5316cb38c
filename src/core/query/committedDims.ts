import type { Database } from 'sql.js';
import { loadDimsAfter, loadMaxDimId, type Dim } from './dimTotals';
import { inTransaction } from './inTransaction';

/**
 * The dims rows by id, kept per database and read incrementally: a committed dims row never changes (the store only
 * inserts dims, store/dims.ts), so each call reads only the rows added since the last one. Rows read while a
 * transaction is open (a refresh's batch summary reads before its COMMIT) are used but not kept: the transaction may
 * roll back and their ids be given to other tuples. A table seen with a smaller largest id drops what was kept.
 * The one cache of dims: the status summary's facts, the dashboard's facts and per-project budgets all read it.
 */
const kept = new WeakMap<Database, { maxId: number; dims: Map<number, Dim> }>();

export function committedDims(db: Database): ReadonlyMap<number, Dim> {
  let c = kept.get(db);
  if (c && loadMaxDimId(db) < c.maxId) c = undefined;
  if (!c) {
    c = { maxId: -1, dims: new Map() };
    kept.set(db, c);
  }
  const added = loadDimsAfter(db, c.maxId);
  if (added.size === 0) return c.dims;
  if (inTransaction(db)) return new Map([...c.dims, ...added]);
  for (const [id, d] of added) {
    c.dims.set(id, d);
    if (id > c.maxId) c.maxId = id;
  }
  return c.dims;
}
