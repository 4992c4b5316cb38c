import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriterLock, parseLockRecord } from '../../../src/host/lock';

function tmpLockPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'am-lock-')), 'writer.lock');
}

test('first window takes a free lock; a second window with a live heartbeat stays a reader', async () => {
  const path = tmpLockPath();
  let now = 1_000_000;
  const a = new WriterLock({ path, windowId: 'A', pid: 101, hostname: 'h', settleMs: 0, now: () => now, isAlive: () => true });
  const b = new WriterLock({ path, windowId: 'B', pid: 102, hostname: 'h', settleMs: 0, now: () => now, isAlive: () => true });
  assert.equal(await a.tryAcquire(), true);
  assert.equal(await b.tryAcquire(), false);
  const rec = parseLockRecord(readFileSync(path, 'utf8'));
  assert.deepEqual(rec, { pid: 101, windowId: 'A', hostname: 'h', heartbeatMs: 1_000_000 });
  // A keeps beating: B still cannot take it 7 s later
  now += 3000;
  assert.equal(await a.heartbeat(), true);
  now += 7000;
  assert.equal(await b.tryAcquire(), false);
});

test('a lock whose heartbeat is older than 8 s is taken over, and the old owner steps down', async () => {
  const path = tmpLockPath();
  let now = 5_000_000;
  const a = new WriterLock({ path, windowId: 'A', pid: 101, hostname: 'h', settleMs: 0, now: () => now, isAlive: () => true });
  const b = new WriterLock({ path, windowId: 'B', pid: 102, hostname: 'h', settleMs: 0, now: () => now, isAlive: () => true });
  assert.equal(await a.tryAcquire(), true);
  now += 8001; // A hung (no heartbeat)
  assert.equal(await b.tryAcquire(), true);
  // A wakes up: sees B's fresh record and steps down instead of overwriting it
  assert.equal(await a.heartbeat(), false);
  assert.equal(a.isHeld, false);
  assert.equal(parseLockRecord(readFileSync(path, 'utf8'))?.windowId, 'B');
});

test('a lock left by a dead process on this host is taken over at once', async () => {
  const path = tmpLockPath();
  const now = 7_000_000;
  writeFileSync(path, JSON.stringify({ pid: 999_999, windowId: 'gone', hostname: 'h', heartbeatMs: now - 100 }));
  const b = new WriterLock({ path, windowId: 'B', pid: 102, hostname: 'h', settleMs: 0, now: () => now, isAlive: (pid) => pid !== 999_999 });
  assert.equal(await b.tryAcquire(), true);
  // a different host's pid is never checked locally: only its heartbeat counts
  const path2 = tmpLockPath();
  writeFileSync(path2, JSON.stringify({ pid: 999_999, windowId: 'remote', hostname: 'other', heartbeatMs: now - 100 }));
  const c = new WriterLock({ path: path2, windowId: 'C', pid: 103, hostname: 'h', settleMs: 0, now: () => now, isAlive: () => false });
  assert.equal(await c.tryAcquire(), false);
});

test('a corrupt lock file is treated as free; release deletes only our own lock', async () => {
  const path = tmpLockPath();
  writeFileSync(path, '{not json');
  const a = new WriterLock({ path, windowId: 'A', pid: 101, hostname: 'h', settleMs: 0, isAlive: () => true });
  assert.equal(await a.tryAcquire(), true);
  await a.release();
  assert.equal(existsSync(path), false);
  assert.equal(a.isHeld, false);
  // a reader's release leaves the writer's lock alone
  const b = new WriterLock({ path, windowId: 'B', pid: 102, hostname: 'h', settleMs: 0, isAlive: () => true });
  const c = new WriterLock({ path, windowId: 'C', pid: 103, hostname: 'h', settleMs: 0, isAlive: () => true });
  assert.equal(await b.tryAcquire(), true);
  assert.equal(await c.tryAcquire(), false);
  await c.release();
  assert.equal(parseLockRecord(readFileSync(path, 'utf8'))?.windowId, 'B');
  rmSync(path);
});

