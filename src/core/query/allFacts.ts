import type { Database } from 'sql.js';
import type { Fact } from '../types';
import { loadDimsAfter, type Dim } from './dimTotals';
import type { DimLookup } from './committedDims';

/**
 * Usage facts of the index in the order bucket, then dim (the scan behind `loadFacts`, facts.ts). The dims (source, model, project, session, branch,
 * tier) are read once and their strings shared by the facts of that dim: a usage row is read as numbers only, so a
 * year of history (~200k rows over a few thousand dims) is not decoded as six strings per row.
 * `sinceMs` / `untilMs`: only the facts whose bucket starts in [sinceMs, untilMs) (an index range scan of `usage`'s
 * primary key), the same facts in the same order as the full list there. `dims`: the dims rows by id whose facts are
 * wanted (every one by default; `loadFacts` passes the cache of committedDims.ts); `accept`: which dims' facts are
 * wanted among those (loadFacts' filter). `ids`: given, receives each fact's dims id (same index).
 */
export function loadAllFacts(
  db: Database, sinceMs?: number, dims: DimLookup = loadDimsAfter(db, -1), untilMs?: number, accept?: (d: Dim) => boolean,
  ids?: number[], onlyDims?: readonly number[],
): Fact[] {
  const where: string[] = [];
  const params: number[] = [];
  if (sinceMs !== undefined) {
    where.push('bucket >= ?');
    params.push(sinceMs);
  }
  if (untilMs !== undefined) {
    where.push('bucket < ?');
    params.push(untilMs);
  }
  if (onlyDims) where.push(`dim IN (${onlyDims.map((d) => Math.trunc(d)).join(', ')})`);
  const stmt = db.prepare(`
    SELECT dim, bucket, first_ms, last_ms, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests
    FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY bucket, dim`);
  const out: Fact[] = [];
  try {
    if (params.length) stmt.bind(params);
    while (stmt.step()) {
      const v = stmt.get();
      const d = dims.get(Number(v[0]));
      if (!d || (accept && !accept(d))) continue; // a usage row without its dim is left out, as a join would
      ids?.push(Number(v[0]));
      // the Fact's own property order (as loadFacts builds it), so every fact has one shape
      out.push({
        bucketStartMs: Number(v[1]), firstMs: Number(v[2]), lastMs: Number(v[3]),
        source: d.source, model: d.model, project: d.project, session: d.session, branch: d.branch, tier: d.tier,
        input: Number(v[4]), output: Number(v[5]), cacheWrite5m: Number(v[6]), cacheWrite1h: Number(v[7]),
        cacheRead: Number(v[8]), reasoning: Number(v[9]), webSearch: Number(v[10]), requests: Number(v[11]),
      });
    }
  } finally {
    stmt.free();
  }
  return out;
}
