import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../../../src/core/types';
import { budgetStatuses } from '../../../src/core/limits/budgets';
import { anomalousDays, unusualSessions } from '../../../src/core/limits/anomalies';
import { dailyCosts } from '../../../src/core/limits/dailySeries';
import { comparePeriods } from '../../../src/core/limits/comparisons';
import { cacheSummary, idleRewrites } from '../../../src/core/limits/cacheEconomics';
import { describePeakHours } from '../../../src/core/limits/peakHours';
import { codexQuota } from '../../../src/core/limits/codexQuota';
import { fact } from './fixtures';

test('odd input (bad zone, NaN times, NaN costs, ragged matrices) never throws', () => {
  const bad = { ...fact({ at: '2026-03-03T09:00:00Z', output: 1000 }), bucketStartMs: Number.NaN, firstMs: Number.NaN } as Fact;
  const facts = [bad, fact({ at: '2026-03-03T10:00:00Z', output: 1000 })];
  const nanCost = () => Number.NaN;
  const now = Date.parse('2026-03-03T12:00:00Z');
  const opts = { timeZone: 'Not/AZone', weekStart: 99, billingCycleStartDay: -4 };
  assert.doesNotThrow(() => budgetStatuses(facts, nanCost, { dailyUsd: 5, monthlyUsd: Number.NaN, projectsMonthlyUsd: { '': 3 } }, opts, now));
  assert.doesNotThrow(() => comparePeriods(facts, nanCost, now, opts));
  assert.doesNotThrow(() => anomalousDays(dailyCosts(facts, () => 1, 'Bad/Zone')));
  assert.doesNotThrow(() => unusualSessions(facts, nanCost));
  assert.doesNotThrow(() => cacheSummary(facts, () => null));
  assert.doesNotThrow(() => idleRewrites(facts, () => null));
  assert.equal(describePeakHours([[1, Number.NaN], [], [-5]] as number[][])!.startHour, 0);
  assert.equal(codexQuota([{ observedMs: Number.NaN } as never, 'x' as never], now), null);
  assert.equal(anomalousDays(new Map([['not-a-day', 5], ['2026-02-30', 3]])).length, 0);
});