test('of two windows racing for a free lock exactly one ends up holding it', async () => {
  for (let round = 0; round < 10; round++) {
    const path = tmpLockPath();
    // the shipped settle time (150 ms): with 30 ms, a window whose write+rename is held up for longer than that on a
    // loaded machine (file operations run on libuv's thread pool) can land after another window already read back
    // its own record, and both hold the lock
    const locks = ['A', 'B', 'C'].map(
      (id, i) => new WriterLock({ path, windowId: id, pid: 200 + i, hostname: 'h', settleMs: 150, isAlive: () => true }),
    );
    const held = await Promise.all(locks.map((l) => l.tryAcquire()));
    assert.equal(held.filter(Boolean).length, 1, `round ${round}: ${held}`);
    const owner = parseLockRecord(readFileSync(path, 'utf8'))?.windowId;
    assert.equal(owner, ['A', 'B', 'C'][held.indexOf(true)]);
  }
});

test('start() reports ownership changes: a reader becomes the writer after the writer stops beating', async () => {
  const path = tmpLockPath();
  const a = new WriterLock({ path, windowId: 'A', pid: 101, hostname: 'h', settleMs: 0, heartbeatMs: 20, staleMs: 400, pollMs: 20, isAlive: () => true });
  const b = new WriterLock({ path, windowId: 'B', pid: 102, hostname: 'h', settleMs: 0, heartbeatMs: 20, staleMs: 400, pollMs: 20, isAlive: () => true });
  const aEvents: boolean[] = [];
  const bEvents: boolean[] = [];
  await a.start((h) => aEvents.push(h));
  await b.start((h) => bEvents.push(h));
  assert.deepEqual(aEvents, [true]);
  assert.deepEqual(bEvents, [false]);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(bEvents, [false], 'B must not take a live lock');
  // A crashes: its timer stops and the file stays behind
  (a as unknown as { timer: NodeJS.Timeout }).timer && clearInterval((a as unknown as { timer: NodeJS.Timeout }).timer);
  const t0 = Date.now();
  while (!b.isHeld && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(bEvents, [false, true]);
  assert.ok(Date.now() - t0 < 1500, 'taken over soon after the heartbeat went stale');
  await b.release();
});

test('default timings: a crashed writer is replaced within 10 s, a closed one within ~1 s', async () => {
  // the shipped heartbeat/stale/poll values (3 s / 8 s / 1 s), real clock; only the processes are simulated
  const path = tmpLockPath();
  const a = new WriterLock({ path, windowId: 'A', pid: 101, hostname: 'h', isAlive: () => true });
  const b = new WriterLock({ path, windowId: 'B', pid: 102, hostname: 'h', isAlive: () => true });
  await a.start(() => {});
  await b.start(() => {});
  assert.equal(a.isHeld, true);
  assert.equal(b.isHeld, false);
  // A crashes (no release, its pid looks alive, e.g. a hung window): only the stale heartbeat frees the lock
  clearInterval((a as unknown as { timer: NodeJS.Timeout }).timer);
  const t0 = Date.now();
  while (!b.isHeld && Date.now() - t0 < 11_000) await new Promise((r) => setTimeout(r, 50));
  const crashMs = Date.now() - t0;
  assert.equal(b.isHeld, true, 'B took over the crashed writer\'s lock');
  assert.ok(crashMs < 10_000, `takeover after a crash took ${crashMs} ms`);
  // B's window closes cleanly (deactivate releases): C takes over at its next poll
  const c = new WriterLock({ path, windowId: 'C', pid: 103, hostname: 'h', isAlive: () => true });
  await c.start(() => {});
  assert.equal(c.isHeld, false);
  await b.release();
  // C's first poll comes ~pollMs (1 s) after its start(), i.e. right after the release; taking the lock then costs
  // settleMs (150 ms) and four file operations, which left only ~300 ms of a 1.5 s bound on a loaded machine.
  // 2 s still fails a takeover that waits for the stale heartbeat (≥ 5 s here) or a slower poll.
  const t1 = Date.now();
  while (!c.isHeld && Date.now() - t1 < 4000) await new Promise((r) => setTimeout(r, 20));
  assert.equal(c.isHeld, true);
  assert.ok(Date.now() - t1 < 2000, `takeover after a clean close took ${Date.now() - t1} ms`);
  await c.release();
});
