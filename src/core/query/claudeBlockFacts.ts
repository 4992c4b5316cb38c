import type { Database } from 'sql.js';
import type { Fact, Tier } from '../types';
import { loadAllFacts } from './allFacts';
import type { Dim } from './dimTotals';

/**
 * The Claude facts Claude's 5-hour blocks are cut from (store/claudeBlocks.ts): the facts of
 * `loadFacts(db, { source: 'claude', sinceMs })` in the same order (bucket, then dim) and with the same times, model,
 * tier and tokens — all that cutting and summing a block reads; project, session and branch are ''.
 * The dims are read as one row per (model, tier) with its ids, not six strings per dims row: cutting a year's blocks
 * (a new index, an index written without them) decoded every one of ~30k dims rows, most of a second.
 */
export function loadClaudeBlockFacts(db: Database, sinceMs?: number): Fact[] {
  return loadAllFacts(db, sinceMs, claudeModelTiers(db, sinceMs));
}

/** The Claude dims (all, or those the usage rows of buckets ≥ `sinceMs` reference) by id, as (model, tier) only. */
function claudeModelTiers(db: Database, sinceMs?: number): Map<number, Dim> {
  const used = sinceMs === undefined ? '' : ' AND id IN (SELECT DISTINCT dim FROM usage WHERE bucket >= ?)';
  const res = db.exec(`SELECT model, tier, group_concat(id) FROM dims WHERE source = 'claude'${used} GROUP BY model, tier`, sinceMs === undefined ? [] : [sinceMs]);
  const out = new Map<number, Dim>();
  for (const [model, tier, ids] of res[0]?.values ?? []) {
    const d: Dim = { source: 'claude', model: String(model), project: '', session: '', branch: '', tier: tier as Tier };
    for (const id of String(ids).split(',')) out.set(Number(id), d);
  }
  return out;
}
