/**
 * Usage summed by dims over the whole history, as numbers only (dim id, first buckets, token sums): what the
 * dashboard's all-time figures read — the filter options, the first day with data, the all-time card — without
 * loading every fact. Token counts are integers, summed exactly. The dims' strings come from `loadDimsAfter`
 * (dims rows are only ever added, so a reader keeps those it has and reads the new ones).
 */
import type { Database } from 'sql.js';
import type { Fact, Source, Tier, TokenCounts } from '../types';

export type Dim = Pick<Fact, 'source' | 'model' | 'project' | 'session' | 'branch' | 'tier'>;

export interface DimTotal extends TokenCounts {
  dim: number;
  /** the dim's earliest bucket start */
  firstBucketMs: number;
  /** the earliest bucket start with billed tokens (input, output, cache writes or reads), null when none */
  firstBilledBucketMs: number | null;
}

/**
 * Every dim with usage and its sums, by dim id. The rows are summed here over one scan of `usage` read as numbers:
 * SQLite's `GROUP BY dim` sorts the whole table first (there is no index by dim) and took 2–3× as long on a year's
 * index; integer sums, minimums and the order by dim are the same.
 */
export function loadDimTotals(db: Database): DimTotal[] {
  const stmt = db.prepare('SELECT dim, bucket, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests FROM usage');
  const byDim = new Map<number, DimTotal>();
  try {
    while (stmt.step()) {
      const v = stmt.get() as number[];
      const bucket = v[1]!;
      let t = byDim.get(v[0]!);
      if (!t) {
        t = { dim: v[0]!, firstBucketMs: bucket, firstBilledBucketMs: null, input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0 };
        byDim.set(v[0]!, t);
      }
      if (bucket < t.firstBucketMs) t.firstBucketMs = bucket;
      if (v[2]! + v[3]! + v[4]! + v[5]! + v[6]! > 0 && (t.firstBilledBucketMs === null || bucket < t.firstBilledBucketMs)) t.firstBilledBucketMs = bucket;
      t.input += v[2]!;
      t.output += v[3]!;
      t.cacheWrite5m += v[4]!;
      t.cacheWrite1h += v[5]!;
      t.cacheRead += v[6]!;
      t.reasoning += v[7]!;
      t.webSearch += v[8]!;
      t.requests += v[9]!;
    }
  } finally {
    stmt.free();
  }
  return [...byDim.values()].sort((a, b) => a.dim - b.dim);
}

/** The dims rows with an id above `afterId` (all of them for -1), by id. */
export function loadDimsAfter(db: Database, afterId: number): Map<number, Dim> {
  const dims = new Map<number, Dim>();
  const stmt = db.prepare('SELECT id, source, model, project, session, branch, tier FROM dims WHERE id > ? ORDER BY id');
  try {
    stmt.bind([afterId]);
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

/** The largest dims id (0 when there is none). */
export function loadMaxDimId(db: Database): number {
  return Number(db.exec('SELECT COALESCE(MAX(id), 0) FROM dims')[0]?.values[0]?.[0] ?? 0);
}
