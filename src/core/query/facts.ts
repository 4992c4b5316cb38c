import type { Database } from 'sql.js';
import { readCounters, type Counters } from '../store/counters';
import type { Fact, LimitReset, RateLimitSnapshot, Source, Tier } from '../types';

/**
 * Read-only queries over the index. Everything reports are computed from: usage facts (15-minute UTC buckets by
 * dims), project display paths, Codex rate-limit samples, Claude limit reset times and the ingest counters.
 */
export interface FactFilter {
  /** bucket start ≥ sinceMs (use a bucket boundary; buckets are 15 minutes, so any real zone offset is exact) */
  sinceMs?: number;
  /** bucket start < untilMs */
  untilMs?: number;
  source?: Source;
  project?: string;
  model?: string;
  session?: string;
}

export function loadFacts(db: Database, f: FactFilter = {}): Fact[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.sinceMs !== undefined) (where.push('u.bucket >= ?'), params.push(f.sinceMs));
  if (f.untilMs !== undefined) (where.push('u.bucket < ?'), params.push(f.untilMs));
  if (f.source !== undefined) (where.push('d.source = ?'), params.push(f.source));
  if (f.project !== undefined) (where.push('d.project = ?'), params.push(f.project));
  if (f.model !== undefined) (where.push('d.model = ?'), params.push(f.model));
  if (f.session !== undefined) (where.push('d.session = ?'), params.push(f.session));
  const stmt = db.prepare(`
    SELECT u.bucket, u.first_ms, u.last_ms, d.source, d.model, d.project, d.session, d.branch, d.tier,
           u.input, u.output, u.cw5m, u.cw1h, u.cache_read, u.reasoning, u.web_search, u.requests
    FROM usage u JOIN dims d ON d.id = u.dim
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY u.bucket, u.dim`);
  const out: Fact[] = [];
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const v = stmt.get();
      out.push({
        bucketStartMs: Number(v[0]),
        firstMs: Number(v[1]),
        lastMs: Number(v[2]),
        source: v[3] as Source,
        model: String(v[4]),
        project: String(v[5]),
        session: String(v[6]),
        branch: String(v[7]),
        tier: v[8] as Tier,
        input: Number(v[9]),
        output: Number(v[10]),
        cacheWrite5m: Number(v[11]),
        cacheWrite1h: Number(v[12]),
        cacheRead: Number(v[13]),
        reasoning: Number(v[14]),
        webSearch: Number(v[15]),
        requests: Number(v[16]),
      });
    }
  } finally {
    stmt.free();
  }
  return out;
}

export interface ProjectInfo {
  source: Source;
  /** the project key used in facts */
  project: string;
  /** Claude: the first cwd seen in the project's files; Codex: the cwd itself */
  displayPath: string;
}

/** Every project that has usage or a known display path (display path = key when none was seen). */
export function loadProjects(db: Database): ProjectInfo[] {
  const res = db.exec(`
    SELECT d.source, d.project, COALESCE(p.display_path, d.project)
    FROM (SELECT DISTINCT source, project FROM dims) d
    LEFT JOIN projects p ON p.source = d.source AND p.project = d.project
    ORDER BY d.source, d.project`);
  return (res[0]?.values ?? []).map(([source, project, displayPath]) => ({ source: source as Source, project: String(project), displayPath: String(displayPath) }));
}

/** The newest Codex rate-limit snapshot across all files, or null. Staleness (resets_at in the past) is the caller's call. */
export function loadLatestRateLimits(db: Database): RateLimitSnapshot | null {
  // one row per bucket of observed_ms (the newest in it), so the newest bucket holds the newest snapshot: read
  // through the primary key instead of sorting every sample (the status summary asks after every change)
  const res = db.exec('SELECT snapshot FROM rate_limits ORDER BY bucket DESC, observed_ms DESC LIMIT 1');
  const s = res[0]?.values[0]?.[0];
  return typeof s === 'string' ? parseSnapshot(s) : null;
}

/** Rate-limit samples (at most one per 15-minute bucket, the newest in it) observed at or after sinceMs, oldest first. */
export function loadRateLimitSamples(db: Database, sinceMs: number): RateLimitSnapshot[] {
  const res = db.exec('SELECT snapshot FROM rate_limits WHERE observed_ms >= ? ORDER BY observed_ms', [sinceMs]);
  return (res[0]?.values ?? []).map((r) => parseSnapshot(String(r[0]))).filter((s): s is RateLimitSnapshot => s !== null);
}

export type { LimitReset } from '../types';

/** Claude "usage limit reached|<epoch>" reset times observed at or after sinceMs, oldest first. */
export function loadLimitResets(db: Database, sinceMs: number): LimitReset[] {
  const res = db.exec('SELECT reset_ms, observed_ms FROM limit_resets WHERE observed_ms >= ? ORDER BY observed_ms', [sinceMs]);
  return (res[0]?.values ?? []).map(([r, o]) => ({ resetMs: Number(r), observedMs: Number(o) }));
}

/** Lifetime ingest counters: malformed lines skipped, duplicate copies skipped, Codex events priced as the fallback model. */
export function loadCounters(db: Database): Counters {
  return readCounters(db);
}

function parseSnapshot(s: string): RateLimitSnapshot | null {
  try {
    return JSON.parse(s) as RateLimitSnapshot;
  } catch {
    return null;
  }
}
