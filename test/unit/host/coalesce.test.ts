import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesced } from '../../../src/host/coalesce';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('calls during a run make one more run, never a run beside it; each call sees a run that started after it', async () => {
  let runs = 0;
  let active = 0;
  let maxActive = 0;
  let version = 0; // state that changes between calls
  const seen: number[] = [];
  const task = coalesced(async () => {
    runs++;
    active++;
    maxActive = Math.max(maxActive, active);
    const v = version;
    await wait(30);
    seen.push(v);
    active--;
  }, () => true);
  const first = task();
  version = 1;
  const second = task();
  version = 2;
  const third = task();
  await Promise.all([first, second, third]);
  assert.equal(runs, 2, 'the first run and one more for both later calls');
  assert.equal(maxActive, 1);
  assert.deepEqual(seen, [0, 2], 'the extra run saw the state of the last call');
  await task();
  assert.equal(runs, 3, 'a call after everything finished starts a new run');
});

test('keepGoing false drops the extra run (e.g. disposed meanwhile)', async () => {
  let runs = 0;
  let disposed = false;
  const task = coalesced(async () => {
    runs++;
    await wait(20);
  }, () => !disposed);
  const a = task();
  const b = task();
  disposed = true;
  await Promise.all([a, b]);
  assert.equal(runs, 1);
});
