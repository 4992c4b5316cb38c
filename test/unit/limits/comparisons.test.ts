import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparePeriod, comparePeriods } from '../../../src/core/limits/comparisons';
import { costOf, usdFact } from './fixtures';

const iso = (ms: number) => new Date(ms).toISOString();
const near = (a: number, b: number) => Math.abs(a - b) < 1e-4;

test('today vs yesterday, week vs last week, month vs last month over the same elapsed time (Berlin)', () => {
  const opts = { timeZone: 'Europe/Berlin', weekStart: 1 };
  const now = Date.parse('2026-03-10T13:30:00Z'); // Tue 14:30 local
  const facts = [
    usdFact('2026-03-10T08:00:00Z', 4), usdFact('2026-03-10T13:00:00Z', 2), // today: 6
    usdFact('2026-03-09T08:00:00Z', 3), usdFact('2026-03-09T13:15:00Z', 1), // yesterday before 14:30: 4
    usdFact('2026-03-09T15:00:00Z', 10), // yesterday 16:00, after the cut
    usdFact('2026-03-02T09:00:00Z', 5), usdFact('2026-03-03T12:00:00Z', 2.5), usdFact('2026-03-03T14:00:00Z', 7), // last week: 7.5 before cut
    usdFact('2026-02-10T12:00:00Z', 20), usdFact('2026-02-10T14:00:00Z', 30), usdFact('2026-02-11T09:00:00Z', 50), // Feb: 20 before cut
  ];
  const [day, week, month] = comparePeriods(facts, costOf, now, opts);
  assert.equal(day.previous.periodId, 'day:2026-03-09');
  assert.equal(iso(day.previous.endMs), '2026-03-09T13:30:00.000Z');
  assert.ok(near(day.current.costUsd, 6) && near(day.previous.costUsd, 4));
  assert.ok(Math.abs(day.changePct! - 50) < 1e-3);
  assert.equal(day.direction, 'up');
  assert.equal(week.previous.periodId, 'week:2026-03-02');
  assert.equal(iso(week.previous.endMs), '2026-03-03T13:30:00.000Z');
  assert.ok(near(week.current.costUsd, 20) && near(week.previous.costUsd, 7.5));
  assert.equal(month.previous.periodId, 'month:2026-02-01');
  assert.equal(iso(month.previous.endMs), '2026-02-10T13:30:00.000Z');
  assert.ok(near(month.current.costUsd, 34.5) && near(month.previous.costUsd, 20)); // March 1–10: 6 + 14 + 14.5
  assert.ok(Math.abs(month.changePct! - 72.5) < 1e-3);
});

test('after a DST change the same wall-clock time is compared, not the same number of hours', () => {
  const now = Date.parse('2026-03-09T14:00:00Z'); // Mon 10:00 EDT; Sunday 8 March had 23 hours
  const facts = [usdFact('2026-03-08T14:30:00Z', 9), usdFact('2026-03-09T13:00:00Z', 3)];
  const day = comparePeriod(facts, costOf, 'day', now, { timeZone: 'America/New_York' });
  assert.equal(iso(day.previous.endMs), '2026-03-08T14:00:00.000Z'); // 10:00 EDT Sunday
  assert.equal(day.previous.costUsd, 0); // the 10:30 entry is after the cut
  assert.equal(day.changePct, null);
  assert.equal(day.direction, 'up');
});

test('the end of a long month is compared with the whole shorter previous month; decreases point down', () => {
  const opts = { timeZone: 'Europe/London' };
  const now = Date.parse('2026-03-31T12:00:00Z');
  const month = comparePeriod([usdFact('2026-02-27T10:00:00Z', 40), usdFact('2026-03-30T10:00:00Z', 10)], costOf, 'month', now, opts);
  assert.equal(iso(month.previous.endMs), '2026-03-01T00:00:00.000Z');
  assert.ok(near(month.changePct!, -75));
  assert.equal(month.direction, 'down');
  const flat = comparePeriod([usdFact('2026-03-31T08:00:00Z', 10), usdFact('2026-03-30T08:00:00Z', 10.05)], costOf, 'day', now, opts);
  assert.equal(flat.direction, 'flat');
  const none = comparePeriod([], costOf, 'week', now, opts);
  assert.equal(none.direction, 'flat');
});
