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
