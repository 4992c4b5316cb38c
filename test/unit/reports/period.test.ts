import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePeriodPreset, presetDays, resolvePeriod } from '../../../src/app/reports/period';

const at = (iso: string) => Date.parse(iso);

test('presets are local days in the zone, with the configured week start', () => {
  // Tuesday 2026-03-10 00:30 in Tokyo is still Monday the 9th in UTC
  const now = at('2026-03-09T15:30:00Z');
  const tz = 'Asia/Tokyo';
  assert.deepEqual(presetDays('today', now, tz, 1), { since: '2026-03-10', until: '2026-03-10' });
  assert.deepEqual(presetDays('today', now, 'UTC', 1), { since: '2026-03-09', until: '2026-03-09' });
  assert.deepEqual(presetDays('yesterday', now, tz, 1), { since: '2026-03-09', until: '2026-03-09' });
  assert.deepEqual(presetDays('thisWeek', now, tz, 1), { since: '2026-03-09', until: '2026-03-10' });
  assert.deepEqual(presetDays('thisWeek', now, tz, 0), { since: '2026-03-08', until: '2026-03-10' });
  assert.deepEqual(presetDays('lastWeek', now, tz, 1), { since: '2026-03-02', until: '2026-03-08' });
  assert.deepEqual(presetDays('lastWeek', now, tz, 0), { since: '2026-03-01', until: '2026-03-07' });
  assert.deepEqual(presetDays('thisMonth', now, tz, 1), { since: '2026-03-01', until: '2026-03-10' });
  assert.deepEqual(presetDays('lastMonth', now, tz, 1), { since: '2026-02-01', until: '2026-02-28' });
});

test('last month across a year boundary and a leap February', () => {
  assert.deepEqual(presetDays('lastMonth', at('2027-01-15T12:00:00Z'), 'UTC', 1), { since: '2026-12-01', until: '2026-12-31' });
  assert.deepEqual(presetDays('lastMonth', at('2028-03-01T12:00:00Z'), 'UTC', 1), { since: '2028-02-01', until: '2028-02-29' });
});

test('a day of a DST change is 23 or 25 hours long; the range starts at local midnight', () => {
  // Berlin moved to summer time on Sunday 2026-03-29; Monday's "yesterday" is that 23-hour day
  const y = resolvePeriod({ preset: 'yesterday' }, at('2026-03-30T10:00:00Z'), 'Europe/Berlin', 1);
  assert.equal(y.since, '2026-03-29');
  assert.equal(y.sinceMs, at('2026-03-28T23:00:00Z'));
  assert.equal(y.untilMs, at('2026-03-29T22:00:00Z'));
  assert.equal(y.untilMs! - y.sinceMs!, 23 * 3_600_000);
  // New York's fall back: 2026-11-01 has 25 hours
  const n = resolvePeriod({ preset: 'custom', since: '2026-11-01', until: '2026-11-01' }, 0, 'America/New_York', 1);
  assert.equal(n.untilMs! - n.sinceMs!, 25 * 3_600_000);
  // a week across the change is 7 local days = 167 hours
  const w = resolvePeriod({ preset: 'lastWeek' }, at('2026-04-01T10:00:00Z'), 'Europe/Berlin', 1);
  assert.deepEqual([w.since, w.until], ['2026-03-23', '2026-03-29']);
  assert.equal(w.untilMs! - w.sinceMs!, 167 * 3_600_000);
});

test('labels, all time and custom ranges', () => {
  const now = at('2026-03-10T09:00:00Z');
  assert.equal(resolvePeriod({ preset: 'thisWeek' }, now, 'UTC', 1).label, 'This week (2026-03-09 – 2026-03-10)');
  assert.equal(resolvePeriod({ preset: 'today' }, now, 'UTC', 1).label, 'Today (2026-03-10)');
  const all = resolvePeriod({ preset: 'all' }, now, 'UTC', 1);
  assert.deepEqual([all.label, all.sinceMs, all.untilMs], ['All time', undefined, undefined]);
  assert.equal(resolvePeriod({ preset: 'custom', since: '2026-01-05', until: '2026-02-01' }, now, 'UTC', 1).label, '2026-01-05 – 2026-02-01');
  const open = resolvePeriod({ preset: 'custom', since: '2026-01-05' }, now, 'UTC', 1);
  assert.deepEqual([open.label, open.sinceMs, open.untilMs], ['2026-01-05 – now', at('2026-01-05T00:00:00Z'), undefined]);
  assert.throws(() => resolvePeriod({ preset: 'custom', since: '2026-02-02', until: '2026-02-01' }, now, 'UTC', 1), RangeError);
  assert.throws(() => resolvePeriod({ preset: 'custom', since: '2026-02-30', until: '2026-03-01' }, now, 'UTC', 1), RangeError);
});

test('period names as the CLI and the settings write them', () => {
  assert.equal(parsePeriodPreset('last-week'), 'lastWeek');
  assert.equal(parsePeriodPreset('ThisMonth'), 'thisMonth');
  assert.equal(parsePeriodPreset(' today '), 'today');
  assert.equal(parsePeriodPreset('fortnight'), undefined);
});
