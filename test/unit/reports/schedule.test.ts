import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterWriting, allDue, duePeriods, nextRunMs, scheduledFileName } from '../../../src/app/reports/schedule';

const at = (iso: string) => Date.parse(iso);
const days = (r: { due: { since: string; until: string }[] }) => r.due.map((p) => `${p.since}..${p.until}`);

test('first run: only the latest ended period', () => {
  const now = at('2026-03-10T09:00:00Z');
  assert.deepEqual(days(duePeriods('daily', undefined, now, 'UTC', 1)), ['2026-03-09..2026-03-09']);
  assert.deepEqual(days(duePeriods('weekly', undefined, now, 'UTC', 1)), ['2026-03-02..2026-03-08']);
  assert.deepEqual(days(duePeriods('monthly', undefined, now, 'UTC', 1)), ['2026-02-01..2026-02-28']);
});

test('on time: nothing due until the period has ended, then exactly it', () => {
  const tz = 'Europe/Berlin';
  assert.deepEqual(duePeriods('daily', '2026-03-09', at('2026-03-10T22:59:00Z'), tz, 1).due, []);
  assert.deepEqual(days(duePeriods('daily', '2026-03-09', at('2026-03-10T23:00:00Z'), tz, 1)), ['2026-03-10..2026-03-10']);
  assert.deepEqual(duePeriods('monthly', '2026-02-01', at('2026-03-31T21:59:00Z'), tz, 1).due, []);
  assert.deepEqual(days(duePeriods('monthly', '2026-02-01', at('2026-03-31T22:00:00Z'), tz, 1)), ['2026-03-01..2026-03-31']);
});

test('missed while closed: one report per missed period, oldest first, capped at the newest', () => {
  const now = at('2026-03-10T09:00:00Z');
  assert.deepEqual(days(duePeriods('daily', '2026-03-06', now, 'UTC', 1)), ['2026-03-07..2026-03-07', '2026-03-08..2026-03-08', '2026-03-09..2026-03-09']);
  const long = duePeriods('daily', '2026-01-01', now, 'UTC', 1);
  assert.equal(long.due.length, 7);
  assert.equal(long.due[0].since, '2026-03-03');
  assert.equal(long.due.at(-1)!.since, '2026-03-09');
  assert.equal(long.skipped, 67 - 7);
  assert.deepEqual(days(duePeriods('monthly', '2025-11-01', now, 'UTC', 1)), ['2025-12-01..2025-12-31', '2026-01-01..2026-01-31', '2026-02-01..2026-02-28']);
  assert.deepEqual(days(duePeriods('weekly', '2026-02-16', now, 'UTC', 1)), ['2026-02-23..2026-03-01', '2026-03-02..2026-03-08']);
});

test('a time-zone change never writes a period twice', () => {
  // written "yesterday" in Tokyo (2026-03-10 there), then the user moves to Los Angeles where it is still the 9th
  const now = at('2026-03-10T20:00:00Z'); // Tokyo: 11th 05:00; LA: 10th 13:00
  const tokyo = duePeriods('daily', undefined, now, 'Asia/Tokyo', 1);
  assert.deepEqual(days(tokyo), ['2026-03-10..2026-03-10']);
  const state = afterWriting({}, tokyo.due[0]);
  assert.deepEqual(duePeriods('daily', state.daily, now, 'America/Los_Angeles', 1).due, []);
  // moving east instead: the day that has ended there is written once
  assert.deepEqual(days(duePeriods('daily', '2026-03-08', now, 'Asia/Tokyo', 1)), ['2026-03-09..2026-03-09', '2026-03-10..2026-03-10']);
  // the state never moves back
  assert.equal(afterWriting({ daily: '2026-03-10' }, { kind: 'daily', since: '2026-03-09', until: '2026-03-09' }).daily, '2026-03-10');
});

test('DST: the next run is the next local midnight, 23 or 25 hours after the previous one', () => {
  const tz = 'Europe/Berlin';
  assert.equal(nextRunMs('daily', at('2026-03-28T12:00:00Z'), tz, 1), at('2026-03-28T23:00:00Z'));
  assert.equal(nextRunMs('daily', at('2026-03-29T12:00:00Z'), tz, 1), at('2026-03-29T22:00:00Z'));
  assert.equal(nextRunMs('daily', at('2026-10-25T12:00:00Z'), tz, 1), at('2026-10-25T23:00:00Z'));
  assert.equal(nextRunMs('weekly', at('2026-03-25T12:00:00Z'), tz, 1), at('2026-03-29T22:00:00Z')); // Monday 30th 00:00 CEST
  assert.equal(nextRunMs('monthly', at('2026-12-15T12:00:00Z'), tz, 1), at('2026-12-31T23:00:00Z'));
  // at 00:30 after the spring-forward night, Sunday (a 23-hour day) has ended: due once
  assert.deepEqual(days(duePeriods('daily', '2026-03-28', at('2026-03-29T22:30:00Z'), tz, 1)), ['2026-03-29..2026-03-29']);
  assert.deepEqual(duePeriods('daily', '2026-03-29', at('2026-03-29T22:30:00Z'), tz, 1).due, []);
});

test('a changed week start does not write the week holding the last one again', () => {
  const now = at('2026-03-10T09:00:00Z'); // Tuesday
  // last written: the Monday week of 2026-03-02; now weeks start on Sunday: the ended Sunday week 03-01..03-07 overlaps it
  assert.deepEqual(duePeriods('weekly', '2026-03-02', now, 'UTC', 0).due, []);
});

test('all kinds together, and file names', () => {
  const r = allDue(['monthly', 'daily'], { daily: '2026-03-08', monthly: '2026-02-01' }, at('2026-03-10T09:00:00Z'), 'UTC', 1);
  assert.deepEqual(r.due.map((p) => p.kind), ['daily']);
  assert.equal(scheduledFileName({ kind: 'monthly', since: '2026-02-01', until: '2026-02-28' }, 'summary', 'pdf'), 'agentmeter-monthly-2026-02.pdf');
  assert.equal(scheduledFileName({ kind: 'daily', since: '2026-03-09', until: '2026-03-09' }, 'project', 'xlsx'), 'agentmeter-daily-project-2026-03-09.xlsx');
  // from the team database (agentMeter.reports.scope): never the same file as this machine's report
  assert.equal(scheduledFileName({ kind: 'weekly', since: '2026-03-02', until: '2026-03-08' }, 'summary', 'html', 'team'), 'agentmeter-team-weekly-2026-03-02.html');
  assert.equal(scheduledFileName({ kind: 'daily', since: '2026-03-09', until: '2026-03-09' }, 'model', 'md', 'me-all'), 'agentmeter-all-machines-daily-model-2026-03-09.md');
});
