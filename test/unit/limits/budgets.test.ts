import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetStatuses, crossedThresholds, normalizeThresholds, projectMatches } from '../../../src/core/limits/budgets';
import { costOf, fact, usdFact } from './fixtures';

const opts = { timeZone: 'Asia/Kathmandu', weekStart: 1, billingCycleStartDay: 1 };
const now = Date.parse('2026-03-10T12:00:00Z'); // 17:45 Tuesday 10 March in Kathmandu

const facts = [
  usdFact('2026-03-10T04:00:00Z', 6), // today
  usdFact('2026-03-09T18:15:00Z', 2.5), // 00:00 local today
  usdFact('2026-03-09T18:00:00Z', 1), // 23:45 local yesterday
  usdFact('2026-03-09T10:00:00Z', 3, { project: '/home/dev/api', model: 'gpt-5.3-codex', output: Math.round((3 / 14) * 1e6) }),
  usdFact('2026-03-02T09:00:00Z', 20, { project: '-home-dev-mobile' }), // last week, this month
  usdFact('2026-02-27T09:00:00Z', 40), // last month
  fact({ at: '2026-03-10T05:00:00Z', model: 'claude-future-9', output: 50_000 }), // unpriced
];

test('spend per day/week/month in the user zone, progress and thresholds crossed', () => {
  const s = budgetStatuses(facts, costOf, { dailyUsd: 10, weeklyUsd: 20, monthlyUsd: 30 }, opts, now);
  const by = Object.fromEntries(s.map((b) => [b.budgetId, b]));
  assert.ok(Math.abs(by.daily.spentUsd - 8.5) < 1e-4);
  assert.equal(by.daily.period.id, 'day:2026-03-10');
  assert.deepEqual(by.daily.crossed, [50, 80]);
  assert.equal(by.daily.unpricedTokens, 50_000);
  assert.ok(Math.abs(by.weekly.spentUsd - 12.5) < 1e-4);
  assert.deepEqual(by.weekly.crossed, [50]);
  assert.ok(Math.abs(by.monthly.spentUsd - 32.5) < 1e-4);
  assert.deepEqual(by.monthly.crossed, [50, 80, 100]);
  assert.ok(by.monthly.fraction > 1);
});

test('per-project monthly budgets match by key, display path, folder name or name', () => {
  const display = (p: string) => ({ '-home-dev-webapp': '/home/dev/webapp', '-home-dev-mobile': '/home/dev/mobile' })[p];
  const s = budgetStatuses(facts, costOf, { projectsMonthlyUsd: { '/home/dev/webapp': 100, mobile: 25, '/home/dev/api/': 6, nothing: 5, bad: -1 } }, opts, now, display);
  const by = Object.fromEntries(s.map((b) => [b.budgetId, b]));
  assert.deepEqual(Object.keys(by).sort(), ['project:/home/dev/api/', 'project:/home/dev/webapp', 'project:mobile', 'project:nothing']);
  assert.ok(Math.abs(by['project:/home/dev/webapp'].spentUsd - 9.5) < 1e-4);
  assert.ok(Math.abs(by['project:mobile'].spentUsd - 20) < 1e-4);
  assert.deepEqual(by['project:mobile'].crossed, [50]);
  assert.ok(Math.abs(by['project:/home/dev/api/'].spentUsd - 3) < 1e-4);
  assert.equal(by['project:nothing'].spentUsd, 0);
  // without a display map, a path still matches the Claude folder it encodes
  assert.equal(projectMatches('/home/dev/webapp', '-home-dev-webapp', undefined), true);
  assert.equal(projectMatches('webapp', '-home-dev-webapp', '/home/dev/webapp'), true);
  assert.equal(projectMatches('app', '-home-dev-webapp', '/home/dev/webapp'), false);
  assert.equal(projectMatches('api', '/home/dev/api', undefined), true);
  assert.equal(projectMatches('~/webapp', '-home-dev-webapp', '/home/dev/webapp'), true);
  assert.equal(projectMatches('~/webapp', '-home-dev-webapp', undefined), true);
  assert.equal(projectMatches('~/api', '/Users/me/api', undefined), true);
  assert.equal(projectMatches('~/api', '/Users/me/capi', undefined), false);
});

test('threshold helpers', () => {
  assert.deepEqual(normalizeThresholds([100, 80, 80, -5, Number.NaN]), [80, 100]);
  assert.deepEqual(normalizeThresholds([]), [50, 80, 100]);
  assert.deepEqual(crossedThresholds(0.1 * 3 + 0.7, [50, 80, 100]), [50, 80, 100]); // 1.0000000000000002-ish noise
  assert.deepEqual(crossedThresholds(0.7999, [50, 80, 100]), [50]);
});
