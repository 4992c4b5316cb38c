import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { estimatedDaysIn, estimatedFacts, mergeEstimatedRows } from '../../../src/core/report/estimates';
import { groupFacts } from '../../../src/core/report/group';
import type { EstimatedDayUsage } from '../../../src/core/sources/claude/statsCache';
import { fact } from './facts';

const prices = createPriceTable();
const OPUS = 'claude-opus-4-5-20251101';
const day = (date: string, p: Partial<EstimatedDayUsage> = {}): EstimatedDayUsage => ({
  date, model: OPUS, input: 80, output: 20, cacheRead: 5000, cacheCreation: 300, dayTokens: 100, ...p,
});

test('estimated facts keep the date Claude Code wrote as their day, week and month in every zone (±14 h, DST days)', () => {
  const days = [day('2026-03-08'), day('2026-03-29'), day('2026-12-31'), day('2027-01-01')]; // US and EU DST starts
  for (const tz of ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/New_York', 'Europe/Berlin', 'Asia/Kathmandu']) {
    const rows = groupFacts(estimatedFacts(days, tz), 'day', { timeZone: tz, prices });
    assert.deepEqual(rows.map((r) => r.key), ['2026-03-08', '2026-03-29', '2026-12-31', '2027-01-01'], tz);
    const months = groupFacts(estimatedFacts(days, tz), 'month', { timeZone: tz, prices });
    assert.deepEqual(months.map((r) => r.key), ['2026-03', '2026-12', '2027-01'], tz);
  }
});

test('an estimated fact: the split tokens, cache writes as 5-minute writes, no requests, no entry time, priced', () => {
  const [row] = groupFacts(estimatedFacts([day('2026-03-02')], 'UTC'), 'model', { timeZone: 'UTC', prices });
  assert.deepEqual(
    [row.key, row.source, row.requests, row.inputTokens, row.outputTokens, row.cacheCreation5mTokens, row.cacheCreation1hTokens, row.cacheReadTokens, row.firstMs, row.lastMs],
    [OPUS, 'claude', 0, 80, 20, 300, 0, 5000, 0, 0],
  );
  assert.ok(Math.abs(row.costUSD! - (80 * 5 + 20 * 25 + 300 * 6.25 + 5000 * 0.5) / 1e6) < 1e-12);
});

test('merged rows: by date in time order (an exact row first on a shared key), else estimated after exact', () => {
  const exactFacts = [fact('2026-03-02T10:00:00Z'), fact('2026-03-05T10:00:00Z')];
  const exact = groupFacts(exactFacts, 'day', { timeZone: 'UTC', prices });
  const est = groupFacts(estimatedFacts([day('2026-03-01'), day('2026-03-02'), day('2026-03-04')], 'UTC'), 'day', { timeZone: 'UTC', prices });
  assert.deepEqual(mergeEstimatedRows(exact, est, 'day').map((r) => [r.key, r.estimated]), [
    ['2026-03-01', true], ['2026-03-02', false], ['2026-03-02', true], ['2026-03-04', true], ['2026-03-05', false],
  ]);
  const bySource = mergeEstimatedRows(groupFacts(exactFacts, 'source', { timeZone: 'UTC', prices }), groupFacts(estimatedFacts([day('2026-03-01')], 'UTC'), 'source', { timeZone: 'UTC', prices }), 'source');
  assert.deepEqual(bySource.map((r) => [r.key, r.estimated, r.requests]), [['claude', false, 2], ['claude', true, 0]]);
  assert.equal(exact[0].estimated, undefined, 'the exact rows given are not changed');
});

test('estimatedDaysIn: dates compared as dates, either bound open', () => {
  const days = [day('2026-02-28'), day('2026-03-01'), day('2026-03-31')];
  assert.deepEqual(estimatedDaysIn(days, '2026-03-01').map((d) => d.date), ['2026-03-01', '2026-03-31']);
  assert.deepEqual(estimatedDaysIn(days, undefined, '2026-03-01').map((d) => d.date), ['2026-02-28', '2026-03-01']);
  assert.equal(estimatedDaysIn(days).length, 3);
});
