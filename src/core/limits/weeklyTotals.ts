import type { Fact } from '../types';
import type { BlockLike } from './blockLike';
import { planTokens } from './blockLike';
import { periodAt, previousPeriod, type Period, type PeriodOptions } from './periods';
import { addFactSpend, emptySpend, type CostOf } from './spend';

/**
 * Totals of the last `count` local weeks (week start from `weekStart`, in the user's zone), oldest first, the
 * current week last. Tokens are input + output (what counts against Claude plan limits); cost is the priced part,
 * unpriced tokens are reported apart. A fact belongs to the week its 15-minute bucket starts in; a 5-hour block
 * to the week its start falls in (gap blocks are not counted).
 */
export interface WeekTotal {
  period: Period;
  tokens: number;
  costUsd: number;
  unpricedTokens: number;
  requests: number;
  blocks: number;
}

export function weeklyTotals(
  facts: readonly Fact[],
  costOf: CostOf,
  blocks: readonly BlockLike[],
  opts: PeriodOptions,
  nowMs: number,
  count = 4,
): WeekTotal[] {
  const n = Math.max(1, Math.min(52, Math.trunc(count) || 1));
  const periods: Period[] = [periodAt('week', nowMs, opts)];
  while (periods.length < n) periods.unshift(previousPeriod(periods[0], opts));
  const at = (ms: number) => {
    for (let i = periods.length - 1; i >= 0; i--) {
      if (ms >= periods[i].startMs) return ms < periods[i].endMs ? i : -1;
    }
    return -1;
  };
  const out = periods.map((period) => ({ period, spend: emptySpend(), tokens: 0, blocks: 0 }));
  for (const f of facts) {
    const i = at(f.bucketStartMs);
    if (i < 0) continue;
    addFactSpend(out[i].spend, f, costOf);
    out[i].tokens += planTokens(f);
  }
  for (const b of blocks) {
    if (b.isGap) continue;
    const i = at(b.startMs);
    if (i >= 0) out[i].blocks += 1;
  }
  return out.map((w) => ({
    period: w.period,
    tokens: w.tokens,
    costUsd: w.spend.costUsd,
    unpricedTokens: w.spend.unpricedTokens,
    requests: w.spend.requests,
    blocks: w.blocks,
  }));
}
