/**
 * A window opens the index file early (the worker's `prepareOpen`, adopted when it becomes the writer) only when no
 * other window holds the writer lock: a window that finds a live writer reads that writer's saves, and the early
 * open would only be dropped. A lock whose holder stopped is taken over: that window opens early.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setup, foreignWriter, tokensIn, until } from './serviceHarness';

test('another window holds the lock: this window reads its saves and opens nothing early', async () => {
  const { storage, make } = setup();
  // the writer window and its save (window A of this test, then a live foreign record in the lock)
  const { svc: a } = await make('A');
  await a.start();
  await a.whenReady();
  await a.shutdown();
  mkdirSync(storage, { recursive: true });
  const other = foreignWriter(join(storage, 'writer.lock'));
  const { svc: b, hooks } = await make('B');
  try {
    await b.start();
    await b.whenReady();
    assert.equal(b.getStatus().isWriter, false, 'B reads');
    assert.ok(await until(async () => (await tokensIn(b)) === 2320, 5000), 'B shows the saved index');
    assert.equal(hooks.calls.prepareOpen ?? 0, 0, 'B did not open the file early');
    assert.ok((hooks.calls.openReadOnly ?? 0) >= 1, 'B loaded the writer\'s save');
  } finally {
    other.stop();
    await b.shutdown();
  }
});

test('no live writer (none, or one whose heartbeat went stale): the window opens early and adopts it as the writer', async () => {
  const { storage, make } = setup();
  mkdirSync(storage, { recursive: true });
  // a record left by a window that stopped long ago
  writeFileSync(join(storage, 'writer.lock'), JSON.stringify({ pid: process.pid, windowId: 'gone', hostname: hostname(), heartbeatMs: Date.now() - 60_000 }));
  const { svc: a, hooks } = await make('A');
  try {
    await a.start();
    await a.whenReady();
    assert.equal(a.getStatus().isWriter, true, 'A took the stale lock');
    assert.equal(hooks.calls.prepareOpen, 1, 'A opened the file early');
    assert.equal(await tokensIn(a), 2320);
  } finally {
    await a.shutdown();
  }
});
