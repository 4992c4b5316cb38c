import type { Database } from 'sql.js';
import type { Fact, Source, Tier } from '../types';

/**
 * Every usage fact of the index, the same list as `loadFacts(db)` without a filter (same order: bucket, then dim),
 * read for the dashboard, which keeps all of them in memory. The dims (source, model, project, session, branch,
 * tier) are read once and their strings shared by the facts of that dim: a usage row is read as numbers only, so a
 * year of history (~200k rows over a few thousand dims) is not decoded as six strings per row.
 */
type Dim = Pick<Fact, 'source' | 'model' | 'project' | 'session' | 'branch' | 'tier'>;

function loadDims(db: Database): Map<number, Dim> {
  const dims = new Map<number, Dim>();
  const stmt = db.prepare('SELECT id, source, model, project, session, branch, tier FROM dims');
  try {
    while (stmt.step()) {
      const v = stmt.get();
      dims.set(Number(v[0]), {
        source: v[1] as Source, model: String(v[2]), project: String(v[3]), session: String(v[4]), branch: String(v[5]), tier: v[6] as Tier,
      });
    }
  } finally {
    stmt.free();
  }
  return dims;
}

export function loadAllFacts(db: Database): Fact[] {
  const dims = loadDims(db);
  const stmt = db.prepare(`
    SELECT dim, bucket, first_ms, last_ms, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests
    FROM usage ORDER BY bucket, dim`);
  const out: Fact[] = [];
  try {
    while (stmt.step()) {
      const v = stmt.get();
      const d = dims.get(Number(v[0]));
      if (!d) continue; // a usage row without its dim is left out, as the join in loadFacts leaves it out
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
