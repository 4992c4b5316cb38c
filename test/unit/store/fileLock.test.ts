import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireFileLock, parseLockHolder } from '../../../src/core/store/fileLock';
import * as h from '../ingest/helpers';

const quick = { waitMs: 150, retryMs: 20 };

test('the lock file holds pid, host and start time; a second taker waits, then learns the holder; release deletes it', async () => {
  const dir = h.tmpDir();
  const path = join(dir, 'index.sqlite.lock');
  const before = Date.now();
  const a = await acquireFileLock(path, quick);
  assert.ok(a.held);
  const rec = parseLockHolder(readFileSync(path, 'utf8'));
  assert.equal(rec?.pid, process.pid);
  assert.equal(rec?.hostname, hostname());
  assert.ok(rec && rec.sinceMs >= before && rec.sinceMs <= Date.now());

  const b = await acquireFileLock(path, quick);
  assert.equal(b.held, undefined);
  assert.deepEqual(!b.held && b.holder, rec, 'told who holds it');

  a.held.release();
  assert.equal(existsSync(path), false);
  const c = await acquireFileLock(path, quick);
  assert.ok(c.held, 'free again');
  c.held.release();
  h.cleanup(dir);
});

test('a waiting taker gets the lock as soon as the holder releases it', async () => {
  const dir = h.tmpDir();
  const path = join(dir, 'x.lock');
  const a = await acquireFileLock(path);
  assert.ok(a.held);
  setTimeout(() => a.held.release(), 200);
  const b = await acquireFileLock(path, { waitMs: 5000, retryMs: 20 });
  assert.ok(b.held);
  b.held.release();
  h.cleanup(dir);
});

test('stale locks are taken over: owner process gone on this host, or not touched for staleMs', async () => {
  const dir = h.tmpDir();
  const path = join(dir, 'x.lock');
  writeFileSync(path, JSON.stringify({ pid: 999_999_999, hostname: hostname(), sinceMs: Date.now() }));
  const dead = await acquireFileLock(path, { ...quick, isAlive: (pid) => pid !== 999_999_999 });
  assert.ok(dead.held, 'owner gone');
  assert.equal(parseLockHolder(readFileSync(path, 'utf8'))?.pid, process.pid);
  dead.held.release();

  // a live pid on another host: only its age counts
  writeFileSync(path, JSON.stringify({ pid: 1, hostname: 'elsewhere', sinceMs: Date.now() }));
  assert.equal((await acquireFileLock(path, { ...quick, isAlive: () => false })).held, undefined, 'fresh, other host');
  const old = new Date(Date.now() - 120_000);
  utimesSync(path, old, old);
  const aged = await acquireFileLock(path, { ...quick, staleMs: 60_000 });
  assert.ok(aged.held, 'not touched for 2 minutes');
  aged.held.release();

  // a record being written (empty or cut) is not stale while it is fresh
  writeFileSync(path, '{"pid":');
  assert.equal((await acquireFileLock(path, quick)).held, undefined);
  assert.deepEqual(readdirSync(dir), ['x.lock'], 'no copies left from takeovers');
  h.cleanup(dir);
});

test('release leaves a lock that another run took over in the meantime', async () => {
  const dir = h.tmpDir();
  const path = join(dir, 'x.lock');
  const a = await acquireFileLock(path);
  assert.ok(a.held);
  const other = JSON.stringify({ pid: 1, hostname: 'elsewhere', sinceMs: Date.now() });
  writeFileSync(path, other);
  a.held.release();
  assert.equal(readFileSync(path, 'utf8'), other);
  h.cleanup(dir);
});

test('the holder keeps its lock fresh while it runs', async () => {
  const dir = h.tmpDir();
  const path = join(dir, 'x.lock');
  const a = await acquireFileLock(path, { heartbeatMs: 30 });
  assert.ok(a.held);
  const old = new Date(Date.now() - 120_000);
  utimesSync(path, old, old);
  await new Promise((r) => setTimeout(r, 150));
  const b = await acquireFileLock(path, { ...quick, staleMs: 60_000, pid: 4242, isAlive: () => true });
  assert.equal(b.held, undefined, 'touched again, so not stale');
  a.held.release();
  h.cleanup(dir);
});
