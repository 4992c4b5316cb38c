import type { BlockLike } from './blockLike';
import type { PlanLimit } from './plans';
import type { LimitReset } from '../types';

/**
 * Forecast of the current Claude 5-hour block against the plan limit.
 * - Burn rate (ccusage): block tokens per minute and cost per hour over the block's active span, first entry to
 *   last entry; no rate when that span is under one minute.
 * - Projection: current totals + rate × time left until the block resets.
 * - Reset: `endMs` of the block, unless Claude Code wrote "usage limit reached|<epoch>" into an API-error line
 *   during the block; that real reset time overrides the block end (and means the limit was reached).
 * - Time until the limit: (limit − used) / rate, for tokens and cost, whichever comes first.
 */
export type { LimitReset } from '../types';

export interface BlockForecast {
  tokens: number;
  costUsd: number | null;
  requests: number;
  /** null when the active span is under a minute */
  tokensPerMinute: number | null;
  costPerHour: number | null;
  resetsAtMs: number;
  resetSource: 'block' | 'api-error';
  msToReset: number;
  projectedTokens: number;
  projectedCostUsd: number | null;
  /** used / limit, the larger of the token and cost fractions; null when no limit is known */
  usedFraction: number | null;
  projectedFraction: number | null;
  /** ms until the limit is reached at the current rate; 0 when already reached; null when not reached before reset or unknown */
  msToLimit: number | null;
  /** the projection reaches the limit before the block resets (or it is already reached) */
  crossesLimit: boolean;
  /** an API error said the limit was reached, or used ≥ limit */
  limitReached: boolean;
}

const MIN_SPAN_MS = 60_000;

/** The newest reset announced by an API-error line written during the block (observed in [startMs, endMs]). */
export function resetForBlock(block: BlockLike, resets: readonly LimitReset[]): LimitReset | null {
  let best: LimitReset | null = null;
  for (const r of resets) {
    if (!Number.isFinite(r.resetMs) || !Number.isFinite(r.observedMs)) continue;
    if (r.observedMs < block.startMs || r.observedMs > block.endMs || r.resetMs <= r.observedMs) continue;
    if (!best || r.observedMs > best.observedMs) best = r;
  }
  return best;
}

function fraction(used: number | null, limit: number | null): number | null {
  return used === null || limit === null || limit <= 0 ? null : used / limit;
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** ms to go from `used` to `limit` at `perMs`; 0 when reached, null when never (no rate). */
function timeTo(used: number | null, limit: number | null, perMs: number | null): number | null {
  if (used === null || limit === null) return null;
  if (used >= limit) return 0;
  if (perMs === null || perMs <= 0) return null;
  return (limit - used) / perMs;
}

export function forecastBlock(
  block: BlockLike,
  limit: PlanLimit,
  nowMs: number,
  resets: readonly LimitReset[] = [],
): BlockForecast {
  const apiReset = resetForBlock(block, resets);
  const resetsAtMs = apiReset ? apiReset.resetMs : block.endMs;
  const msToReset = Math.max(0, resetsAtMs - nowMs);
  const spanStart = block.firstMs ?? block.startMs;
  const span = block.actualEndMs === null ? 0 : block.actualEndMs - spanStart;
  const tokPerMs = span >= MIN_SPAN_MS ? block.tokens / span : null;
  const costPerMs = span >= MIN_SPAN_MS && block.costUsd !== null ? block.costUsd / span : null;
  // only an active block keeps burning; a finished one is projected at its final totals
  const burning = block.isActive && !apiReset;
  const projectedTokens = block.tokens + (burning && tokPerMs !== null ? tokPerMs * msToReset : 0);
  const projectedCostUsd =
    block.costUsd === null ? null : block.costUsd + (burning && costPerMs !== null ? costPerMs * msToReset : 0);

  const usedFraction = maxOf(fraction(block.tokens, limit.tokens), fraction(block.costUsd, limit.costUsd));
  const projectedFraction = maxOf(fraction(projectedTokens, limit.tokens), fraction(projectedCostUsd, limit.costUsd));
  const tTok = timeTo(block.tokens, limit.tokens, burning ? tokPerMs : null);
  const tCost = timeTo(block.costUsd, limit.costUsd, burning ? costPerMs : null);
  let msToLimit = tTok === null ? tCost : tCost === null ? tTok : Math.min(tTok, tCost);
  if (msToLimit !== null && msToLimit > msToReset) msToLimit = null;
  const limitReached = apiReset !== null || (usedFraction !== null && usedFraction >= 1);
  return {
    tokens: block.tokens,
    costUsd: block.costUsd,
    requests: block.requests,
    tokensPerMinute: tokPerMs === null ? null : tokPerMs * 60_000,
    costPerHour: costPerMs === null ? null : costPerMs * 3_600_000,
    resetsAtMs,
    resetSource: apiReset ? 'api-error' : 'block',
    msToReset,
    projectedTokens,
    projectedCostUsd,
    usedFraction,
    projectedFraction,
    msToLimit: limitReached ? 0 : msToLimit,
    crossesLimit: limitReached || (projectedFraction !== null && projectedFraction >= 1),
    limitReached,
  };
}
