import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ZoneCalendar, validateTimeZone, InvalidTimeZoneError, parseWeekStart, isoWeekOfDay, parseDay, systemTimeZone, startOfDayKey, addDaysToKey,
  bucketDayKeyer, localParts, offsetAt, zoneCalendar, zoneClock,
} from '../../../src/core/report/tz';

const utc = (iso: string) => Date.parse(iso);

test('bad zones are rejected with a clear error; good ones are canonicalised', () => {
  assert.throws(() => new ZoneCalendar('Mars/Olympus'), InvalidTimeZoneError);
  assert.throws(() => validateTimeZone('Europe/Berlinn'), /unknown time zone "Europe\/Berlinn"/);
  assert.equal(validateTimeZone('UTC'), 'UTC');
  assert.equal(typeof systemTimeZone(), 'string');
});

test('UTC vs Asia/Tokyo: the same instant falls on different days', () => {
  const ms = utc('2026-03-01T16:30:00Z'); // 01:30 on Mar 2 in Tokyo
  assert.equal(new ZoneCalendar('UTC').dayKey(ms), '2026-03-01');
  const tokyo = new ZoneCalendar('Asia/Tokyo');
  assert.equal(tokyo.dayKey(ms), '2026-03-02');
  assert.equal(tokyo.hourOfDay(ms), 1);
  assert.equal(tokyo.weekday(ms), 1); // Monday
  assert.equal(tokyo.monthKey(utc('2026-03-31T15:00:00Z')), '2026-04');
  assert.equal(tokyo.monthKey(utc('2026-03-31T14:45:00Z')), '2026-03');
});

test('Asia/Kathmandu (+05:45): day boundary at 18:15 UTC, exact on 15-minute buckets', () => {
  const ktm = new ZoneCalendar('Asia/Kathmandu');
  assert.equal(ktm.offsetMs(utc('2026-01-10T00:00:00Z')), (5 * 60 + 45) * 60_000);
  assert.equal(ktm.dayKey(utc('2026-01-10T18:00:00Z')), '2026-01-10'); // 23:45 local
  assert.equal(ktm.dayKey(utc('2026-01-10T18:15:00Z')), '2026-01-11'); // 00:00 local
  assert.equal(ktm.startOfDay('2026-01-11'), utc('2026-01-10T18:15:00Z'));
  assert.equal(ktm.hourOfDay(utc('2026-01-10T18:14:59Z')), 23);
});

test('America/St_Johns (−03:30 / −02:30 in summer)', () => {
  const nl = new ZoneCalendar('America/St_Johns');
  assert.equal(nl.dayKey(utc('2026-01-15T03:15:00Z')), '2026-01-14'); // 23:45
  assert.equal(nl.dayKey(utc('2026-01-15T03:30:00Z')), '2026-01-15'); // 00:00
  assert.equal(nl.startOfDay('2026-07-01'), utc('2026-07-01T02:30:00Z'));
});

test('Europe/Berlin DST: days of 23 and 25 hours', () => {
  const ber = new ZoneCalendar('Europe/Berlin');
  // 2026-03-29: clocks go 02:00 → 03:00
  const start = ber.startOfDay('2026-03-29');
  const end = ber.startOfDay('2026-03-30');
  assert.equal(start, utc('2026-03-28T23:00:00Z'));
  assert.equal(end - start, 23 * 3_600_000);
  assert.equal(ber.hourOfDay(utc('2026-03-29T00:45:00Z')), 1);
  assert.equal(ber.hourOfDay(utc('2026-03-29T01:00:00Z')), 3);
  // 2026-10-25: clocks go 03:00 → 02:00
  assert.equal(ber.startOfDay('2026-10-26') - ber.startOfDay('2026-10-25'), 25 * 3_600_000);
  assert.equal(ber.dayKey(utc('2026-10-25T22:59:59Z')), '2026-10-25');
  assert.equal(ber.dayKey(utc('2026-10-25T23:00:00Z')), '2026-10-26');
});

test('America/New_York DST and the --since/--until range', () => {
  const ny = new ZoneCalendar('America/New_York');
  assert.equal(ny.startOfDay('2026-03-08'), utc('2026-03-08T05:00:00Z'));
  assert.equal(ny.startOfDay('2026-03-09'), utc('2026-03-09T04:00:00Z'));
  assert.equal(ny.dayKey(utc('2026-03-09T03:59:00Z')), '2026-03-08');
  const r = ny.dayRange('2026-03-08', '2026-03-08');
  assert.deepEqual(r, { sinceMs: utc('2026-03-08T05:00:00Z'), untilMs: utc('2026-03-09T04:00:00Z') });
  assert.deepEqual(ny.dayRange(undefined, '2026-12-31'), { sinceMs: undefined, untilMs: utc('2027-01-01T05:00:00Z') });
});

