/**
 * The writer's idle re-write events (store/idleGaps.ts `loadIdleGaps`), kept in memory across snapshots and data
 * changes as query/keptSessionFacts.ts keeps the facts per dims row: every stored row of idle_gaps (grp 0–3) read
 * once, then only the rows of the dims rows whose usage changed since (`dimsChangedSince`: the sessions
 * `updateIdleGaps` computed again) read again and merged in. At all time a year holds ~20k event rows: an all-time
 * snapshot read them with one statement and a new object per row and field (~30–80 ms), now it filters the kept
 * rows. Each row's fact is made once (a dims row's strings never change), and the events of a range and filter are
 * kept until a row changes — the same objects, so what callers derive from them can be kept too (the dashboard's
 * prices of them). The same events in the same order as `loadIdleGaps` (idleGaps test). Nothing is kept from inside
 * an open transaction (it may roll back).
 */
import type { Database } from 'sql.js';
import type { SessionIdleGaps } from '../limits/cacheEconomics';
import type { Dim } from '../query/dimTotals';
import { inTransaction } from '../query/inTransaction';
import type { Fact } from '../types';
import { byBucketThenDim, dimsChangedSince, idleFactOf, idleGapsOfRows, idleMarksCursor, loadIdleGaps, type GapRow, type IdleGapFilter } from './idleGaps';

/** More changed dims rows than this: every row read again. */
const MAX_CHANGED = 2000;
/** Ranges and filters whose events are kept per database. */
const MAX_RESULTS = 8;

interface Kept {
  cursor: number;
  /**
   * rows per grp (0: all models, 1: per model, 2 and 3: their unordered sessions' marks), in `byBucketThenDim` order;
   * a group not read yet: undefined (grp and grp + 2 are read together)
   */
  byGrp: (GapRow[] | undefined)[];
  /** the events per range and filter since the last row changed */
  results: Map<string, SessionIdleGaps[] | null>;
}
const kept = new WeakMap<Database, Kept>();
/** each kept row's fact, made once */
const facts = new WeakMap<GapRow, Fact>();

function keptFactOf(v: GapRow, d: Dim): Fact {
  let f = facts.get(v);
  if (!f) {
    f = idleFactOf(v, d);
    facts.set(v, f);
  }
  return f;
}

/**
 * The rows of idle_gaps of the groups `grps` (of the dims rows `only` when given), per grp, each in `byBucketThenDim`
 * order (a group not asked for: undefined).
 */
function readRows(db: Database, grps: readonly number[], only?: readonly number[]): (GapRow[] | undefined)[] {
  const byGrp: (GapRow[] | undefined)[] = [];
  for (const g of grps) byGrp[g] = [];
  const where = only ? ` AND dim IN (${only.map(Number).join(',')})` : '';
  const st = db.prepare(`SELECT dim, grp, bucket, prev, gap, w5, w1 FROM idle_gaps WHERE grp IN (${grps.map(Number).join(',')})${where} ORDER BY grp, bucket, dim`);
  try {
    while (st.step()) {
      const v = st.get() as number[];
      const row: GapRow = [Number(v[0]), Number(v[1]), Number(v[2]), Number(v[3]), Number(v[4]), Number(v[5]), Number(v[6])];
      byGrp[row[1]]!.push(row);
    }
  } finally {
    st.free();
  }
  return byGrp;
}

/** `old` without the rows of `changed`, with `fresh` merged in (both in `byBucketThenDim` order). */
function merged(old: readonly GapRow[], changed: ReadonlySet<number>, fresh: readonly GapRow[]): GapRow[] {
  const out: GapRow[] = [];
  let j = 0;
  for (const r of old) {
    if (changed.has(r[0])) continue;
    while (j < fresh.length && byBucketThenDim(fresh[j], r) < 0) out.push(fresh[j++]);
    out.push(r);
  }
  for (; j < fresh.length; j++) out.push(fresh[j]);
  return out;
}

/**
 * `loadIdleGaps(db, sinceMs, untilMs, filter, dims)` of the writer (after `updateIdleGaps`: no rows pending), from
 * the kept rows. The same array while no row changed.
 */
export function keptIdleGaps(db: Database, sinceMs: number, untilMs: number, filter: IdleGapFilter, dims: ReadonlyMap<number, Dim>): SessionIdleGaps[] | null {
  if (inTransaction(db)) {
    kept.delete(db);
    return loadIdleGaps(db, sinceMs, untilMs, filter, dims);
  }
  let k = kept.get(db);
  const changed = k ? dimsChangedSince(db, k.cursor) : null;
  if (!k || !changed || changed.size > MAX_CHANGED) {
    k = { cursor: idleMarksCursor(db), byGrp: [], results: new Map() };
    kept.set(db, k);
  } else if (changed.size > 0) {
    const loaded = [0, 1, 2, 3].filter((g) => k!.byGrp[g]);
    if (loaded.length > 0) {
      const fresh = readRows(db, loaded, [...changed]);
      for (const g of loaded) k.byGrp[g] = merged(k.byGrp[g]!, changed, fresh[g]!);
    }
    k.cursor = idleMarksCursor(db);
    k.results.clear();
  }
  const key = `${sinceMs}/${untilMs}/${filter.source}/${filter.model ?? ''}`;
  if (k.results.has(key)) return k.results.get(key)!;
  const grp = filter.model === null ? 0 : 1;
  // a group is read when first asked for (a snapshot under a model filter reads the per-model rows)
  if (!k.byGrp[grp]) {
    const read = readRows(db, [grp, grp + 2]);
    k.byGrp[grp] = read[grp];
    k.byGrp[grp + 2] = read[grp + 2];
  }
  const rows = k.byGrp[grp]!.filter((r) => r[2] < untilMs && r[3] >= sinceMs);
  const events = idleGapsOfRows(rows, k.byGrp[grp + 2]!, filter, dims, keptFactOf);
  if (k.results.size >= MAX_RESULTS) k.results.delete(k.results.keys().next().value!);
  k.results.set(key, events);
  return events;
}

/** Drops what is kept for `db` (a reader's copy reads the rows with those computed again in memory). */
export function forgetKeptIdleGaps(db: Database): void {
  kept.delete(db);
}
