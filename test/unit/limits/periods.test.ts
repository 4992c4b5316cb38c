import { test } from 'node:test';
import assert from 'node:assert/strict';
import { periodAt, previousPeriod } from '../../../src/core/limits/periods';

const iso = (ms: number) => new Date(ms).toISOString();

test('day periods follow local midnight, incl. a 23-hour DST day and +05:45', () => {
  const ny = periodAt('day', Date.parse('2026-03-08T12:00:00Z'), { timeZone: 'America/New_York' });
  assert.equal(ny.id, 'day:2026-03-08');
  assert.equal(iso(ny.startMs), '2026-03-08T05:00:00.000Z'); // EST midnight
  assert.equal(iso(ny.endMs), '2026-03-09T04:00:00.000Z'); // EDT midnight
  assert.equal(ny.endMs - ny.startMs, 23 * 3_600_000);
  const ktm = periodAt('day', Date.parse('2026-02-28T18:14:59Z'), { timeZone: 'Asia/Kathmandu' });
  assert.equal(ktm.id, 'day:2026-02-28'); // 23:59:59 local
  const ktm2 = periodAt('day', Date.parse('2026-02-28T18:15:00Z'), { timeZone: 'Asia/Kathmandu' });
  assert.equal(ktm2.id, 'day:2026-03-01');
  assert.equal(iso(ktm2.startMs), '2026-02-28T18:15:00.000Z');
  // Chile moves clocks at local midnight: 6 Sep 2026 00:00 does not exist, the day starts at the transition
  const scl = periodAt('day', Date.parse('2026-09-06T12:00:00Z'), { timeZone: 'America/Santiago' });
  assert.equal(iso(scl.startMs), '2026-09-06T04:00:00.000Z');
  assert.equal(scl.endMs - scl.startMs, 23 * 3_600_000);
  // fall back: 25-hour day in New York
  const nov = periodAt('day', Date.parse('2026-11-01T15:00:00Z'), { timeZone: 'America/New_York' });
  assert.equal(nov.endMs - nov.startMs, 25 * 3_600_000);
});

test('weeks start on the configured weekday; ISO default is Monday', () => {
  const t = Date.parse('2026-03-08T15:00:00Z'); // Sunday 8 March in Berlin
  assert.equal(periodAt('week', t, { timeZone: 'Europe/Berlin' }).id, 'week:2026-03-02');
  assert.equal(periodAt('week', t, { timeZone: 'Europe/Berlin', weekStart: 0 }).id, 'week:2026-03-08');
  assert.equal(periodAt('week', t, { timeZone: 'Europe/Berlin', weekStart: 6 }).id, 'week:2026-03-07');
  // Berlin switches to summer time on 29 March: that week is 167 hours long
  const w = periodAt('week', Date.parse('2026-03-25T12:00:00Z'), { timeZone: 'Europe/Berlin' });
  assert.equal(w.id, 'week:2026-03-23');
  assert.equal(w.endMs - w.startMs, 167 * 3_600_000);
  // the same instant is already Monday in Tokyo while it is Sunday in Los Angeles
  const inst = Date.parse('2026-03-08T16:00:00Z');
  assert.equal(periodAt('week', inst, { timeZone: 'Asia/Tokyo' }).id, 'week:2026-03-09');
  assert.equal(periodAt('week', inst, { timeZone: 'America/Los_Angeles' }).id, 'week:2026-03-02');
});

test('billing cycle months start on the configured day, across year ends', () => {
  const opts = { timeZone: 'Europe/London', billingCycleStartDay: 15 };
  const a = periodAt('month', Date.parse('2026-01-10T12:00:00Z'), opts);
  assert.equal(a.id, 'month:2025-12-15');
  assert.equal(iso(a.startMs), '2025-12-15T00:00:00.000Z');
  assert.equal(iso(a.endMs), '2026-01-15T00:00:00.000Z');
  const b = periodAt('month', Date.parse('2026-04-15T00:30:00Z'), opts); // 01:30 BST on the 15th
  assert.equal(b.id, 'month:2026-04-15');
  assert.equal(iso(b.startMs), '2026-04-14T23:00:00.000Z');
  assert.equal(previousPeriod(b, opts).id, 'month:2026-03-15');
  assert.equal(iso(previousPeriod(b, opts).endMs), iso(b.startMs));
  const cal = periodAt('month', Date.parse('2026-02-28T20:00:00Z'), { timeZone: 'Asia/Kathmandu' }); // already 1 March there
  assert.equal(cal.id, 'month:2026-03-01');
  // out-of-range settings are clamped, unknown zones fall back to UTC
  assert.equal(periodAt('month', Date.parse('2026-02-28T12:00:00Z'), { timeZone: 'Nowhere/City', billingCycleStartDay: 31 }).id, 'month:2026-02-28');
});

test('previous periods chain without gaps', () => {
  const opts = { timeZone: 'Australia/Sydney', weekStart: 1 };
  for (const kind of ['day', 'week', 'month'] as const) {
    let p = periodAt(kind, Date.parse('2026-04-10T03:00:00Z'), opts);
    for (let i = 0; i < 14; i++) {
      const prev = previousPeriod(p, opts);
      assert.equal(prev.endMs, p.startMs, `${kind} ${p.id}`);
      assert.ok(prev.startMs < prev.endMs);
      p = prev;
    }
  }
});
