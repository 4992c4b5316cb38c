import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { msToLocalMidnight, startOnOneDay } from '../../integration/harness/sameDay.mjs';

const at = (h: number, m: number, s = 0) => new Date(2026, 11, 7, h, m, s);

test('msToLocalMidnight: the time left of the local day', () => {
  assert.equal(msToLocalMidnight(at(23, 58)), 120_000);
  assert.equal(msToLocalMidnight(at(0, 0)), 86_400_000);
  assert.equal(msToLocalMidnight(at(12, 0)), 43_200_000);
});

test('a UI suite with room on today starts at once; one close to midnight waits until just after it', async () => {
  const slept: number[] = [];
  const sleep = async (ms: number) => { slept.push(ms); };
  const lines: string[] = [];
  assert.equal(await startOnOneDay(360_000, (l: string) => lines.push(l), at(23, 50), sleep), 0);
  assert.deepEqual(slept, []);
  // 23:57:30 → 150 s left of today, less than the suite's 6 min: it waits until 00:00:02
  assert.equal(await startOnOneDay(360_000, (l: string) => lines.push(l), at(23, 57, 30), sleep), 152_000);
  assert.deepEqual(slept, [152_000]);
  assert.match(lines[0], /only 150 s of today left: waiting 152 s/);
});
