import type { Database } from 'sql.js';
import type { Fact, Source, Tier } from '../types';
import { inTransaction } from './inTransaction';

/**
 * The facts of a recent window — what the status bar's summary reads after every change (this month, this week and
 * the Claude block chain) — the same list as `loadFacts(db, { sinceMs })` (same facts, same order: bucket, then dim,
 * so every sum adds in the same order), at a fraction of its cost. The usage rows are read as numbers only, over
 * the `(bucket, dim)` primary key's range, without joining `dims` per row (that join was most of the cost); each
 * dim's (source, model, project, session, branch, tier) is read once and kept for the next summaries.
 *
 * Kept dims stay right because a committed dim never changes: the store only inserts dims (store/dims.ts), never
 * updates or deletes one, so a committed id always names the same tuple. A dim read while a transaction is open (a
 * refresh's batch summary reads before its COMMIT) is used but not kept, since the transaction may still roll back
 * and its id be given to another tuple. As a cheap safety net, a table seen with a smaller largest id than one kept
 * drops every kept dim.
 */
type Dim = Pick<Fact, 'source' | 'model' | 'project' | 'session' | 'branch' | 'tier'>;

interface KeptDims {
  byId: Map<number, Dim>;
  maxId: number;
}

const kept = new WeakMap<Database, KeptDims>();

/** Dims looked up per statement (well under SQLite's bound-parameter limit). */
const DIM_CHUNK = 500;

export function loadRecentFacts(db: Database, sinceMs: number): Fact[] {
  const res = db.exec(
    `SELECT dim, bucket, first_ms, last_ms, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests
     FROM usage WHERE bucket >= ? ORDER BY bucket, dim`,
    [sinceMs],
  );
  const rows = res[0]?.values ?? [];
  const dims = dimsOf(db, rows);
  const out: Fact[] = [];
  for (const v of rows) {
    const d = dims.get(Number(v[0]));
    if (!d) continue; // a usage row without its dim is left out, as the join in loadFacts leaves it out
    out.push({
      bucketStartMs: Number(v[1]), firstMs: Number(v[2]), lastMs: Number(v[3]),
      source: d.source, model: d.model, project: d.project, session: d.session, branch: d.branch, tier: d.tier,
      input: Number(v[4]), output: Number(v[5]), cacheWrite5m: Number(v[6]), cacheWrite1h: Number(v[7]),
      cacheRead: Number(v[8]), reasoning: Number(v[9]), webSearch: Number(v[10]), requests: Number(v[11]),
    });
  }
  return out;
}

/** The dims of `rows` (first column: dim id): the kept ones, plus the others read now (and kept when committed). */
function dimsOf(db: Database, rows: readonly unknown[][]): Map<number, Dim> {
  let k = kept.get(db);
  if (k && maxDimId(db) < k.maxId) k = undefined; // the table shrank: nothing kept can be trusted
  if (!k) {
    k = { byId: new Map(), maxId: 0 };
    kept.set(db, k);
  }
  const missing = new Set<number>();
  for (const v of rows) {
    const id = Number(v[0]);
    if (!k.byId.has(id)) missing.add(id);
  }
  if (missing.size === 0) return k.byId;
  const read = readDims(db, [...missing]);
  if (!inTransaction(db)) {
    for (const [id, d] of read) {
      k.byId.set(id, d);
      if (id > k.maxId) k.maxId = id;
    }
    return k.byId;
  }
  const all = new Map(k.byId);
  for (const [id, d] of read) all.set(id, d);
  return all;
}

function readDims(db: Database, ids: readonly number[]): Map<number, Dim> {
  const out = new Map<number, Dim>();
  for (let i = 0; i < ids.length; i += DIM_CHUNK) {
    const chunk = ids.slice(i, i + DIM_CHUNK);
    const res = db.exec(
      `SELECT id, source, model, project, session, branch, tier FROM dims WHERE id IN (${chunk.map(() => '?').join(',')})`,
      chunk,
    );
    for (const v of res[0]?.values ?? []) {
      out.set(Number(v[0]), {
        source: v[1] as Source, model: String(v[2]), project: String(v[3]), session: String(v[4]), branch: String(v[5]), tier: v[6] as Tier,
      });
    }
  }
  return out;
}

function maxDimId(db: Database): number {
  return Number(db.exec('SELECT COALESCE(MAX(id), 0) FROM dims')[0]?.values[0]?.[0] ?? 0);
}
