/** TeamPushScheduler (src/host/teamPushScheduler.ts): after saves, on the period, back-off when unreachable, catch-up. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TeamPushScheduler, teamRetryDelayMs, TEAM_PUSH_AFTER_SAVE_MS, type TeamPushState } from '../../../src/host/teamPushScheduler';
import type { SetTimer } from '../../../src/host/indexSaver';
import type { Logger } from '../../../src/core/types';

/** Fake timers and clock: `fire(t)` runs a timer as it would fire, moving the clock to its time. */
function harness(o: { fail?: () => Error | undefined; canPush?: () => boolean; intervalMs?: number } = {}) {
  const logs: string[] = [];
  const logger: Logger = { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`), debug: (m) => logs.push(`debug ${m}`) };
  let clock = Date.parse('2026-12-06T10:00:00Z');
  const timers: { ms: number; at: number; fn: () => void; cancelled: boolean }[] = [];
  const setTimer: SetTimer = (fn, ms) => {
    const t = { ms, at: clock + ms, fn, cancelled: false };
    timers.push(t);
    return { cancel: () => (t.cancelled = true) };
  };
  const live = () => timers.filter((t) => !t.cancelled && !('fired' in t));
  const fire = async (t: (typeof timers)[number]) => {
    clock = t.at;
    (t as { fired?: boolean }).fired = true;
    t.fn();
    await sched.idle(); // the push the timer started
  };
  const states: TeamPushState[] = [];
  let pushes = 0;
  const sched = new TeamPushScheduler({
    push: async () => {
      pushes++;
      const e = o.fail?.();
      if (e) throw e;
      return { buckets: 42 };
    },
    canPush: o.canPush ?? (() => true),
    intervalMs: () => o.intervalMs ?? 15 * 60_000,
    logger, setTimer, now: () => clock,
    onChange: (s) => states.push(s),
  });
  return { sched, logs, timers, live, fire, states, pushes: () => pushes, clock: () => clock };
}

test('start pushes once, then every interval; the tooltip state has the last success and the next attempt', async () => {
  const h = harness({ intervalMs: 10 * 60_000 });
  h.sched.start();
  await h.sched.idle();
  const first = h.pushes();
  assert.equal(first, 1);
  assert.equal(h.sched.state.lastBuckets, 42);
  assert.equal(h.sched.state.lastError, null);
  const period = h.live();
  assert.equal(period.length, 1);
  assert.equal(period[0]!.ms, 10 * 60_000);
  assert.equal(h.sched.state.nextAttemptMs, period[0]!.at);
  await h.fire(period[0]!);
  assert.equal(h.sched.state.lastSuccessMs, period[0]!.at);
  assert.ok(h.pushes() > first);
});

test('a burst of saves is one push, a few seconds after the first', async () => {
  const h = harness();
  h.sched.start();
  await h.sched.idle();
  const before = h.pushes();
  for (let i = 0; i < 20; i++) h.sched.afterSave();
  const soon = h.live().filter((t) => t.ms === TEAM_PUSH_AFTER_SAVE_MS);
  assert.equal(soon.length, 1, 'one timer for the whole burst');
  await h.fire(soon[0]!);
  assert.equal(h.pushes(), before + 1);
  // the next save arms a new one
  h.sched.afterSave();
  assert.equal(h.live().filter((t) => t.ms === TEAM_PUSH_AFTER_SAVE_MS).length, 1);
});

test('unreachable: retries back off 30 s, 1 min, 2 min … 15 min, saves do not push meanwhile; a success resets and catches up', async () => {
  let down = true;
  const h = harness({ fail: () => (down ? new Error('connect ECONNREFUSED 127.0.0.1:5432') : undefined) });
  h.sched.start();
  await h.sched.idle();
  assert.equal(h.sched.state.lastError, 'connect ECONNREFUSED 127.0.0.1:5432');
  assert.equal(h.sched.state.lastSuccessMs, null);
  const delays: number[] = [];
  for (let i = 0; i < 7; i++) {
    const next = h.live().filter((t) => t.ms !== TEAM_PUSH_AFTER_SAVE_MS);
    assert.equal(next.length, 1);
    delays.push(next[0]!.ms);
    h.sched.afterSave(); // new usage while backing off: no extra push
    assert.equal(h.live().filter((t) => t.ms === TEAM_PUSH_AFTER_SAVE_MS).length, 0);
    await h.fire(next[0]!);
  }
  assert.deepEqual(delays, [30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
  assert.equal(delays[0], teamRetryDelayMs(1));
  assert.equal(h.sched.state.failures, 8);
  assert.equal(h.pushes(), 8);
  // one warning, the rest at debug level
  assert.equal(h.logs.filter((l) => l.startsWith('warn')).length, 1);
  assert.match(h.logs.find((l) => l.startsWith('warn'))!, /push failed: connect ECONNREFUSED.*trying again in 30 s/);
  down = false;
  const retry = h.live()[0]!;
  await h.fire(retry);
  assert.equal(h.sched.state.failures, 0);
  assert.equal(h.sched.state.lastError, null);
  assert.equal(h.sched.state.lastSuccessMs, retry.at);
  assert.ok(h.logs.includes('info team database: pushed again after 8 failed attempt(s)'), h.logs.join(' | '));
  assert.equal(h.live()[0]!.ms, 15 * 60_000, 'back to the period');
});

test('push now: runs during the back-off and rejects with the error; nothing happens when the window may not push', async () => {
  const h = harness({ fail: () => new Error('password authentication failed for user "ana"') });
  h.sched.start();
  await h.sched.idle();
  await assert.rejects(h.sched.pushNow(), /password authentication failed/);
  const idle = harness({ canPush: () => false });
  idle.sched.start();
  await idle.sched.idle();
  await idle.sched.pushNow();
  idle.sched.afterSave();
  assert.equal(idle.pushes(), 0);
  assert.equal(idle.sched.state.lastSuccessMs, null);
});

test('stop cancels the timers; reset forgets the last outcome (a new database)', async () => {
  const h = harness();
  h.sched.start();
  await h.sched.idle();
  h.sched.afterSave();
  assert.equal(h.live().length, 2);
  h.sched.stop();
  assert.equal(h.live().length, 0);
  assert.equal(h.sched.state.nextAttemptMs, null);
  assert.notEqual(h.sched.state.lastSuccessMs, null);
  h.sched.reset();
  assert.equal(h.sched.state.lastSuccessMs, null);
  h.sched.afterSave();
  assert.equal(h.live().length, 0, 'stopped: saves do not push');
});
