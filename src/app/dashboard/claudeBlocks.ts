/**
 * Claude 5-hour blocks for the dashboard timeline (ccusage semantics, from the core's `computeBlocks`), the
 * per-block plan limit (`resolvePlanLimit`: preset, custom, or P90 of completed blocks — an estimate, labelled so),
 * the active block against that limit (`forecastBlock`: burn rate, projection, time until the limit, the real reset
 * from an API error), and the weekly totals of the last weeks in the user's zone.
 * Plan limits are Claude limits: only Claude facts are used; tokens against the plan are input + output.
 */
import { forecastBlock } from '../../core/limits/blockForecast';
import type { BlockLike } from '../../core/limits/blockLike';
import { blockLikeFromRow } from '../../core/limits/fromBlockRow';
import type { PeriodOptions } from '../../core/limits/periods';
import type { CostOf } from '../../core/limits/spend';
import { resolvePlanLimit, type PlanSetting } from '../../core/limits/plans';
import { weeklyTotals } from '../../core/limits/weeklyTotals';
import { dateKey } from '../../core/report/tz';
import { costOf } from '../../core/pricing/costOf';
import type { PriceTable } from '../../core/pricing/priceTable';
import { computeBlocks, type LimitReset } from '../../core/report/blocks';
import type { Fact } from '../../core/types';
import type { ClaudeBlocks, CurrentBlock } from '../../shared/protocol';
import { planLimitLabel } from '../planLimitText';
import { englishTranslator, type Translator } from '../i18n/translator';

const SHOWN_MS = 7 * 24 * 3600 * 1000;
const WEEKS_SHOWN = 4;

export function claudeBlocks(
  facts: readonly Fact[],
  table: PriceTable,
  nowMs: number,
  plan: PlanSetting,
  resets: readonly LimitReset[] = [],
  periods: PeriodOptions = { timeZone: 'UTC', weekStart: 1 },
): ClaudeBlocks | null {
  const claude = facts.filter(isPlanFact);
  if (claude.length === 0) return null;
  const rows = computeBlocks(claude, { prices: table, nowMs, limitResets: resets });
  return claudeBlocksView(rows.map(blockLikeFromRow), claude, table, nowMs, plan, resets, periods);
}

/** Facts that count against Claude's plan limits: Claude's, without `<synthetic>` lines. */
export function isPlanFact(f: Fact): boolean {
  return f.source === 'claude' && f.model !== '<synthetic>';
}

/**
 * The view from every Claude block of history (gap blocks may be left out: e.g. the index's stored blocks, core
 * `loadClaudeBlockLikes`) and the Claude facts (`isPlanFact`) of at least the last `WEEKS_SHOWN` weeks. Null when
 * there is no block.
 */
export function claudeBlocksView(
  blocks: readonly BlockLike[],
  claude: readonly Fact[],
  table: PriceTable,
  nowMs: number,
  plan: PlanSetting,
  resets: readonly LimitReset[],
  periods: PeriodOptions,
  t: Translator = englishTranslator,
  /** a Claude fact's cost with `table` (the cost its dashboard row already holds, rowCost.ts) */
  cost: CostOf = (x) => costOf(x, x.model, x.tier, table),
): ClaudeBlocks | null {
  if (blocks.length === 0) return null;
  const limit = resolvePlanLimit(plan, blocks);
  const shown = blocks.filter((b) => !b.isGap && b.endMs >= nowMs - SHOWN_MS);
  const active = blocks.find((b) => b.isActive);
  let current: CurrentBlock | null = null;
  if (active) {
    const f = forecastBlock(active, limit, nowMs, resets);
    current = {
      startMs: active.startMs, endMs: active.endMs, resetsAtMs: f.resetsAtMs, resetSource: f.resetSource,
      tokens: f.tokens, costUSD: f.costUsd, requests: f.requests, tokensPerMinute: f.tokensPerMinute, costPerHour: f.costPerHour,
      projectedTokens: f.projectedTokens, projectedCostUSD: f.projectedCostUsd, usedRatio: f.usedFraction, projectedRatio: f.projectedFraction,
      msToLimit: f.msToLimit, limitReached: f.limitReached,
    };
  }
  const weeks = weeklyTotals(claude, cost, blocks, periods, nowMs, WEEKS_SHOWN).map((w) => ({
    startDay: dateKey(w.period.start), tokens: w.tokens, costUSD: w.costUsd, unpriced: w.unpricedTokens > 0, blocks: w.blocks,
  }));
  return {
    blocks: shown.map((b) => ({ startMs: b.startMs, endMs: b.endMs, tokens: b.tokens, costUSD: b.costUsd, isActive: b.isActive, isGap: b.isGap })),
    limitTokens: limit.tokens,
    limitLabel: planLimitLabel(limit, t),
    current,
    weeks,
  };
}