test('a zone whose midnight does not exist starts the day at the jump (America/Santiago)', () => {
  const scl = new ZoneCalendar('America/Santiago');
  // 2026-09-06 00:00 local does not exist (clocks go 00:00 → 01:00, −04 → −03)
  const start = scl.startOfDay('2026-09-06');
  assert.equal(scl.dayKey(start), '2026-09-06');
  assert.equal(scl.dayKey(start - 1), '2026-09-05');
});

test('startOfDayKey (dashboard export ranges) equals ZoneCalendar.startOfDay, also where midnight does not exist', () => {
  // Africa/Cairo: 2026-04-24 00:00 does not exist (00:00 EET → 01:00 EEST): the day starts at 22:00 UTC the day before
  assert.equal(startOfDayKey('2026-04-24', 'Africa/Cairo'), utc('2026-04-23T22:00:00Z'));
  assert.equal(startOfDayKey('2026-04-25', 'Africa/Cairo'), utc('2026-04-24T21:00:00Z'));
  assert.equal(startOfDayKey('2026-09-06', 'America/Santiago'), utc('2026-09-06T04:00:00Z'));
  assert.equal(startOfDayKey('2026-03-08', 'America/New_York'), utc('2026-03-08T05:00:00Z'));
  assert.equal(startOfDayKey('2026-04-24', 'Not/AZone'), utc('2026-04-24T00:00:00Z')); // unknown zone: UTC
  // every day of several years in zones with DST at midnight (and a few others)
  for (const zone of ['Africa/Cairo', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'America/Asuncion', 'America/Sao_Paulo', 'Europe/Berlin', 'Australia/Lord_Howe']) {
    const cal = new ZoneCalendar(zone);
    for (let day = '2016-01-01'; day < '2027-01-01'; day = addDaysToKey(day, 1)) {
      const start = startOfDayKey(day, zone);
      assert.equal(start, cal.startOfDay(day), `${zone} ${day}`);
      assert.equal(cal.dayKey(start), day, `${zone} ${day}`);
      assert.equal(cal.dayKey(start - 1), addDaysToKey(day, -1), `${zone} ${day}`);
    }
  }
});

test('weeks: configurable start, key = first day; ISO labels', () => {
  const utcCal = new ZoneCalendar('UTC');
  const wed = utc('2026-01-07T12:00:00Z'); // Wednesday
  assert.equal(utcCal.weekKey(wed, 1), '2026-01-05');
  assert.equal(utcCal.weekKey(wed, 0), '2026-01-04');
  assert.equal(utcCal.weekKey(wed, 3), '2026-01-07');
  assert.equal(utcCal.weekKey(utc('2026-01-04T23:00:00Z'), 1), '2025-12-29'); // Sunday belongs to the week before
  // week key across a year boundary and the local zone: Sunday 23:30 UTC is Monday in Tokyo
  assert.equal(new ZoneCalendar('Asia/Tokyo').weekKey(utc('2026-01-04T23:30:00Z'), 1), '2026-01-05');
  assert.equal(isoWeekOfDay('2026-01-01'), '2026-W01');
  assert.equal(isoWeekOfDay('2027-01-01'), '2026-W53');
  assert.equal(isoWeekOfDay('2024-12-30'), '2025-W01');
  assert.equal(utcCal.isoWeekLabel(wed), '2026-W02');
});

test('week start and date parsing', () => {
  assert.equal(parseWeekStart('monday'), 1);
  assert.equal(parseWeekStart('Sun'), 0);
  assert.equal(parseWeekStart('sat'), 6);
  assert.equal(parseWeekStart(3), 3);
  assert.throws(() => parseWeekStart('funday'), RangeError);
  assert.throws(() => parseWeekStart('m'), RangeError);
  assert.throws(() => parseDay('2026-02-30'), /invalid date/);
  assert.throws(() => parseDay('2026-2-3'), /invalid date/);
  assert.equal(parseDay('2026-02-28'), utc('2026-02-28T00:00:00Z'));
});

