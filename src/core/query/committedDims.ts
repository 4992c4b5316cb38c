import type { Database } from 'sql.js';
import { loadDimsAfter, loadDimsIn, loadMaxDimId, usageDimIds, type Dim } from './dimTotals';
import { inTransaction } from './inTransaction';

/**
 * The dims rows by id, kept per database: a committed dims row never changes (the store only inserts dims, with
 * growing ids: store/dims.ts), so each row is read once. Rows read while a transaction is open (a refresh's batch
 * summary reads before its COMMIT) are used but not kept: the transaction may roll back and their ids be given to
 * other tuples. A table seen with a smaller largest id drops what was kept.
 * The one cache of dims: the status summary's facts, the dashboard's facts and per-project budgets all read it.
 *
 * `committedDims` reads them all (then only the new ones); `dimLookup` only those a window of usage references: the
 * facts of a month reference a few thousand of a year's ~30k dims, and decoding six strings of every dims row was
 * most of the first status summary after opening a year's index.
 */
interface Kept {
  /** every id up to `maxId` is read (`committedDims` was called) */
  complete: boolean;
  maxId: number;
  dims: Map<number, Dim>;
  /** the largest id ever read (a smaller table means it was rebuilt) */
  maxSeen: number;
  /** every dim of the usage rows from this bucket on was read (as of then; newer dims have larger ids) */
  windowFrom: number;
  /** the texts of `strs` by id (store/strs.ts), committed ones only: like dims rows, they never change */
  strs: string[];
}

const kept = new WeakMap<Database, Kept>();

/** A dims row by id (a `Map` satisfies it). */
export interface DimLookup {
  get(id: number): Dim | undefined;
}

function keptOf(db: Database): Kept {
  let c = kept.get(db);
  if (c && loadMaxDimId(db) < c.maxSeen) c = undefined;
  if (!c) {
    c = { complete: false, maxId: -1, dims: new Map(), maxSeen: -1, windowFrom: Number.POSITIVE_INFINITY, strs: [] };
    kept.set(db, c);
  }
  return c;
}

function keep(c: Kept, added: Map<number, Dim>): void {
  for (const [id, d] of added) {
    c.dims.set(id, d);
    if (id > c.maxSeen) c.maxSeen = id;
  }
}

/**
 * The texts to read dims rows with: the kept ones, or inside a transaction a copy (texts read there may roll back and
 * their ids be given to other texts).
 */
function strsOf(c: Kept, tx: boolean): string[] {
  return tx ? c.strs.slice() : c.strs;
}

/** Every dims row by id. */
export function committedDims(db: Database): ReadonlyMap<number, Dim> {
  const c = keptOf(db);
  const tx = inTransaction(db);
  const added = loadDimsAfter(db, c.complete ? c.maxId : -1, strsOf(c, tx));
  if (tx) return c.complete ? new Map([...c.dims, ...added]) : added;
  if (!c.complete) {
    c.dims = added;
    c.complete = true;
    c.maxSeen = -1;
  } else keep(c, added);
  for (const id of added.keys()) {
    if (id > c.maxId) c.maxId = id;
    if (id > c.maxSeen) c.maxSeen = id;
  }
  return c.dims;
}

/**
 * The dims rows the usage rows of buckets ≥ `sinceMs` reference, read once (the first time a window starts that
 * early: one `SELECT DISTINCT dim` over its usage rows, then those not kept yet); an id found later is a new dim (the
 * ids above the largest read) or, rarely, an old dim first used again (read alone). Inside a transaction the rows it
 * has to read are used but not kept (the rows kept before are: they were committed); once `committedDims` has read
 * every row, it is that map (inside a transaction: that map and the rows added since, looked up without a copy).
 */
export function dimLookup(db: Database, sinceMs = Number.NEGATIVE_INFINITY): DimLookup {
  const c = keptOf(db);
  const tx = inTransaction(db);
  if (c.complete) {
    if (!tx) return committedDims(db);
    // inside a transaction: the kept rows and those added since, looked up in both (no copy of every row, as
    // `committedDims` makes for a caller that needs one map)
    const added = loadDimsAfter(db, c.maxId, strsOf(c, tx));
    return { get: (id: number) => c.dims.get(id) ?? added.get(id) };
  }
  const read = tx ? new Map<number, Dim>() : c.dims;
  let readTop = c.maxSeen;
  const put = (rows: Map<number, Dim>) => {
    if (!tx) keep(c, rows);
    else for (const [id, d] of rows) read.set(id, d);
    for (const id of rows.keys()) if (id > readTop) readTop = id;
  };
  if (sinceMs < c.windowFrom) {
    put(loadDimsIn(db, usageDimIds(db, sinceMs, c.windowFrom).filter((id) => !c.dims.has(id)), strsOf(c, tx)));
    if (!tx) c.windowFrom = sinceMs;
  }
  return {
    get(id: number): Dim | undefined {
      const d = c.dims.get(id) ?? read.get(id);
      if (d) return d;
      put(id > readTop ? loadDimsAfter(db, readTop, strsOf(c, tx)) : loadDimsIn(db, [id], strsOf(c, tx)));
      return c.dims.get(id) ?? read.get(id);
    },
  };
}
