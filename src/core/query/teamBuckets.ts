import type { Database } from 'sql.js';
import type { Tier, TokenCounts } from '../types';
import { dimText } from '../store/strs';

/**
 * The index's usage summed per (15-minute bucket, source, model, project, branch, tier), without the session: what a
 * machine pushes to the team database (core/team/push.ts). `project` is the index's project key and `displayPath`
 * its display path (the key when none is known), from which the caller derives what is sent.
 * Buckets in [fromMs, toMs), ordered by bucket.
 */
export interface LocalTeamRow extends TokenCounts {
  bucketStartMs: number;
  source: string;
  model: string;
  project: string;
  displayPath: string;
  branch: string;
  tier: Tier;
  firstMs: number;
  lastMs: number;
}

export function loadTeamRows(db: Database, fromMs: number, toMs: number): LocalTeamRow[] {
  // summed per the dims' text ids (schema 13: store/strs.ts), then named, in the order the texts sort in
  const stmt = db.prepare(`
    SELECT g.bucket, g.source, g.model, g.project, COALESCE(p.display_path, g.project), g.branch, g.tier,
      g.input, g.output, g.cw5m, g.cw1h, g.cache_read, g.reasoning, g.web_search, g.requests, g.first_ms, g.last_ms
    FROM (
      SELECT u.bucket, ${dimText('d', 'source')} source, ${dimText('d', 'model')} model, ${dimText('d', 'project')} project,
        ${dimText('d', 'branch')} branch, ${dimText('d', 'tier')} tier,
        sum(u.input) input, sum(u.output) output, sum(u.cw5m) cw5m, sum(u.cw1h) cw1h, sum(u.cache_read) cache_read,
        sum(u.reasoning) reasoning, sum(u.web_search) web_search, sum(u.requests) requests, min(u.first_ms) first_ms,
        max(u.last_ms) last_ms
      FROM usage u JOIN dims d ON d.id = u.dim
      WHERE u.bucket >= ? AND u.bucket < ?
      GROUP BY u.bucket, d.source_id, d.model_id, d.project_id, d.branch_id, d.tier_id
    ) g LEFT JOIN projects p ON p.source = g.source AND p.project = g.project
    ORDER BY g.bucket, g.source, g.model, g.project, g.branch, g.tier`);
  const out: LocalTeamRow[] = [];
  try {
    stmt.bind([fromMs, toMs]);
    while (stmt.step()) {
      const v = stmt.get();
      out.push({
        bucketStartMs: Number(v[0]), source: String(v[1]), model: String(v[2]), project: String(v[3]),
        displayPath: String(v[4]), branch: String(v[5]), tier: String(v[6]) as Tier,
        input: Number(v[7]), output: Number(v[8]), cacheWrite5m: Number(v[9]), cacheWrite1h: Number(v[10]),
        cacheRead: Number(v[11]), reasoning: Number(v[12]), webSearch: Number(v[13]), requests: Number(v[14]),
        firstMs: Number(v[15]), lastMs: Number(v[16]),
      });
    }
  } finally {
    stmt.free();
  }
  return out;
}

/** The oldest and newest bucket of the index's usage (null when it has none). */
export function usageBucketSpan(db: Database): { minMs: number; maxMs: number } | null {
  const v = db.exec('SELECT min(bucket), max(bucket) FROM usage')[0]?.values[0];
  if (!v || v[0] === null) return null;
  return { minMs: Number(v[0]), maxMs: Number(v[1]) };
}

/** The newest entry time in the index's usage (null when it has none). */
export function lastUsageEntryMs(db: Database): number | null {
  const v = db.exec('SELECT max(last_ms) FROM usage WHERE bucket = (SELECT max(bucket) FROM usage)')[0]?.values[0]?.[0];
  return v === undefined || v === null ? null : Number(v);
}
