/**
 * Claude 5-hour blocks for the dashboard timeline (ccusage semantics, from the core's `computeBlocks`) and the
 * per-block plan limit (`resolvePlanLimit`: preset, custom, or P90 of completed blocks — an estimate, labelled so).
 * Plan limits are Claude limits: only Claude facts are used; tokens against the plan are input + output.
 */
import { blockLikeFromRow } from '../../core/limits/fromBlockRow';
import { resolvePlanLimit, type PlanSetting } from '../../core/limits/plans';
import type { PriceTable } from '../../core/pricing/priceTable';
import { computeBlocks, type LimitReset } from '../../core/report/blocks';
import type { Fact } from '../../core/types';
import type { ClaudeBlocks } from '../../shared/protocol';

const SHOWN_MS = 7 * 24 * 3600 * 1000;

export function claudeBlocks(facts: readonly Fact[], table: PriceTable, nowMs: number, plan: PlanSetting, resets: readonly LimitReset[] = []): ClaudeBlocks | null {
  const claude = facts.filter((f) => f.source === 'claude');
  if (claude.length === 0) return null;
  const rows = computeBlocks(claude, { prices: table, nowMs, limitResets: resets });
  const blocks = rows.map(blockLikeFromRow);
  const limit = resolvePlanLimit(plan, blocks);
  const shown = blocks.filter((b) => !b.isGap && b.endMs >= nowMs - SHOWN_MS);
  return {
    blocks: shown.map((b) => ({ startMs: b.startMs, endMs: b.endMs, tokens: b.tokens, costUSD: b.costUsd, isActive: b.isActive, isGap: b.isGap })),
    limitTokens: limit.tokens,
    limitLabel: limitLabel(limit.method, limit.blocksUsed, limit.plan, limit.isEstimate),
  };
}

function limitLabel(method: string, blocksUsed: number, plan: string, estimate: boolean): string | null {
  switch (method) {
    case 'preset': return `${plan} plan limit (estimate)`;
    case 'custom': return 'your custom limit';
    case 'p90-near-limit': return `P90 of ${blocksUsed} completed blocks near a plan limit (estimate)`;
    case 'p90-all': return `P90 of ${blocksUsed} completed blocks (estimate)`;
    default: return estimate ? 'estimate' : null;
  }
}
