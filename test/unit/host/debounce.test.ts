import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debounce } from '../../../src/host/debounce';

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
  const start = Date.now();
  while (Date.now() - start < 260) {
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
