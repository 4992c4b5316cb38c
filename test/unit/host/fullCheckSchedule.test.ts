import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FullCheckSchedule } from '../../../src/app/fullCheckSchedule';

const S = 30_000;

/** Runs ticks every 30 s for `minutes`, `found(t)` saying whether the full check at t found new data; returns the full checks' times. */
function run(s: FullCheckSchedule, minutes: number, found: (t: number) => boolean = () => false, jitter = 0): number[] {
  const at: number[] = [];
  for (let t = 0; t <= minutes * 60_000; t += S) {
    const now = t + (at.length % 2 ? jitter : -jitter);
    if (!s.due(now)) continue;
    at.push(t);
    s.done(now, found(t));
  }
  return at;
}

test('every tick at first; each check that finds nothing doubles the gap, up to ten ticks (5 min)', () => {
  const at = run(new FullCheckSchedule(S), 30);
  assert.deepEqual(at.slice(0, 5), [0, 30_000, 90_000, 210_000, 450_000], '30 s, 60 s, 2 min, 4 min');
  const gaps = at.slice(1).map((t, i) => t - at[i]);
  assert.ok(gaps.every((g) => g <= 300_000), `never more than 5 min apart: ${gaps}`);
  assert.equal(gaps.at(-1), 300_000);
  assert.ok(at.length <= 11, `a handful of full checks in 30 min, not 61: ${at.length}`);
});

test('a check that finds new data goes back to every tick; so does a reset (the watcher asked for a look at every file)', () => {
  const s = new FullCheckSchedule(S);
  run(s, 20); // backed off
  assert.equal(s.due(20 * 60_000 + S), false);
  s.done(20 * 60_000 + 2 * S, true); // a check that found something
  assert.equal(s.due(20 * 60_000 + 3 * S), true, 'the next tick checks again');
  run(s, 10);
  s.reset();
  assert.equal(s.due(0), true);
});

test('ticks arriving a little early still count; a clock set back does not stop the checks', () => {
  const at = run(new FullCheckSchedule(S), 10, () => false, 1_000);
  assert.deepEqual(at.slice(0, 3), [0, 30_000, 90_000]);
  const s = new FullCheckSchedule(S);
  s.done(1_000_000, false);
  assert.equal(s.due(10_000), true, 'time went backwards: check');
});
