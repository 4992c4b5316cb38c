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
  const endMs = b.startMs + BLOCK_MS;
  return {
    startMs: b.startMs,
    endMs,
    firstMs: b.firstMs > 0 ? b.firstMs : b.startMs,
    actualEndMs: b.lastMs,
    isGap: false,
    isActive: nowMs - b.lastMs < BLOCK_MS && nowMs < endMs,
    tokens: planTokens({ input, output }),
    costUsd: unpriced ? null : cost,
    requests,
  };
}
