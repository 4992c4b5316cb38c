/**
 * Usage summed by dims over the whole history, as numbers only (dim id, first buckets, token sums; session_totals): what
 * the dashboard's all-time figures read — the filter options, the first day with data, the all-time card — without
 * loading every fact. Token counts are integers, summed exactly. The dims' strings come from `loadDimsAfter`
 * (dims rows are only ever added, so a reader keeps those it has and reads the new ones).
 */
import type { Database } from 'sql.js';
import type { Fact, Source, Tier, TokenCounts } from '../types';
import { readStrsAfter } from '../store/strs';

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

/**
 * The dims rows with an id above `afterId` (all of them for -1), by id. `strs`: the texts of `strs` by id a reader
 * keeps (store/strs.ts); those it lacks are read into it.
 */
export function loadDimsAfter(db: Database, afterId: number, strs: string[] = []): Map<number, Dim> {
  return dimsWhere(db, 'id > ?', [afterId], strs);
}

/** The dims rows with these ids (those that exist). */
export function loadDimsIn(db: Database, ids: readonly number[], strs: string[] = []): Map<number, Dim> {
  const out = new Map<number, Dim>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    for (const [id, d] of dimsWhere(db, `id IN (${part.map(() => '?').join(', ')})`, part, strs)) out.set(id, d);
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

/**
 * The rows as integers and their session (schema 13: the other texts are ids into `strs`), their texts taken from
 * `strs` — first brought up to date (the texts of rows added since: one query, usually of no row), each text one
 * string shared by every row that has it.
 */
function dimsWhere(db: Database, where: string, params: number[], strs: string[]): Map<number, Dim> {
  readStrsAfter(db, strs, strs.length - 1);
  const dims = new Map<number, Dim>();
  const stmt = db.prepare(`SELECT id, source_id, model_id, project_id, session, branch_id, tier_id FROM dims WHERE ${where} ORDER BY id`);
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const v = stmt.get() as number[];
      dims.set(v[0], {
        source: (strs[v[1]] ?? '') as Source, model: strs[v[2]] ?? '', project: strs[v[3]] ?? '', session: String(v[4]),
        branch: strs[v[5]] ?? '', tier: (strs[v[6]] ?? '') as Tier,
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
