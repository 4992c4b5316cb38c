import type { Fact, RateLimitSnapshot } from '../../core/types';
import type { PriceTable } from '../../core/pricing/priceTable';
import { costOf } from '../../core/pricing/costOf';
import { groupFacts } from '../../core/report/group';
import { RowAccumulator, type ReportRow } from '../../core/report/rows';
import { computeBlocks, activeBlock, type BlockRow, type LimitReset } from '../../core/report/blocks';
import { periodAt, type PeriodOptions } from '../../core/limits/periods';
import { budgetStatuses, type BudgetSettings, type BudgetStatus } from '../../core/limits/budgets';
import { codexQuota, type CodexQuota } from '../../core/limits/codexQuota';
import { forecastBlock, type BlockForecast } from '../../core/limits/blockForecast';
import { blockLikeFromRow } from '../../core/limits/fromBlockRow';
import type { PlanLimit } from '../../core/limits/plans';
import { firstFactAtOrAfter } from '../../core/report/factsFrom';
import type { DayAnomaly } from '../../core/limits/anomalies';

/**
 * What the status bar shows, computed from facts (pure; no `vscode`).
 * Today, this week and this month are local periods in the user's zone (the month is the billing cycle from
 * `billingCycleStartDay`). The 5-hour block is Claude's (ccusage semantics from the core); Codex has its real
 * quota from its logs instead.
 */
export interface StatusInputs extends PeriodOptions {
  /**
   * the facts since `statusFactsSince`, in the index's order (bucket, then dim: `loadFacts`); sums
   * add in this order. Bucket order lets each period be sliced out by binary search (any other order is filtered).
   */
  facts: readonly Fact[];
  prices: PriceTable;
  nowMs: number;
  budgets: BudgetSettings;
  rateLimits: RateLimitSnapshot | null;
  limitResets?: readonly LimitReset[];
  displayPathOf?: (project: string) => string | undefined;
  /** the Claude plan's per-block limit (preset, custom or P90 — see core `resolvePlanLimit`); absent = none known */
  planLimit?: PlanLimit | null;
  /**
   * Claude blocks are cut from the facts from here on: a bucket start where a chain of blocks begins (see
   * `claudeBlockChainStart`), at or before `blockLookbackStart(nowMs)`; `facts` must reach back to it. Default:
   * `blockLookbackStart(nowMs)`.
   */
  blockSinceMs?: number;
}

export interface StatusSummary {
  nowMs: number;
  timeZone: string;
  today: ReportRow;
  todayBySource: ReportRow[];
  /** rows per (source, model), most expensive first */
  todayByModel: ReportRow[];
  week: ReportRow;
  month: ReportRow;
  monthStartMs: number;
  /** the active Claude 5-hour block, null when none is active */
  block: BlockRow | null;
  /** the active block against the plan limit (burn rate, projection, time until the limit, real reset); null without a block */
  blockForecast: BlockForecast | null;
  /** the plan limit the forecast used; null when no limit is known (method `none`) */
  planLimit: PlanLimit | null;
  codex: CodexQuota | null;
  budgets: BudgetStatus[];
  /** sessions per source whose usage is not on disk (usage unknown, not zero); absent = none */
  unknownUsage?: Record<string, number>;
  /** days no log covers, estimated from Claude Code's stats cache (never in the figures above); absent = none */
  estimated?: { days: number; costUSD: number | null };
  /**
   * with `agentMeter.alerts.anomalies` on: today when its running cost is unusual by the dashboard's rule (the anomaly
   * alert), else null; absent when the setting is off
   */
  anomaly?: DayAnomaly | null;
}

/**
 * Claude blocks are cut from at least this far back; the index worker extends it back to where the chain of blocks
 * begins (`claudeBlockChainStart`), so the active block's start matches a full history's.
 */
const BLOCK_LOOKBACK_MS = 48 * 3_600_000;

