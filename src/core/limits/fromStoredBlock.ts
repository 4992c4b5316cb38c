import { costOf } from '../pricing/costOf';
import type { PriceTable } from '../pricing/priceTable';
import { BLOCK_MS } from '../report/blocks';
import type { StoredBlock } from '../store/claudeBlocks';
import { planTokens, type BlockLike } from './blockLike';

/**
 * A stored Claude block (core/store/claudeBlocks.ts) in the shape the plan logic uses, priced with `prices` and
 * active or not as of `nowMs`: equal to `blockLikeFromRow` of the same block cut from the facts (fromBlockRow.ts),
 * without building its report row. The cost adds the priced parts in their stored order, as `RowAccumulator.toRow`
 * does (same sum to the last bit), and is null when any part is unpriced.
 */
export function blockLikeFromStored(b: StoredBlock, prices: PriceTable, nowMs: number): BlockLike {
  let input = 0;
  let output = 0;
  let requests = 0;
  let cost = 0;
  let unpriced = false;
  for (const p of b.parts) {
    input += p.tokens.input;
    output += p.tokens.output;
    requests += p.tokens.requests;
    const c = costOf(p.tokens, p.model, p.tier, prices);
    if (c === null) unpriced = true;
    else cost += c;
  }
  return settledBlockLike(b.startMs, b.firstMs > 0 ? b.firstMs : b.startMs, b.lastMs, planTokens({ input, output }), unpriced ? null : cost, requests, nowMs);
}

/**
 * A stored (never gap) block from its figures, active or not as of `nowMs` — the one place its shape is made, for
 * blocks read from the stored parts and for those kept priced in the file (blockLikesFlat.ts).
 */
export function settledBlockLike(startMs: number, firstMs: number, lastMs: number, tokens: number, costUsd: number | null, requests: number, nowMs: number): BlockLike {
  const endMs = startMs + BLOCK_MS;
  return {
    startMs,
    endMs,
    firstMs,
    actualEndMs: lastMs,
    isGap: false,
    isActive: nowMs - lastMs < BLOCK_MS && nowMs < endMs,
    tokens,
    costUsd,
    requests,
  };
}
