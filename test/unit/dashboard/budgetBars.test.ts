import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../../../src/core/types';
import { bucketOf } from '../../../src/core/types';
import { budgetStatuses } from '../../../src/core/limits/budgets';
import { buildSnapshot } from '../../../src/app/dashboard/snapshot';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';

/** The dashboard's per-project budget bars spend what the notifications count (same project matching). */

function fact(iso: string, project: string, input: number): Fact {
  const ms = Date.parse(iso);
  return {
    source: 'claude', model: 'claude-sonnet-4-5-20250929', project, session: 's', branch: 'main', tier: 'standard',
    input, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 1,
    bucketStartMs: bucketOf(ms), firstMs: ms, lastMs: ms,
  };
}
const usd = (f: Fact) => (f.input * 3) / 1e6;

test('project budget keys as a name, a ~/ path, a full path or an encoded folder give the bars the notifications spend', () => {
  const NOW = Date.parse('2026-03-18T15:00:00Z');
  const facts = [
    fact('2026-03-16T14:00:00Z', '-home-ana-shop', 1_000_000), // $3, this cycle (from the 15th)
    fact('2026-03-17T14:00:00Z', '-home-ana-api', 2_000_000), // $6, another project
    fact('2026-03-10T14:00:00Z', '-home-ana-shop', 5_000_000), // previous cycle
  ];
  const paths: Record<string, string> = { '-home-ana-shop': '/home/ana/shop', '-home-ana-api': '/home/ana/api' };
  const keys = ['shop', '~/shop', '/home/ana/shop', '-home-ana-shop', '/home/ana/shop/'];
  const projectsMonthlyUsd = Object.fromEntries(keys.map((k) => [k, 10]));
  const budgets = { dailyUsd: 5, weeklyUsd: null, monthlyUsd: null, projectsMonthlyUsd, billingCycleStartDay: 15 };
  const bars = buildSnapshot({
    facts, filters: { ...DEFAULT_FILTERS }, nowMs: NOW, locale: 'en', cost: (_t, f) => usd(f), priceTableDate: null,
    settings: { timeZone: 'UTC', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 }, budgets },
    status: { indexing: false, lastUpdatedMs: NOW, searched: {}, notes: [] }, projectLabel: (p) => paths[p],
  }).budgets!;
  assert.deepEqual(bars.map((b) => [b.id, b.label]), [['daily', 'Today'], ...keys.map((k) => [`project:${k}`, k])]);
  assert.equal(bars[0].spentUSD, 0, 'nothing spent today');
  const statuses = budgetStatuses(facts, usd, { projectsMonthlyUsd }, { timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 15 }, NOW, (p) => paths[p]);
  for (const k of keys) {
    const bar = bars.find((b) => b.id === `project:${k}`)!;
    const st = statuses.find((s) => s.project === k)!;
    assert.ok(Math.abs(bar.spentUSD - 3) < 1e-9, `${k}: bar ${bar.spentUSD}`);
    assert.ok(Math.abs(bar.spentUSD - st.spentUsd) < 1e-9, `${k}: bar ${bar.spentUSD} vs notification ${st.spentUsd}`);
  }
});