export function blockLookbackStart(nowMs: number): number {
  return nowMs - BLOCK_LOOKBACK_MS;
}

/** The earliest instant whose facts the summary needs (month/week start, and where Claude blocks are cut from). */
export function statusFactsSince(nowMs: number, opts: PeriodOptions, blockSinceMs = blockLookbackStart(nowMs)): number {
  return Math.min(periodAt('month', nowMs, opts).startMs, periodAt('week', nowMs, opts).startMs, blockSinceMs);
}

function sumRow(facts: readonly Fact[], key: string, prices: PriceTable): ReportRow {
  const acc = new RowAccumulator();
  for (const f of facts) if (f.model !== '<synthetic>') acc.add(f);
  return acc.toRow(key, prices);
}

/**
 * The facts whose bucket starts in [from, to), in their order: a slice found by binary search when the facts are
 * in bucket order (as the index gives them), else a filter.
 */
function inBuckets(facts: readonly Fact[], ordered: boolean, from: number, to: number): readonly Fact[] {
  if (!ordered) return facts.filter((f) => f.bucketStartMs >= from && f.bucketStartMs < to);
  return facts.slice(firstFactAtOrAfter(facts, from), firstFactAtOrAfter(facts, to));
}

function inBucketOrder(facts: readonly Fact[]): boolean {
  for (let k = 1; k < facts.length; k++) if (facts[k].bucketStartMs < facts[k - 1].bucketStartMs) return false;
  return true;
}

const byCostDesc = (a: ReportRow, b: ReportRow) => (b.pricedCostUSD - a.pricedCostUSD) || (b.totalTokens - a.totalTokens);

export function summarizeStatus(i: StatusInputs): StatusSummary {
  const day = periodAt('day', i.nowMs, i);
  const week = periodAt('week', i.nowMs, i);
  const month = periodAt('month', i.nowMs, i);
  const ordered = inBucketOrder(i.facts);
  const todayFacts = inBuckets(i.facts, ordered, day.startMs, day.endMs);
  const groupOpts = { timeZone: i.timeZone, weekStart: i.weekStart, prices: i.prices };
  const blockSince = i.blockSinceMs ?? blockLookbackStart(i.nowMs);
  const claudeRecent = i.facts.filter((f) => f.source === 'claude' && f.lastMs >= blockSince && f.firstMs <= i.nowMs);
  const blocks = computeBlocks(claudeRecent, { prices: i.prices, nowMs: i.nowMs, limitResets: i.limitResets });
  // every budget prices the facts of its period: each fact is priced once (the same number each time)
  const costs = new Map<Fact, number | null>();
  const factCost = (f: Fact) => {
    let c = costs.get(f);
    if (c === undefined) {
      c = costOf(f, f.model, f.tier, i.prices);
      costs.set(f, c);
    }
    return c;
  };
  const block = activeBlock(blocks) ?? null;
  const planLimit = i.planLimit && i.planLimit.method !== 'none' ? i.planLimit : null;
  return {
    nowMs: i.nowMs,
    timeZone: i.timeZone,
    today: sumRow(todayFacts, 'today', i.prices),
    todayBySource: groupFacts(todayFacts, 'source', groupOpts).sort(byCostDesc),
    todayByModel: groupFacts(todayFacts, 'model', groupOpts).sort(byCostDesc),
    week: sumRow(inBuckets(i.facts, ordered, week.startMs, week.endMs), 'week', i.prices),
    month: sumRow(inBuckets(i.facts, ordered, month.startMs, month.endMs), 'month', i.prices),
    monthStartMs: month.startMs,
    block,
    blockForecast: block && planLimit ? forecastBlock(blockLikeFromRow(block), planLimit, i.nowMs, i.limitResets ?? []) : null,
    planLimit,
    codex: codexQuota(i.rateLimits, i.nowMs),
    budgets: budgetStatuses(i.facts, factCost, i.budgets, i, i.nowMs, i.displayPathOf),
  };
}
