import { test } from 'node:test';
import assert from 'node:assert/strict';
import { teamTooltipLine } from '../../../src/host/team/teamTooltip';
import { IDLE_TEAM_PUSH } from '../../../src/host/teamPushScheduler';

const time = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const at = (hhmm: string) => Date.parse(`2026-12-06T${hhmm}:00Z`);

test('not connected: no team line; a reader window says the writer pushes', () => {
  assert.equal(teamTooltipLine({ connected: false, isWriter: true, state: IDLE_TEAM_PUSH, time }), undefined);
  assert.match(teamTooltipLine({ connected: true, isWriter: false, state: IDLE_TEAM_PUSH, time })!, /window that maintains the index pushes/);
});

test('the last successful push with its bucket count; before the first: not pushed yet', () => {
  assert.equal(teamTooltipLine({ connected: true, isWriter: true, state: IDLE_TEAM_PUSH, time }), 'Team database: not pushed yet');
  assert.equal(
    teamTooltipLine({ connected: true, isWriter: true, state: { ...IDLE_TEAM_PUSH, lastSuccessMs: at('13:05'), lastBuckets: 12345 }, time }),
    'Team database: last push 13:05 (12,345 buckets)',
  );
});

test('the last error, escaped, with the next attempt, beside the last success', () => {
  const line = teamTooltipLine({
    connected: true, isWriter: true, time,
    state: { ...IDLE_TEAM_PUSH, lastSuccessMs: at('12:00'), lastBuckets: 10, lastError: 'connect ECONNREFUSED [::1]:5432 <b>x</b>', lastErrorMs: at('13:00'), failures: 2, nextAttemptMs: at('13:01') },
  })!;
  assert.equal(line, 'Team database: last push 12:00 (10 buckets)  \n$(warning) Last push failed at 13:00: connect ECONNREFUSED \\[::1\\]:5432 \\<b\\>x\\</b\\>; next attempt 13:01');
});
