import { join } from 'node:path';
import type { Fact } from '../../../src/core/types';
import { costOf } from '../../../src/core/pricing/costOf';
import { groupFacts } from '../../../src/core/report/group';
import { RowAccumulator, type ReportRow } from '../../../src/core/report/rows';
import { computeBlocks, activeBlock } from '../../../src/core/report/blocks';
import { periodAt } from '../../../src/core/limits/periods';
import { budgetStatuses } from '../../../src/core/limits/budgets';
import { codexQuota } from '../../../src/core/limits/codexQuota';
import { forecastBlock } from '../../../src/core/limits/blockForecast';
import { blockLikeFromRow } from '../../../src/core/limits/fromBlockRow';
import { blockLookbackStart, type StatusInputs, type StatusSummary } from '../../../src/app/status/statusSummary';
import { rng } from '../rng';
import { codexSessionMeta, codexTokenCount, codexTurnContext, write } from '../ingest/helpers';

/**
 * The status summary as it was computed before it read only what it shows: every fact filtered for each period in
 * JS (a reference for tests; the summary must stay equal to it, as JSON, byte for byte).
 */
export function referenceSummary(i: StatusInputs): StatusSummary {
  const sumRow = (key: string, from: number, to: number): ReportRow => {
    const acc = new RowAccumulator();
    for (const f of i.facts) if (f.bucketStartMs >= from && f.bucketStartMs < to && f.model !== '<synthetic>') acc.add(f);
    return acc.toRow(key, i.prices);
  };
  const byCostDesc = (a: ReportRow, b: ReportRow) => (b.pricedCostUSD - a.pricedCostUSD) || (b.totalTokens - a.totalTokens);
  const day = periodAt('day', i.nowMs, i);
  const week = periodAt('week', i.nowMs, i);
  const month = periodAt('month', i.nowMs, i);
  const todayFacts = i.facts.filter((f) => f.bucketStartMs >= day.startMs && f.bucketStartMs < day.endMs);
  const groupOpts = { timeZone: i.timeZone, weekStart: i.weekStart, prices: i.prices };
  const blockSince = i.blockSinceMs ?? blockLookbackStart(i.nowMs);
  const claudeRecent = i.facts.filter((f) => f.source === 'claude' && f.lastMs >= blockSince && f.firstMs <= i.nowMs);
  const blocks = computeBlocks(claudeRecent, { prices: i.prices, nowMs: i.nowMs, limitResets: i.limitResets });
  const factCost = (f: Fact) => costOf(f, f.model, f.tier, i.prices);
  const block = activeBlock(blocks) ?? null;
  const planLimit = i.planLimit && i.planLimit.method !== 'none' ? i.planLimit : null;
  return {
    nowMs: i.nowMs,
    timeZone: i.timeZone,
    today: sumRow('today', day.startMs, day.endMs),
    todayBySource: groupFacts(todayFacts, 'source', groupOpts).sort(byCostDesc),
    todayByModel: groupFacts(todayFacts, 'model', groupOpts).sort(byCostDesc),
    week: sumRow('week', week.startMs, week.endMs),
    month: sumRow('month', month.startMs, month.endMs),
    monthStartMs: month.startMs,
    block,
    blockForecast: block && planLimit ? forecastBlock(blockLikeFromRow(block), planLimit, i.nowMs, i.limitResets ?? []) : null,
    planLimit,
    codex: codexQuota(i.rateLimits, i.nowMs),
    budgets: budgetStatuses(i.facts, factCost, i.budgets, i, i.nowMs, i.displayPathOf),
  };
}

const MIN = 60_000;
const H = 60 * MIN;
const iso = (t: number) => new Date(t).toISOString();
const CODEX_MODELS = ['gpt-5-codex', 'gpt-5', 'gpt-5.1-codex-mini', 'gpt-9-unreleased'];
const CODEX_CWDS = ['/home/u/api', '/home/u/proj1', '/work/tools'];

/**
 * `days` days of Codex rollouts from `startIso` in the real log format (deterministic for a seed): one to three
 * sessions on most days, each a session_meta, a turn_context and token_count events with cumulative totals (the
 * last usage inside), rate-limit snapshots on some events, one unpriced model. Written under `root` (a Codex home).
 */
export function writeCodexHistory(root: string, seed: number, startIso: string, days: number): void {
  const r = rng(seed);
  const start = Date.parse(startIso);
  for (let d = 0; d < days; d++) {
    const day = start + d * 24 * H;
    if (r() < 0.3) continue;
    const sessions = 1 + Math.floor(r() * 3);
    for (let k = 0; k < sessions; k++) {
      const from = day + Math.floor(r() * 22 * H) + Math.floor(r() * 60_000);
      const model = CODEX_MODELS[Math.floor(r() * CODEX_MODELS.length)];
      const cwd = CODEX_CWDS[Math.floor(r() * CODEX_CWDS.length)];
      let text = codexSessionMeta(iso(from), cwd, r() < 0.5 ? 'main' : 'feat/x') + codexTurnContext(iso(from + 1000), model);
      const total = { input: 0, cached: 0, output: 0, reasoning: 0 };
      for (let t = from + MIN, n = 0; n < 40 && t < from + 4 * H; t += MIN + Math.floor(r() * 15 * MIN), n++) {
        const input = 500 + Math.floor(r() * 30_000);
        const cached = Math.floor(input * r() * 0.9);
        const reasoning = Math.floor(r() * 2000);
        const last = { input, cached, output: reasoning + 10 + Math.floor(r() * 3000), reasoning };
        total.input += last.input;
        total.cached += last.cached;
        total.output += last.output;
        total.reasoning += last.reasoning;
        const resets = Math.floor((t + 2 * H) / 1000);
        const rl = r() < 0.3
          ? { primary: { used_percent: Math.floor(r() * 100), window_minutes: 300, resets_at: resets }, secondary: { used_percent: Math.floor(r() * 100), window_minutes: 10080, resets_at: resets + 86_400 } }
          : undefined;
        text += codexTokenCount(iso(t), { ...total }, last, rl);
      }
      const stamp = iso(from).slice(0, 19).replace(/:/g, '-');
      const ymd = iso(from).slice(0, 10).split('-');
      const id = `0199aaaa-bbbb-7ccc-8ddd-${String(seed).padStart(4, '0')}${String(d * 10 + k).padStart(8, '0')}`;
      write(join(root, 'sessions', ymd[0], ymd[1], ymd[2], `rollout-${stamp}-${id}.jsonl`), text);
    }
  }
}
