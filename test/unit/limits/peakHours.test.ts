import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePeakHours } from '../../../src/core/limits/peakHours';

const empty = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));

test('an office-hours user: the smallest window holding half the spend, on weekdays', () => {
  const m = empty();
  for (let d = 1; d <= 5; d++) {
    for (let h = 9; h < 18; h++) m[d][h] = 2; // steady work
    m[d][14] = m[d][15] = m[d][16] = 9; // afternoon agent runs
  }
  m[6][11] = 3; // a little on Saturday
  const p = describePeakHours(m)!;
  // total 5·(6·2 + 27) + 3 = 198; 14–17 holds 135 = 68 %
  assert.deepEqual([p.startHour, p.endHour, p.hours], [14, 17, 3]);
  assert.ok(Math.abs(p.share - 135 / 198) < 1e-12);
  assert.equal(p.days, 'weekdays');
  assert.equal(p.sentence, 'Most of your spend is 14:00–17:00 on weekdays (68%).');
});

test('a night owl on weekends: the window wraps past midnight', () => {
  const m = empty();
  for (const d of [0, 6]) { m[d][22] = 5; m[d][23] = 6; m[d][0] = 6; m[d][1] = 4; }
  m[3][20] = 4;
  const p = describePeakHours(m)!;
  assert.equal(p.startHour, 23);
  assert.equal(p.endHour, 1);
  assert.equal(p.days, 'weekends');
  assert.equal(p.sentence, 'Most of your spend is 23:00–01:00 on weekends (52%).'); // 24 of 46
});

test('even spend reads as spread; no spend gives nothing', () => {
  const m = empty().map((row) => row.map(() => 1));
  assert.equal(describePeakHours(m)!.sentence, 'Your spend is spread across the day.');
  assert.equal(describePeakHours(empty()), null);
  assert.equal(describePeakHours(m, 'usage')!.sentence, 'Your usage is spread across the day.');
});
