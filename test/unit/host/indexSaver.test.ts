/** IndexSaver (src/host/indexSaver.ts): back-off of failed saves, skipped saves, one save at a time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IndexSaver, retryDelayMs, type SetTimer } from '../../../src/host/indexSaver';
import type { Logger } from '../../../src/core/types';

function recorder() {
  const logs: string[] = [];
  const logger: Logger = { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`), debug: (m) => logs.push(`debug ${m}`) };
  /** retries asked for (their delay); `fire()` runs the latest one as its timer would */
  const timers: { ms: number; fn: () => void; cancelled: boolean }[] = [];
  const setTimer: SetTimer = (fn, ms) => {
    const t = { ms, fn, cancelled: false };
    timers.push(t);
    return { cancel: () => (t.cancelled = true) };
  };
  return { logs, logger, timers, setTimer };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('a failing save is retried after 1 s, 2 s, 4 s … at most 30 s, logged as an error once; a success says so and resets', async () => {
  const { logs, logger, timers, setTimer } = recorder();
  let failuresLeft = 7;
  let saved = 0;
  const saver = new IndexSaver({
    save: async () => {
      if (failuresLeft-- > 0) throw new Error('ENOSPC: no space left on device');
      saved++;
    },
    canSave: () => true, logger, debounceMs: 250, setTimer,
  });
  await saver.saveNow();
  for (let i = 0; i < 7; i++) {
    const t = timers[timers.length - 1]!;
    assert.equal(t.cancelled, false);
    t.fn(); // the retry timer fires
    await saver.idle();
  }
  assert.deepEqual(timers.map((t) => t.ms), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.equal(saved, 1);
  assert.equal(saver.failedAttempts, 0);
  assert.equal(logs.filter((l) => l.startsWith('error')).length, 1);
  assert.match(logs.find((l) => l.startsWith('error'))!, /saving the index failed: ENOSPC: no space left on device; trying again in 1 s/);
  assert.equal(logs.filter((l) => l.startsWith('debug saving the index failed')).length, 6);
  assert.ok(logs.includes('info the index is saved again (after 7 failed attempt(s))'), logs.join(' | '));
  assert.equal(timers.length, 7, 'no retry after the success');
});

test('retry delays double from 1 s and stop at the cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(n)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(retryDelayMs(3, 3000), 3000);
});

test('a save that succeeds before the retry fires cancels the retry; after dispose a failure schedules none', async () => {
  const { logger, timers, setTimer } = recorder();
  let fail = true;
  const saver = new IndexSaver({ save: async () => { if (fail) throw new Error('EACCES'); }, canSave: () => true, logger, debounceMs: 250, setTimer });
  await saver.saveNow();
  assert.equal(timers.length, 1);
  fail = false;
  await saver.saveNow(); // new usage came in and was saved
  assert.equal(timers[0]!.cancelled, true);
  fail = true;
  saver.dispose();
  await saver.saveNow().catch(() => {});
  assert.equal(timers.length, 1, 'no retry once disposed');
});

test('nothing is saved while the window may not write (not the writer, lock lost), and nothing is retried', async () => {
  const { logger, timers, setTimer } = recorder();
  let calls = 0;
  const saver = new IndexSaver({ save: async () => { calls++; }, canSave: () => false, logger, debounceMs: 250, setTimer });
  await saver.saveNow();
  assert.equal(calls, 0);
  assert.equal(timers.length, 0);
});

