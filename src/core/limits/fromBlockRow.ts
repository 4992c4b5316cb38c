import type { BlockRow } from '../report/blocks';
import { planTokens, type BlockLike } from './blockLike';

/**
 * Maps a block from `computeBlocks` (report/blocks.ts) to the shape the plan logic uses. Plan limits are Claude
 * limits: compute the blocks from Claude facts only. Tokens counted against the plan are input + output
 * (`planTokens`); the first entry time starts the burn-rate span.
 */
export function blockLikeFromRow(row: BlockRow): BlockLike {
  return {
    startMs: row.startMs,
    endMs: row.endMs,
    firstMs: row.firstMs > 0 ? row.firstMs : row.startMs,
    actualEndMs: row.actualEndMs,
    isGap: row.isGap,
    isActive: row.isActive,
    tokens: planTokens({ input: row.inputTokens, output: row.outputTokens }),
    costUsd: row.costUSD,
    requests: row.requests,
  };
}
