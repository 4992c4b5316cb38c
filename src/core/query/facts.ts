import type { Database } from 'sql.js';
import { RATE_LIMIT_COLS, readRateLimits } from '../store/rateLimits';
import { dimText } from '../store/strs';
import { readCounters, type Counters } from '../store/counters';
import type { Fact, LimitReset, RateLimitSnapshot, Source } from '../types';
import { loadAllFacts } from './allFacts';
import { dimLookup } from './committedDims';
import type { Dim } from './dimTotals';

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

/**
 * The usage facts matching `f`, ordered by bucket, then dim. The usage rows are read as numbers over the primary key's
 * bucket range and joined in JS with the dims rows they reference, each read once per database (committedDims.ts):
 * a join per row in SQL, and six strings decoded per row, were most of the cost of a summary or a report.
 */
export function loadFacts(db: Database, f: FactFilter = {}): Fact[] {
  const dims = dimLookup(db, f.sinceMs);
  // the filter is checked per usage row read (a range holds few), not by copying the ~30k dims of a year per call
  const accept = f.source !== undefined || f.project !== undefined || f.model !== undefined || f.session !== undefined
    ? (d: Dim) => (f.source === undefined || d.source === f.source) && (f.project === undefined || d.project === f.project) &&
      (f.model === undefined || d.model === f.model) && (f.session === undefined || d.session === f.session)
    : undefined;
  return loadAllFacts(db, f.sinceMs, dims, f.untilMs, accept);
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
    FROM (SELECT ${dimText('d', 'source')} source, ${dimText('d', 'project')} project FROM (SELECT DISTINCT source_id, project_id FROM dims) d) d
    LEFT JOIN projects p ON p.source = d.source AND p.project = d.project
    ORDER BY d.source, d.project`);
  return (res[0]?.values ?? []).map(([source, project, displayPath]) => ({ source: source as Source, project: String(project), displayPath: String(displayPath) }));
}

/** The newest Codex rate-limit snapshot across all files, or null. Staleness (resets_at in the past) is the caller's call. */
export function loadLatestRateLimits(db: Database): RateLimitSnapshot | null {
  // one row per bucket of observed_ms (the newest in it), so the newest bucket holds the newest snapshot: read
  // through the primary key instead of sorting every sample (the status summary asks after every change)
  return readRateLimits(db, `SELECT ${RATE_LIMIT_COLS} FROM rate_limits ORDER BY bucket DESC, observed_ms DESC LIMIT 1`)[0] ?? null;
}

/** Rate-limit samples (at most one per 15-minute bucket, the newest in it) observed at or after sinceMs, oldest first. */
export function loadRateLimitSamples(db: Database, sinceMs: number): RateLimitSnapshot[] {
  return readRateLimits(db, `SELECT ${RATE_LIMIT_COLS} FROM rate_limits WHERE observed_ms >= ? ORDER BY observed_ms`, [sinceMs]);
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

