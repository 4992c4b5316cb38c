import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hourRowsExact } from '../../../src/core/query/hourRowsExact';
import { zoneCalendar } from '../../../src/core/report/tz';

const H = 3_600_000;
const ms = (iso: string) => Date.parse(iso);
const span = (from: string, to: string) => ({ fromMs: ms(from), toMs: ms(to) });
const YEAR_2026 = span('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');

test('whole-hour zones: the hourly rows are exact, split where the offset changes (DST at a whole UTC hour)', () => {
  assert.deepEqual(hourRowsExact(zoneCalendar('UTC'), {}, true, YEAR_2026), [{ ...YEAR_2026, offsetMs: 0 }]);
  const berlin = zoneCalendar('Europe/Berlin');
  const range = berlin.dayRange('2026-03-01', '2026-11-30');
  assert.deepEqual(hourRowsExact(berlin, range, true, span('2026-03-01T05:00:00Z', '2026-11-30T18:00:00Z')), [
    { fromMs: ms('2026-03-01T05:00:00Z'), toMs: ms('2026-03-29T01:00:00Z'), offsetMs: H },
    { fromMs: ms('2026-03-29T01:00:00Z'), toMs: ms('2026-10-25T01:00:00Z'), offsetMs: 2 * H },
    { fromMs: ms('2026-10-25T01:00:00Z'), toMs: ms('2026-11-30T18:00:00Z'), offsetMs: H },
  ]);
  const ny = hourRowsExact(zoneCalendar('America/New_York'), {}, true, YEAR_2026);
  assert.deepEqual(ny?.map((s) => s.offsetMs), [-5 * H, -4 * H, -5 * H]);
  assert.equal(ny?.[1].fromMs, ms('2026-03-08T07:00:00Z'));
  // a span that starts on the day of a switch, after it
  assert.deepEqual(hourRowsExact(berlin, {}, true, span('2026-03-29T10:00:00Z', '2026-03-29T12:00:00Z')), [
    { fromMs: ms('2026-03-29T10:00:00Z'), toMs: ms('2026-03-29T12:00:00Z'), offsetMs: 2 * H },
  ]);
});

test(':30 and :45 zones need the 15-minute rows for local-time keys and for any range; other groupings without a range do not', () => {
  for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Adelaide', 'America/St_Johns']) {
    const cal = zoneCalendar(zone);
    assert.equal(hourRowsExact(cal, {}, true, YEAR_2026), null, `${zone}: day keys`);
    assert.equal(hourRowsExact(cal, cal.dayRange('2026-05-01', '2026-05-31'), false, YEAR_2026), null, `${zone}: a range of local days`);
    assert.deepEqual(hourRowsExact(cal, {}, false, YEAR_2026), [{ ...YEAR_2026, offsetMs: 0 }], `${zone}: by project, all history`);
  }
});

test('Lord Howe (+10:30 standard, +11 in summer, a half-hour DST shift): exact only over a span entirely in summer time', () => {
  const cal = zoneCalendar('Australia/Lord_Howe');
  assert.equal(hourRowsExact(cal, {}, true, YEAR_2026), null);
  // summer time ends 2026-04-05 02:00 local (+11): 2026-04-04T15:00Z
  assert.equal(hourRowsExact(cal, {}, true, span('2026-03-01T00:00:00Z', '2026-04-04T15:00:00Z'))?.length, 1);
  assert.equal(hourRowsExact(cal, {}, true, span('2026-03-01T00:00:00Z', '2026-04-04T16:00:00Z')), null);
  // the local days of a summer range start at whole UTC hours (13:00Z): a range is fine too
  const summer = cal.dayRange('2026-01-10', '2026-02-20');
  assert.equal((summer.sinceMs ?? 0) % H, 0);
  assert.equal(hourRowsExact(cal, summer, true, span('2026-01-10T00:00:00Z', '2026-02-20T00:00:00Z'))?.[0].offsetMs, 11 * H);
});

test('a range bound inside an hour always needs the 15-minute rows', () => {
  const utc = zoneCalendar('UTC');
  assert.equal(hourRowsExact(utc, { sinceMs: ms('2026-05-01T00:15:00Z') }, false, YEAR_2026), null);
  assert.equal(hourRowsExact(utc, { untilMs: ms('2026-05-01T00:30:00Z') }, true, YEAR_2026), null);
  assert.notEqual(hourRowsExact(utc, { sinceMs: ms('2026-05-01T00:00:00Z'), untilMs: ms('2026-05-02T00:00:00Z') }, true, YEAR_2026), null);
});
