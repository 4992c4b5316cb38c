/**
 * Claude's 5-hour blocks over the whole history, read from the blocks stored in the index (core/store/claudeBlocks.ts)
 * instead of cut from every fact: equal to `computeBlocks(loadFacts(db, { source: 'claude' }), opts)` without its
 * gap blocks, priced with `opts.prices` and active or not as of `opts.nowMs`.
 */
import type { Database } from 'sql.js';
import type { BlockLike } from '../limits/blockLike';
import { blockLikeFromStored } from '../limits/fromStoredBlock';
import type { PriceTable } from '../pricing/priceTable';
import { BLOCK_MS, finishBlock, type BlockRow } from '../report/blocks';
import { RowAccumulator } from '../report/rows';
import { readStoredClaudeBlocks, storedClaudeBlockAtOrBefore, updateClaudeBlocks, type StoredBlock } from '../store/claudeBlocks';
import { BUCKET_MS, type Fact, type Tier, type TokenCounts } from '../types';

export interface ClaudeBlockQuery {
  prices: PriceTable;
  nowMs: number;
}

/**
 * The stored blocks (every Claude block, no gap blocks, oldest first, as token sums per (model, tier)), brought up to
 * date first (a write: re-cut from the oldest Claude bucket written since). Priced and judged active by the callers.
 */
export function storedClaudeBlocks(db: Database): StoredBlock[] {
  updateClaudeBlocks(db);
  return readStoredClaudeBlocks(db);
}

/** Every Claude block (no gap blocks), oldest first. Brings the stored blocks up to date first (a write). */
export function loadClaudeBlocks(db: Database, q: ClaudeBlockQuery): BlockRow[] {
  return storedClaudeBlocks(db).map((b) => {
    const acc = new RowAccumulator();
    for (const p of b.parts) acc.add(partFact(b.startMs, b.firstMs, b.lastMs, p.model, p.tier, p.tokens));
    return finishBlock(acc, b.startMs, b.firstMs, b.lastMs, BLOCK_MS, q.nowMs, { prices: q.prices, nowMs: q.nowMs });
  });
}

/**
 * Every Claude block in the plan logic's shape (`blockLikeFromRow` of `loadClaudeBlocks`, without the report rows):
 * what the `auto` plan limit's P90 reads; with `sinceMs`, only the blocks starting at or after it. Brings the stored
 * blocks up to date first (a write).
 */
export function loadClaudeBlockLikes(db: Database, q: ClaudeBlockQuery, sinceMs?: number): BlockLike[] {
  updateClaudeBlocks(db);
  return readStoredClaudeBlocks(db, sinceMs).map((b) => blockLikeFromStored(b, q.prices, q.nowMs));
}

/**
 * Where to start cutting Claude's blocks so that the blocks of a recent window are the full history's, without
 * loading the whole history: a 15-minute bucket start ≤ `fromMs` from which blocks cut over the facts of buckets ≥ it
 * equal the full-history blocks from there on. That is the start of the block holding `fromMs`'s bucket (cutting
 * from a block's start gives the same blocks, see core/store/claudeBlocks.ts), or `fromMs`'s bucket itself when no
 * block holds it (the blocks before it have no entry in or after it). Exact however long activity went on without a
 * pause, and never more than 5 h before `fromMs`. Codex usage does not count. Brings the stored blocks up to date
 * first (a write).
 */
export function claudeBlockChainStart(db: Database, fromMs: number): number {
  updateClaudeBlocks(db);
  const from = Math.floor(fromMs / BUCKET_MS) * BUCKET_MS;
  const b = storedClaudeBlockAtOrBefore(db, from);
  return b && Math.floor(b.lastMs / BUCKET_MS) * BUCKET_MS >= from ? b.startMs : from;
}

/** One stored part as a fact of the block (its window's entry times), for `RowAccumulator`. */
function partFact(bucketStartMs: number, firstMs: number, lastMs: number, model: string, tier: Tier, t: TokenCounts): Fact {
  return { ...t, bucketStartMs, firstMs, lastMs, source: 'claude', model, tier, project: '', session: '', branch: '' };
}
