import type { Database } from 'sql.js';
import type { Fact, Tier } from '../types';
import { dimText, strIdOf } from '../store/strs';
import { loadAllFacts } from './allFacts';
import type { Dim } from './dimTotals';
import { loadFacts } from './facts';

/**
 * The Claude facts Claude's 5-hour blocks are cut from (store/claudeBlocks.ts): the facts of
 * `loadFacts(db, { source: 'claude', sinceMs })` in the same order (bucket, then dim) and with the same times, model,
 * tier and tokens — all that cutting and summing a block reads.
 * From a bucket on (new usage re-cuts the newest blocks) they are `loadFacts`' (its dims of recent windows are kept per
 * database). The whole history (a new index, an index written without blocks) reads the dims as one row per
 * (model, tier) with its ids, its facts' project, session and branch left '': decoding six strings of every one of a
 * year's ~30k dims rows was most of cutting its blocks.
 */
export function loadClaudeBlockFacts(db: Database, sinceMs?: number): Fact[] {
  if (sinceMs !== undefined) return loadFacts(db, { source: 'claude', sinceMs });
  return loadAllFacts(db, undefined, claudeModelTiers(db));
}

/** Every Claude dims row by id, as (model, tier) only. */
function claudeModelTiers(db: Database): Map<number, Dim> {
  const res = db.exec(`SELECT ${dimText('d', 'model')}, ${dimText('d', 'tier')}, group_concat(id) FROM dims d WHERE source_id = ${strIdOf("'claude'")}
    GROUP BY model_id, tier_id`);
  const out = new Map<number, Dim>();
  for (const [model, tier, ids] of res[0]?.values ?? []) {
    const d: Dim = { source: 'claude', model: String(model), project: '', session: '', branch: '', tier: tier as Tier };
    for (const id of String(ids).split(',')) out.set(Number(id), d);
  }
  return out;
}
