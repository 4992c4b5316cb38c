import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { systemTimeZone, validateTimeZone, ZoneCalendar } from '../../../src/core/report/tz';

const repo = join(__dirname, '..', '..', '..');

/** systemTimeZone() and what Intl resolves, in a Node process with the given TZ (undefined: none, /etc/localtime). */
function inChild(tz: string | undefined): { ours: string; intl: string } {
  const env: Record<string, string | undefined> = { PATH: process.env.PATH };
  if (tz !== undefined) env.TZ = tz;
  const code = `const { systemTimeZone } = require(${JSON.stringify(join(repo, 'src/core/report/tz.ts'))});
    process.stdout.write(JSON.stringify({ ours: systemTimeZone(), intl: Intl.DateTimeFormat().resolvedOptions().timeZone }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: repo, env, encoding: 'utf8' }));
}

test('the system zone is what Intl resolves, with TZ set to UTC or another zone and without TZ', () => {
  for (const tz of ['UTC', 'Etc/UTC', 'Europe/Berlin', 'America/St_Johns', '', undefined]) {
    const { ours, intl } = inChild(tz);
    assert.equal(ours, intl, `TZ=${tz}`);
  }
});

test('a UTC system is answered without Intl; another TZ value goes to Intl', () => {
  assert.equal(systemTimeZone({ TZ: 'UTC' }), 'UTC');
  assert.equal(systemTimeZone({ TZ: 'Etc/UTC' }), 'UTC');
  assert.equal(validateTimeZone('UTC'), 'UTC');
  assert.equal(validateTimeZone('Etc/UTC'), 'UTC');
  assert.equal(systemTimeZone({ TZ: '' }), Intl.DateTimeFormat().resolvedOptions().timeZone);
});

test('the UTC calendar (no Intl) gives the UTC day, hour and weekday; a zone with offsets still follows them', () => {
  const utc = new ZoneCalendar('UTC');
  for (const iso of ['2026-03-29T00:00:00Z', '2026-03-29T23:45:00Z', '2025-12-31T23:59:59Z', '2026-10-25T01:15:00Z']) {
    const ms = Date.parse(iso);
    assert.equal(utc.offsetMs(ms), 0);
    assert.equal(utc.dayKey(ms), iso.slice(0, 10));
    assert.equal(utc.hourOfDay(ms), Number(iso.slice(11, 13)));
    assert.equal(utc.weekday(ms), new Date(ms).getUTCDay());
  }
  // Berlin: CET (+1) until 01:00 UTC on 2026-03-29, CEST (+2) after; the day after shares its midnight's offset
  const berlin = new ZoneCalendar('Europe/Berlin');
  assert.equal(berlin.offsetMs(Date.parse('2026-03-29T00:45:00Z')), 3_600_000);
  assert.equal(berlin.offsetMs(Date.parse('2026-03-29T01:00:00Z')), 7_200_000);
  assert.equal(berlin.offsetMs(Date.parse('2026-03-30T00:00:00Z')), 7_200_000);
  assert.equal(berlin.offsetMs(Date.parse('2026-03-28T23:59:00Z')), 3_600_000);
  assert.equal(berlin.dayKey(Date.parse('2026-03-29T22:30:00Z')), '2026-03-30');
});
