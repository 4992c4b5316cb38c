/** WorkerLosses (src/host/workerLosses.ts): when the window stops reopening the index after index worker losses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerLosses } from '../../../src/host/workerLosses';

const MIN = 60_000;

test('three losses within 10 minutes are tolerated, the fourth is too many; the message counts them', () => {
  const l = new WorkerLosses();
  const t0 = Date.UTC(2026, 11, 6, 5, 0);
  for (const [i, at] of [t0, t0 + MIN, t0 + 2 * MIN].entries()) {
    assert.equal(l.record(at), i + 1);
    assert.equal(l.tooOften(at), false, `loss ${i + 1}`);
  }
  l.record(t0 + 9 * MIN);
  assert.equal(l.tooOften(t0 + 9 * MIN), true);
  assert.equal(l.message(), 'the index worker stopped 4 times in 10 minutes; reload the window to try again (see AgentMeter: Show Log)');
});

test('losses older than 10 minutes no longer count', () => {
  const l = new WorkerLosses();
  const t0 = Date.UTC(2026, 11, 6, 5, 0);
  for (const at of [t0, t0 + MIN, t0 + 2 * MIN]) l.record(at);
  assert.equal(l.record(t0 + 10 * MIN), 3, 'the first loss is exactly 10 minutes old: out of the window');
  assert.equal(l.tooOften(t0 + 10 * MIN), false);
  l.record(t0 + 10 * MIN + 1);
  assert.equal(l.tooOften(t0 + 10 * MIN + 1), true, 'four within the last 10 minutes');
});
