import type { Database } from 'sql.js';
import type { Fact } from '../types';
import { loadAllFacts } from './allFacts';
import { committedDims } from './committedDims';

/**
 * The facts of a recent window — what the status bar's summary reads after every change (this month, this week and
 * the Claude block chain) — the same list as `loadFacts(db, { sinceMs })` (same facts, same order: bucket, then dim,
 * so every sum adds in the same order), at a fraction of its cost. The usage rows are read as numbers only, over
 * the `(bucket, dim)` primary key's range, without joining `dims` per row (that join was most of the cost); each
 * dim's (source, model, project, session, branch, tier) is read once and kept for the next summaries.
 *
 * The dims come from the one per-database cache (committedDims.ts).
 */
export function loadRecentFacts(db: Database, sinceMs: number): Fact[] {
  return loadAllFacts(db, sinceMs, committedDims(db));
}
