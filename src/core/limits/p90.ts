import type { BlockLike } from './blockLike';

/**
 * The `auto` plan limit, Claude-Code-Usage-Monitor's method (`core/p90_calculator.py`):
 *  1. take completed blocks (not gap, not active, tokens > 0) that reached ≥ 95 % of a known limit
 *     (19k, 88k, 220k, 880k tokens — or ≥ 95 % of a known cost limit $18/$35/$140);
 *  2. if there are none, take all completed blocks;
 *  3. the limit is the 90th percentile of their totals (Python `statistics.quantiles(n=10)[8]`, exclusive
 *     method, see `quantileExclusive`), never below 19,000 tokens (CCUM's minimum).
 * The cost limit is the P90 of the same blocks' costs (priced blocks only).
 */
export type P90Method = 'p90-near-limit' | 'p90-all';

export const COMMON_TOKEN_LIMITS: readonly number[] = [19_000, 88_000, 220_000, 880_000];
export const COMMON_COST_LIMITS: readonly number[] = [18, 35, 140];
export const NEAR_LIMIT_FRACTION = 0.95;
export const MIN_TOKEN_LIMIT = 19_000;

export interface P90Result {
  tokens: number | null;
  costUsd: number | null;
  method: P90Method | 'none';
  blocksUsed: number;
}

/**
 * Cut point `i` of `n` equal groups, exactly as Python's `statistics.quantiles(data, n=n, method='exclusive')[i-1]`
 * (so P90 is i = 9, n = 10). With few values this interpolates linearly between neighbours at position i·(len+1)/n
 * and, like Python, extrapolates past the largest value when that position is beyond it (the sample is treated as
 * a sample: the true maximum may be higher). Null for no data.
 */
export function quantileExclusive(values: readonly number[], i: number, n: number): number | null {
  const data = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const ld = data.length;
  if (ld === 0) return null;
  if (ld === 1) return data[0];
  const m = ld + 1;
  let j = Math.floor((i * m) / n);
  j = j < 1 ? 1 : Math.min(j, ld - 1);
  const delta = i * m - j * n;
  return (data[j - 1] * (n - delta) + data[j] * delta) / n;
}

function nearLimit(b: BlockLike): boolean {
  if (COMMON_TOKEN_LIMITS.some((l) => b.tokens >= l * NEAR_LIMIT_FRACTION)) return true;
  const c = b.costUsd;
  return c !== null && COMMON_COST_LIMITS.some((l) => c >= l * NEAR_LIMIT_FRACTION);
}

export function p90BlockLimit(blocks: readonly BlockLike[]): P90Result {
  const completed = blocks.filter((b) => !b.isGap && !b.isActive && b.tokens > 0);
  const near = completed.filter(nearLimit);
  const used = near.length > 0 ? near : completed;
  if (used.length === 0) return { tokens: null, costUsd: null, method: 'none', blocksUsed: 0 };
  const method: P90Method = near.length > 0 ? 'p90-near-limit' : 'p90-all';
  const t = quantileExclusive(used.map((b) => b.tokens), 9, 10);
  const costs = used.map((b) => b.costUsd).filter((c): c is number => c !== null);
  const c = quantileExclusive(costs, 9, 10);
  return {
    tokens: t === null ? null : Math.max(Math.floor(t), MIN_TOKEN_LIMIT),
    costUsd: c,
    method,
    blocksUsed: used.length,
  };
}
