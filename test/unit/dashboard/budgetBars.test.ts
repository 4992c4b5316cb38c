import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../../../src/core/types';
import { bucketOf } from '../../../src/core/types';
import { budgetStatuses } from '../../../src/core/limits/budgets';
import { budgetBars } from '../../../src/host/dashboard/insights';
import { enrich } from '../../../src/host/dashboard/enrich';
import { zoneClock } from '../../../src/core/report/tz';

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
  const rows = enrich(facts, zoneClock('UTC'), (_t, f) => usd(f));
  const keys = ['shop', '~/shop', '/home/ana/shop', '-home-ana-shop', '/home/ana/shop/'];
  const projectsMonthlyUsd = Object.fromEntries(keys.map((k) => [k, 10]));
  const bars = budgetBars(rows, '2026-03-18', 1, { dailyUsd: null, weeklyUsd: null, monthlyUsd: null, projectsMonthlyUsd, billingCycleStartDay: 15 }, (p) => paths[p] ?? p);
  const statuses = budgetStatuses(facts, usd, { projectsMonthlyUsd }, { timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 15 }, NOW, (p) => paths[p]);
  for (const k of keys) {
    const bar = bars.find((b) => b.id === `project:${k}`)!;
    const st = statuses.find((s) => s.project === k)!;
    assert.ok(Math.abs(bar.spentUSD - 3) < 1e-9, `${k}: bar ${bar.spentUSD}`);
    assert.ok(Math.abs(bar.spentUSD - st.spentUsd) < 1e-9, `${k}: bar ${bar.spentUSD} vs notification ${st.spentUsd}`);
  }
});
