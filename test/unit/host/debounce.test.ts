import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debounce } from '../../../src/app/debounce';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a burst of triggers runs the function once, after the quiet period', async () => {
  let calls = 0;
  const d = debounce(() => calls++, 40);
  for (let i = 0; i < 10; i++) {
    d.trigger();
    await wait(5);
  }
  assert.equal(calls, 0);
  assert.equal(d.pending, true);
  await wait(80);
  assert.equal(calls, 1);
  assert.equal(d.pending, false);
});

test('maxWait bounds the delay under a steady stream of triggers', async () => {
  let calls = 0;
  const d = debounce(() => calls++, 50, 100);
  // triggers every 10 ms (well inside the 50 ms quiet period) until two calls were made: a fixed 260 ms window could
  // lose a call when the process is descheduled for ~100 ms on a loaded machine. Without maxWait the steady stream
  // never lets the debounce fire, so this still fails (after 3 s).
  const start = Date.now();
  while (calls < 2 && Date.now() - start < 3000) {
    d.trigger();
    await wait(10);
  }
  d.cancel();
  assert.ok(calls >= 2, `expected at least 2 calls, got ${calls}`);
});

test('flush runs a pending call now; cancel drops it', async () => {
  let calls = 0;
  const d = debounce(() => calls++, 1000);
  d.trigger();
  d.flush();
  assert.equal(calls, 1);
  d.flush();
  assert.equal(calls, 1, 'flush without a pending call does nothing');
  d.trigger();
  d.cancel();
  await wait(20);
  assert.equal(calls, 1);
});

test('leading: a trigger after a quiet spell runs on the next turn; the rest of its burst runs once at the trailing edge', async () => {
  const at: number[] = [];
  const start = Date.now();
  const d = debounce(() => at.push(Date.now() - start), 300, Infinity, { leading: true });
  d.trigger();
  assert.equal(at.length, 0, 'never synchronously inside trigger()');
  await wait(20);
  assert.equal(at.length, 1, 'the first trigger ran without waiting out the 300 ms window');
  // a burst right after the leading call: coalesced into one trailing call, not another leading one
  for (let i = 0; i < 5; i++) d.trigger();
  assert.equal(d.pending, true);
  await wait(20);
  assert.equal(at.length, 1, 'triggers within the window after a call wait for the trailing edge');
  while (d.pending) await wait(20);
  assert.equal(at.length, 2, 'the burst ran exactly once more');
  assert.ok(at[1]! - at[0]! >= 250, `trailing call ${at[1]! - at[0]!} ms after the leading one`);
});

test('leading: triggers before the leading call has run join it', async () => {
  let calls = 0;
  const d = debounce(() => calls++, 300, Infinity, { leading: true });
  d.trigger();
  d.trigger();
  d.trigger();
  await wait(20);
  assert.equal(calls, 1);
  assert.equal(d.pending, false, 'nothing left pending: the triggers were part of the leading call');
  d.cancel();
});

test('without leading, a single trigger still waits the quiet period', async () => {
  let calls = 0;
  const d = debounce(() => calls++, 200);
  d.trigger();
  await wait(20);
  assert.equal(calls, 0);
  d.cancel();
});