test('saves never overlap: a save asked for during one runs once more after it, however many asks', async () => {
  const { logger, setTimer } = recorder();
  const gates = [deferred(), deferred()];
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const saver = new IndexSaver({
    save: async () => {
      const gate = gates[calls++]!;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await gate.promise;
      inFlight--;
    },
    canSave: () => true, logger, debounceMs: 250, setTimer,
  });
  const first = saver.saveNow();
  const second = saver.saveNow();
  const third = saver.saveNow();
  await new Promise((r) => setImmediate(r));
  assert.equal(calls, 1);
  gates[0]!.resolve();
  await new Promise((r) => setImmediate(r));
  assert.equal(calls, 2, 'one more save for the asks made during the first');
  let idle = false;
  void saver.idle().then(() => (idle = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(idle, false, 'idle waits for the save queued behind');
  gates[1]!.resolve();
  await Promise.all([first, second, third, saver.idle()]);
  assert.equal(calls, 2);
  assert.equal(maxInFlight, 1);
});

test('flush runs a debounced save at once; cancel drops it', async () => {
  const { logger, setTimer } = recorder();
  let calls = 0;
  const saver = new IndexSaver({ save: async () => { calls++; }, canSave: () => true, logger, debounceMs: 60_000, setTimer });
  saver.trigger();
  saver.cancel();
  saver.flush();
  await saver.idle();
  assert.equal(calls, 0);
  saver.trigger();
  saver.flush();
  await saver.idle();
  assert.equal(calls, 1);
  saver.dispose();
});

test('the idle fold: asked once, afterIdleMs after the last successful save (each save moves it); logged when it wrote the whole file; never while the window may not write, nor after dispose', async () => {
  const { logs, logger, timers, setTimer } = recorder();
  let saves = 0;
  const folds: string[] = [];
  let foldResult = { bytes: 3 * 1048576, whole: true };
  let may = true;
  const saver = new IndexSaver({
    save: async () => { saves++; },
    canSave: () => may, logger, debounceMs: 250, setTimer,
    fold: { afterIdleMs: 300_000, run: async () => { folds.push(`after save ${saves}`); return foldResult; } },
  });
  assert.equal(timers.length, 0, 'no fold before any save');
  await saver.saveNow();
  await saver.saveNow();
  assert.deepEqual(timers.map((t) => [t.ms, t.cancelled]), [[300_000, true], [300_000, false]], 'the second save moved the wait');
  timers[1]!.fn();
  await saver.idle();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(folds, ['after save 2']);
  assert.ok(logs.some((l) => /^info the index journal was folded into the file while idle \(3\.0 MB written in \d+ ms\)$/.test(l)), logs.join(' | '));
  assert.equal(timers.length, 2, 'a fold does not arm another');

  // a fold that found a short journal wrote nothing: no log line
  foldResult = { bytes: 0, whole: false };
  await saver.saveNow();
  timers[2]!.fn();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(folds, ['after save 2', 'after save 3']);
  assert.equal(logs.filter((l) => l.includes('folded')).length, 1);

  // the window lost the right to write before the wait ended: nothing is asked
  await saver.saveNow();
  may = false;
  timers[3]!.fn();
  await new Promise((r) => setImmediate(r));
  assert.equal(folds.length, 2);

  may = true;
  await saver.saveNow();
  saver.dispose();
  assert.equal(timers[4]!.cancelled, true, 'dispose cancels the wait');
});

test('a failed fold only logs (at debug level): the journal stays and saves go on as before', async () => {
  const { logs, logger, timers, setTimer } = recorder();
  let saves = 0;
  const saver = new IndexSaver({
    save: async () => { saves++; },
    canSave: () => true, logger, debounceMs: 250, setTimer,
    fold: { afterIdleMs: 1000, run: async () => { throw new Error('ENOSPC: no space left on device'); } },
  });
  await saver.saveNow();
  timers[0]!.fn();
  await new Promise((r) => setImmediate(r));
  await saver.idle();
  assert.ok(logs.includes('debug folding the index journal while idle failed: ENOSPC: no space left on device (the journal stays; the next save tries the usual way)'), logs.join(' | '));
  assert.equal(logs.filter((l) => l.startsWith('error')).length, 0);
  await saver.saveNow();
  assert.equal(saves, 2);
  assert.equal(saver.failedAttempts, 0);
  saver.dispose();
});
