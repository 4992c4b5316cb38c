import type { BlockLike } from './blockLike';
import { p90BlockLimit, type P90Method } from './p90';

/**
 * Claude plan limits per 5-hour block. Anthropic does not publish them and does not write them to the logs, so
 * every preset here is an ESTIMATE. Source: Claude-Code-Usage-Monitor (Maciek-roboblog/Claude-Code-Usage-Monitor,
 * `core/plans.py`): pro 19,000 tokens / $18, max5 88,000 / $35, max20 220,000 / $140 per block.
 */
export type PlanName = 'pro' | 'max5' | 'max20' | 'custom' | 'auto';

export interface PlanPreset {
  tokens: number;
  costUsd: number;
}

export const PLAN_PRESETS: Readonly<Record<'pro' | 'max5' | 'max20', PlanPreset>> = {
  pro: { tokens: 19_000, costUsd: 18 },
  max5: { tokens: 88_000, costUsd: 35 },
  max20: { tokens: 220_000, costUsd: 140 },
};

/** How a limit was obtained. */
export type PlanLimitMethod = 'preset' | 'custom' | P90Method | 'none';

export interface PlanLimit {
  plan: PlanName;
  /** per-block token limit (input + output), null when unknown */
  tokens: number | null;
  /** per-block cost limit in USD, null when unknown */
  costUsd: number | null;
  method: PlanLimitMethod;
  /** completed blocks the P90 was taken over (0 unless `auto`) */
  blocksUsed: number;
  /** true for presets and P90 (guesses); false for the user's own custom numbers */
  isEstimate: boolean;
}

export interface PlanSetting {
  plan: PlanName;
  customTokens?: number | null;
  customCostUsd?: number | null;
}

function positive(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * The per-block limit for the plan setting. `auto` takes the P90 of completed blocks (see p90.ts);
 * an unknown plan name is treated as `auto`.
 */
export function resolvePlanLimit(setting: PlanSetting, blocks: readonly BlockLike[]): PlanLimit {
  const plan = setting.plan;
  if (plan === 'pro' || plan === 'max5' || plan === 'max20') {
    const p = PLAN_PRESETS[plan];
    return { plan, tokens: p.tokens, costUsd: p.costUsd, method: 'preset', blocksUsed: 0, isEstimate: true };
  }
  if (plan === 'custom') {
    const tokens = positive(setting.customTokens);
    const costUsd = positive(setting.customCostUsd);
    const method = tokens === null && costUsd === null ? 'none' : 'custom';
    return { plan, tokens, costUsd, method, blocksUsed: 0, isEstimate: false };
  }
  const p90 = p90BlockLimit(blocks);
  return { plan: 'auto', tokens: p90.tokens, costUsd: p90.costUsd, method: p90.method, blocksUsed: p90.blocksUsed, isEstimate: true };
}

/** Short text for the UI, e.g. "max5 (estimate): 88,000 tokens / $35 per 5 h" or "auto: P90 of 12 blocks near a plan limit". */
export function describePlanLimit(limit: PlanLimit): string {
  const parts: string[] = [];
  if (limit.tokens !== null) parts.push(`${Math.round(limit.tokens).toLocaleString('en-US')} tokens`);
  if (limit.costUsd !== null) parts.push(`$${limit.costUsd.toFixed(2)}`);
  const what = parts.length ? `${parts.join(' / ')} per 5 h` : 'no limit known';
  switch (limit.method) {
    case 'preset': return `${limit.plan} (estimate): ${what}`;
    case 'custom': return `custom: ${what}`;
    case 'p90-near-limit': return `auto (estimate, P90 of ${limit.blocksUsed} blocks that reached a plan limit): ${what}`;
    case 'p90-all': return `auto (estimate, P90 of all ${limit.blocksUsed} completed blocks): ${what}`;
    default: return `${limit.plan}: ${what}`;
  }
}
