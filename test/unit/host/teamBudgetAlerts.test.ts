import { test } from 'node:test';
import assert from 'node:assert/strict';
import { teamBudgetAlerts } from '../../../src/host/team/teamBudgetAlerts';

const money = (usd: number) => `$${usd.toFixed(2)}`;
const opts = { timeZone: 'America/New_York', weekStart: 1, billingCycleStartDay: 15 };
const bars = [
  { member: null, period: 'monthly' as const, limitUSD: 500, spentUSD: 612.5, ratio: 1.225 },
  { member: `O'Brien`, period: 'daily' as const, limitUSD: 20, spentUSD: 20, ratio: 1 },
  { member: 'ana@example.com', period: 'weekly' as const, limitUSD: 100, spentUSD: 99, ratio: 0.99 },
];

test('exceeded budgets are told once per period, in the configured zone and billing cycle', () => {
  const now = Date.parse('2026-12-06T03:00:00Z'); // Dec 5, 22:00 in New York: billing month from Nov 15
  const first = teamBudgetAlerts(bars, now, opts, new Set(), money);
  assert.deepEqual(first.map((a) => a.key), ['|month:2026-11-15', `m:O'Brien|day:2026-12-05`]);
  assert.equal(first[0]!.message, 'AgentMeter: The team spent $612.50 of the monthly team budget of $500.00 (123 %).');
  assert.match(first[1]!.message, /O'Brien spent \$20\.00 of the daily team budget/);
  const told = new Set(first.map((a) => a.key));
  assert.deepEqual(teamBudgetAlerts(bars, now + 3600_000, opts, told, money), [], 'told: not again this period');
  // the next local day: the daily budget is a new period, the billing month is not
  const nextDay = Date.parse('2026-12-06T06:00:00Z');
  assert.deepEqual(teamBudgetAlerts(bars, nextDay, opts, told, money).map((a) => a.key), [`m:O'Brien|day:2026-12-06`]);
});
