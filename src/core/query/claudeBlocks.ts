/**
 * Claude's 5-hour blocks over the whole history, read from the blocks stored in the index (core/store/claudeBlocks.ts)
 * instead of cut from every fact: equal to `computeBlocks(loadFacts(db, { source: 'claude' }), opts)` without its
 * gap blocks, priced with `opts.prices` and active or not as of `opts.nowMs`.
 */
import type { Database } from 'sql.js';
import type { PriceTable } from '../pricing/priceTable';
import { BLOCK_MS, finishBlock, type BlockRow } from '../report/blocks';
import { RowAccumulator } from '../report/rows';
import { readStoredClaudeBlocks, storedClaudeBlockStartAtOrBefore, updateClaudeBlocks } from '../store/claudeBlocks';
import type { Fact, Tier, TokenCounts } from '../types';

export interface ClaudeBlockQuery {
  prices: PriceTable;
  nowMs: number;
}

/** Every Claude block (no gap blocks), oldest first. Brings the stored blocks up to date first (a write). */
export function loadClaudeBlocks(db: Database, q: ClaudeBlockQuery): BlockRow[] {
  updateClaudeBlocks(db);
  return readStoredClaudeBlocks(db).map((b) => {
    const acc = new RowAccumulator();
    for (const p of b.parts) acc.add(partFact(b.startMs, b.firstMs, b.lastMs, p.model, p.tier, p.tokens));
    return finishBlock(acc, b.startMs, b.firstMs, b.lastMs, BLOCK_MS, q.nowMs, { prices: q.prices, nowMs: q.nowMs });
  });
}

/**
 * A 15-minute bucket start ≤ `fromMs` from which Claude blocks cut over the facts of buckets ≥ it equal the
 * full-history blocks: the start of the block that holds `fromMs` or the last one before it (a block's start is
 * such a point, see core/store/claudeBlocks.ts), or `fromMs`'s bucket when no block starts at or before it (all
 * Claude usage is later). Exact however long activity went on without a pause. Brings the stored blocks up to
 * date first (a write).
 */
export function claudeBlockChainStartStored(db: Database, fromMs: number): number {
  updateClaudeBlocks(db);
  const from = Math.floor(fromMs / 900_000) * 900_000;
  return storedClaudeBlockStartAtOrBefore(db, from) ?? from;
}

/** One stored part as a fact of the block (its window's entry times), for `RowAccumulator`. */
function partFact(bucketStartMs: number, firstMs: number, lastMs: number, model: string, tier: Tier, t: TokenCounts): Fact {
  return { ...t, bucketStartMs, firstMs, lastMs, source: 'claude', model, tier, project: '', session: '', branch: '' };
}
