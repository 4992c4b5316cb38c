/**
 * Usage summed by dims over the whole history, as numbers only (dim id, first buckets, token sums; session_totals): what
 * the dashboard's all-time figures read — the filter options, the first day with data, the all-time card — without
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
 * Every dim with usage and its sums, by dim id: the rows of session_totals, the aggregate kept per dims row in the
 * usage flush (store/aggregates.ts), so a reader reads one row per dim instead of scanning every usage row.
 */
export function loadDimTotals(db: Database): DimTotal[] {
  const stmt = db.prepare(`SELECT ${DIM_TOTAL_COLUMNS} FROM session_totals ORDER BY dim`);
  const out: DimTotal[] = [];
  try {
    while (stmt.step()) out.push(dimTotalOf(stmt.get() as (number | null)[]));
  } finally {
    stmt.free();
  }
  return out;
}

/** The columns of session_totals a `DimTotal` is read from (`dimTotalOf`). */
export const DIM_TOTAL_COLUMNS = 'dim, first_bucket, first_billed, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests';

export function dimTotalOf(v: readonly (number | null)[]): DimTotal {
  return {
    dim: v[0]!, firstBucketMs: v[1]!, firstBilledBucketMs: v[2], input: v[3]!, output: v[4]!, cacheWrite5m: v[5]!, cacheWrite1h: v[6]!,
    cacheRead: v[7]!, reasoning: v[8]!, webSearch: v[9]!, requests: v[10]!,
  };
}

/** The dims rows with an id above `afterId` (all of them for -1), by id. */
export function loadDimsAfter(db: Database, afterId: number): Map<number, Dim> {
  return dimsWhere(db, 'id > ?', [afterId]);
}

/** The dims rows with these ids (those that exist). */
export function loadDimsIn(db: Database, ids: readonly number[]): Map<number, Dim> {
  const out = new Map<number, Dim>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    for (const [id, d] of dimsWhere(db, `id IN (${part.map(() => '?').join(', ')})`, part)) out.set(id, d);
  }
  return out;
}

/** The distinct dims ids of the usage rows of buckets in [sinceMs, untilMs). */
export function usageDimIds(db: Database, sinceMs: number, untilMs: number): number[] {
  const where: string[] = [];
  const params: number[] = [];
  if (Number.isFinite(sinceMs)) {
    where.push('bucket >= ?');
    params.push(sinceMs);
  }
  if (Number.isFinite(untilMs)) {
    where.push('bucket < ?');
    params.push(untilMs);
  }
  const res = db.exec(`SELECT DISTINCT dim FROM usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params);
  return (res[0]?.values ?? []).map((r) => Number(r[0]));
}

function dimsWhere(db: Database, where: string, params: number[]): Map<number, Dim> {
  const dims = new Map<number, Dim>();
  const stmt = db.prepare(`SELECT id, source, model, project, session, branch, tier FROM dims WHERE ${where} ORDER BY id`);
  try {
    stmt.bind(params);
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