test('dayRange at the calendar edges: until 9999-12-31 ends at the start of year 10000, since 1970-01-01 may be before the epoch', () => {
  const y10k = Date.UTC(10000, 0, 1);
  assert.deepEqual(new ZoneCalendar('UTC').dayRange('1970-01-01', '9999-12-31'), { sinceMs: 0, untilMs: y10k });
  // +14:00 and −11:00 all year
  assert.deepEqual(new ZoneCalendar('Pacific/Kiritimati').dayRange('1970-01-01', '9999-12-31').untilMs, y10k - 14 * 3_600_000);
  assert.deepEqual(new ZoneCalendar('Pacific/Pago_Pago').dayRange('1970-01-01', '9999-12-31').untilMs, y10k + 11 * 3_600_000);
  assert.equal(new ZoneCalendar('Asia/Tokyo').dayRange('1970-01-01').sinceMs, -9 * 3_600_000);
  assert.equal(new ZoneCalendar('Europe/Berlin').dayRange(undefined, '2026-03-28').untilMs, utc('2026-03-28T23:00:00Z'));
  // years 0000–0099 are not read as 1900–1999
  assert.throws(() => parseDay('0001-01-01'), /invalid date/);
  assert.throws(() => parseDay('0070-01-01'), /invalid date/);
});

test('one rule for a bad zone past the settings and the CLI: every shared helper reads it as UTC', () => {
  const at = utc('2026-03-28T23:30:00Z'); // Sunday 00:30 in Berlin, still Saturday in UTC
  assert.equal(zoneCalendar('Mars/Olympus').timeZone, 'UTC');
  assert.equal(zoneCalendar('').dayKey(at), '2026-03-28');
  assert.deepEqual(localParts(at, 'Mars/Olympus'), { year: 2026, month: 3, day: 28, hour: 23, minute: 30, weekday: 6 });
  assert.equal(offsetAt(at, 'Mars/Olympus'), 0);
  assert.deepEqual(zoneClock('Mars/Olympus')(at), { day: '2026-03-28', hour: 23, minute: 30, weekday: 6 });
  assert.equal(bucketDayKeyer('Mars/Olympus')(at), '2026-03-28');
  assert.equal(zoneClock('Europe/Berlin')(at).day, '2026-03-29');
  assert.equal(zoneCalendar('europe/berlin'), zoneCalendar('Europe/Berlin'), 'aliases share one calendar');
});

/** Local wall clock of an instant straight from Intl, as the reference. */
const intlFormats = new Map<string, Intl.DateTimeFormat>();
function intlParts(ms: number, tz: string) {
  const f = intlFormats.get(tz) ?? new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
  intlFormats.set(tz, f);
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour) % 24, minute: Number(p.minute), weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday) };
}

test('localParts, offsetAt and zoneClock (one calendar) match Intl through a year of DST changes, including half-hour ones', () => {
  // Lord Howe moves its clock by 30 minutes, Chatham is +12:45/+13:45, St Johns −03:30/−02:30, Santiago changes at midnight
  for (const tz of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'America/Santiago', 'Asia/Kathmandu']) {
    const clock = zoneClock(tz);
    for (let ms = utc('2026-01-01T00:00:00Z'); ms < utc('2027-01-01T00:00:00Z'); ms += 45 * 60_000) {
      const want = intlParts(ms, tz);
      assert.deepEqual(localParts(ms, tz), want, `${tz} ${new Date(ms).toISOString()}`);
      const c = clock(ms);
      assert.deepEqual([c.day, c.hour, c.minute, c.weekday], [`${want.year}-${String(want.month).padStart(2, '0')}-${String(want.day).padStart(2, '0')}`, want.hour, want.minute, want.weekday]);
      assert.equal(offsetAt(ms, tz), Date.UTC(want.year, want.month - 1, want.day, want.hour, want.minute) - ms);
    }
  }
});

test('the clock memo of a zone outlives one snapshot: a second clock for the zone returns what the first read', () => {
  const at = utc('2026-07-01T10:15:00Z');
  const first = zoneClock('Asia/Tokyo')(at);
  assert.equal(zoneClock('Asia/Tokyo')(at), first);
  assert.notEqual(zoneClock('Asia/Seoul')(at), first);
  assert.equal(localParts(Number.NaN, 'Asia/Tokyo').year, 1970, 'a non-finite time reads as the epoch');
  assert.throws(() => zoneClock('Asia/Tokyo')(Number.NaN), RangeError);
});
