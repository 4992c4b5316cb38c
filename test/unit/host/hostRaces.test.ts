/**
 * Races between a window's refreshes, saves, rebuilds, role changes and shutdown, each driven into the bad
 * interleaving with delayed index-worker calls (serviceHarness). Each test failed before its fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, claudeLine, tokensIn, tokensInFile, foreignWriter, atomicCopy, until, wait, crashableIndexWorker } from './serviceHarness';
import { WriterLock } from '../../../src/host/lock';
import { LogWatchHost } from '../../../src/app/indexWorker/logWatch';
import { nullLogger } from '../../../src/core/types';

/** A saved index file made by a window of another storage dir from the logs as they are now. */
async function foreignFile(make: ReturnType<typeof setup>['make'], root: string): Promise<string> {
  const dir = join(root, 'otherStorage');
  const { svc } = await make('maker', { storageDir: dir });
  await svc.start();
  await svc.whenReady();
  await svc.shutdown();
  return join(dir, 'usage-index.sqlite');
}

test('closing a writer window with a pending save: VS Code\'s dispose() right after deactivate() does not cut the save short', async () => {
  const { log, storage, make } = setup();
  const { svc: a, hooks } = await make('A', { saveDebounceMs: 5000 }); // the save is still pending at the close
  await a.start();
  await a.whenReady();
  appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
  await a.refresh();
  assert.equal(await tokensIn(a), 3630);
  // extHostExtensionService: `deactivate()` is called, then `context.subscriptions` are disposed without waiting
  const closing = a.shutdown();
  a.dispose();
  await closing;
  assert.equal(await tokensInFile(join(storage, 'usage-index.sqlite')), 3630, 'the pending changes were saved');
  assert.deepEqual(hooks.logs.filter((l) => l.startsWith('error')), [], 'no "index worker exited" error');
  assert.equal(existsSync(join(storage, 'writer.lock')), false, 'the lock was handed over');
});

test('a steady stream of log changes with refresh passes slower than the stream still saves (readers keep up)', async () => {
  const { log, storage, make } = setup();
  const { svc: a, hooks } = await make('A'); // save debounce 50 ms (at most 1 s)
  await a.start();
  await a.whenReady();
  await wait(300);
  const savesBefore = hooks.calls.save ?? 0;
  hooks.refreshDelayMs = 400; // a pass over a big history or a slow disk
  let i = 10;
  const t = setInterval(() => {
    appendFileSync(log, claudeLine(i++, new Date().toISOString(), 1));
    hooks.fireLogsChanged(); // the watcher reports at least once a second under a steady stream
  }, 300);
  await wait(4000);
  clearInterval(t);
  const during = (hooks.calls.save ?? 0) - savesBefore;
  assert.ok(during >= 2, `saves during 4 s of streaming: ${during} (${hooks.calls.refresh} refresh passes)`);
  assert.ok((await tokensInFile(join(storage, 'usage-index.sqlite'))) > 2320, 'the saved file has lines of the stream');
  hooks.refreshDelayMs = 0;
  await a.shutdown();
});

test('a writer that loses the lock during a refresh stops showing "Indexing…"', async () => {
  const { log, storage, make } = setup();
  const { svc: a, hooks } = await make('A');
  await a.start();
  await a.whenReady();
  appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
  hooks.refreshDelayMs = 600;
  const r = a.refresh();
  await wait(50);
  assert.equal(a.getStatus().indexing, true);
  const other = foreignWriter(join(storage, 'writer.lock'));
  try {
    assert.ok(await until(() => !a.getStatus().isWriter, 5000), 'A stepped down');
    await r;
    assert.ok(await until(() => a.getStatus().indexing === false, 3000), 'the reader window is not indexing');
  } finally {
    other.stop();
    await a.shutdown();
  }
});

test('a writer that loses the lock during its first index (nothing saved yet) loads the new writer\'s saves', async () => {
  const { root, log, storage, make } = setup();
  appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
  const { svc: a, hooks } = await make('A');
  hooks.refreshDelayMs = 800; // a first index that takes a while
  const started = a.start();
  await until(() => (hooks.calls.refresh ?? 0) > 0, 5000);
  const other = foreignWriter(join(storage, 'writer.lock')); // e.g. A's heartbeat was stale after a suspend
  try {
    await started;
    await a.whenReady();
    assert.ok(await until(() => !a.getStatus().isWriter, 5000), 'A stepped down');
    hooks.refreshDelayMs = 0;
    await wait(300);
    assert.equal(existsSync(join(storage, 'usage-index.sqlite')), false, 'A never saved (it lost the lock first)');
    // the new writer ingests one more line and saves: A must show that file, not its own writable copy
    appendFileSync(log, claudeLine(4, new Date().toISOString(), 400));
    atomicCopy(await foreignFile(make, join(root, 'x')), join(storage, 'usage-index.sqlite'));
    assert.ok(await until(async () => (await tokensIn(a)) === 5040, 5000), `the reader shows ${await tokensIn(a)} tokens, the file 5040`);
  } finally {
    other.stop();
    await a.shutdown();
  }
});

test('a rebuild racing a writer → reader switch: the window ends up reading the new writer\'s file', async () => {
  const { root, log, storage, make } = setup();
  const { svc: a, hooks } = await make('A');
  await a.start();
  await a.whenReady();
  await until(() => existsSync(join(storage, 'usage-index.sqlite')), 3000);
  hooks.openWritableDelayMs = 800;
  const rb = a.rebuild();
  await until(() => (hooks.calls.openWritable ?? 0) >= 2, 3000); // the rebuild is re-opening the index
  const other = foreignWriter(join(storage, 'writer.lock'));
  try {
    assert.ok(await until(() => !a.getStatus().isWriter, 5000), 'A stepped down');
    await rb;
    hooks.openWritableDelayMs = 0;
    appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
    atomicCopy(await foreignFile(make, root), join(storage, 'usage-index.sqlite'));
    assert.ok(await until(async () => (await tokensIn(a)) === 3630, 5000), `the reader shows ${await tokensIn(a)} tokens, the file 3630`);
  } finally {
    other.stop();
    await a.shutdown();
  }
});

test('two rebuild requests in a row are one rebuild', async () => {
  const { make } = setup();
  const { svc: a, hooks } = await make('A');
  await a.start();
  await a.whenReady();
  const before = hooks.calls.openWritable ?? 0;
  await Promise.all([a.rebuild(), a.rebuild()]);
  assert.equal((hooks.calls.openWritable ?? 0) - before, 1, 'the index was reset once');
  assert.equal(hooks.logs.filter((l) => l === 'info the index was rebuilt from the logs').length, 1);
  assert.equal(await tokensIn(a), 2320);
  await a.shutdown();
});

test('release() during a heartbeat in flight: the lock file is gone afterwards (the heartbeat does not write it back)', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'am-lock-')), 'writer.lock');
  const lock = new WriterLock({ path, windowId: 'W', heartbeatMs: 50, settleMs: 0, pollMs: 50 });
  assert.equal(await lock.start(() => {}), true);
  const l = lock as unknown as { writeMine(): Promise<void> };
  const orig = l.writeMine.bind(lock);
  let inFlight = false;
  l.writeMine = async () => {
    inFlight = true;
    await wait(80); // a slow write (network or virus-scanned folder)
    await orig();
  };
  while (!inFlight) await wait(5);
  await lock.release();
  await wait(200);
  assert.equal(existsSync(path) ? readFileSync(path, 'utf8') : null, null);
});

test('a watcher restart racing a stop: no watcher is left running after unwatchLogs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-lw-'));
  const host = new LogWatchHost(nullLogger, () => {});
  await host.watchLogs([{ source: 'claude', dir }], false); // the writer's watcher
  const restart = host.watchLogs([{ source: 'claude', dir }], true); // polling switched on: a restart, awaiting the old watcher's close
  const stop = host.unwatchLogs(); // the lock was lost meanwhile
  await Promise.all([restart, stop]);
  assert.equal((host as unknown as { watcher?: unknown }).watcher, undefined);
});

test('a window that holds the lock but cannot read the index file shows the error, leaves the file alone and tries again', async () => {
  const { storage, make } = setup();
  mkdirSync(join(storage, 'usage-index.sqlite'), { recursive: true }); // unreadable (EISDIR), like a file held by a scanner
  const { svc: a } = await make('A', { periodicCheckMs: 300 });
  try {
    await a.start();
    await a.whenReady(); // the first attempt, with its retries, failed
    assert.equal(a.hasData(), false);
    assert.match(a.getStatus().error ?? '', /cannot read the usage index .*usage-index\.sqlite/);
    assert.ok(readdirSync(storage).every((n) => !n.includes('corrupt')), `nothing moved aside: ${readdirSync(storage).join(', ')}`);
    rmSync(join(storage, 'usage-index.sqlite'), { recursive: true }); // the other program lets go
    assert.ok(await until(async () => (await tokensIn(a)) === 2320, 8000), `the periodic check took the writer role: ${await tokensIn(a)}`);
    assert.equal(a.getStatus().isWriter, true);
    assert.equal(a.getStatus().error, undefined);
  } finally {
    await a.shutdown();
  }
});

test('the index worker crashes: the writer opens the index again and keeps counting; repeated crashes stop with an error', async () => {
  const { log, storage, make } = setup();
  const crashy = await crashableIndexWorker();
  const { svc: a, hooks } = await make('A', { indexWorkerScript: crashy.script });
  try {
    await a.start();
    await a.whenReady();
    assert.equal(await tokensIn(a), 2320);
    assert.ok(await until(() => existsSync(join(storage, 'usage-index.sqlite')), 3000), 'saved');
    crashy.crashNext();
    await assert.rejects(a.index.loadFacts(), /index worker exited \(code 7\)/);
    assert.ok(hooks.logs.some((l) => l.includes('the index worker stopped unexpectedly (exit code 7)')), 'the crash is logged');
    assert.ok(await until(async () => a.getStatus().isWriter && (await tokensIn(a).catch(() => -2)) === 2320, 8000), 'the index was opened again');
    appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
    await a.refresh();
    assert.equal(await tokensIn(a), 3630, 'and the writer keeps counting, nothing twice');

    // a crash at every open: after three losses within 10 minutes the window stops and says so
    for (let i = 0; i < 3; i++) {
      crashy.crashNext();
      await a.index.loadFacts().catch(() => {});
      await until(async () => a.getStatus().isWriter && (await tokensIn(a).catch(() => -2)) === 3630, 8000);
    }
    assert.match(a.getStatus().error ?? '', /the index worker stopped 4 times in 10 minutes/);
    assert.equal(a.getStatus().isWriter, false);
    assert.ok(await until(() => !existsSync(join(storage, 'writer.lock')), 3000), 'the writer lock is handed over');
  } finally {
    await a.shutdown();
  }
});

test('a reader loads one file at a time and ends on the newest save, however many saves arrive during a load', async () => {
  const { log, storage, make } = setup();
  const { svc: a } = await make('A');
  await a.start();
  await a.whenReady();
  await until(() => existsSync(join(storage, 'usage-index.sqlite')), 3000);
  const { svc: b, hooks } = await make('B');
  try {
    await b.start();
    await b.whenReady();
    assert.equal(b.getStatus().isWriter, false);
    hooks.delays.openReadOnly = 300; // a large index: each load takes a while
    let expected = 2320;
    for (let i = 3; i < 8; i++) {
      appendFileSync(log, claudeLine(i, new Date().toISOString(), 100 * i));
      expected += 1010 + 100 * i;
      await a.refresh();
      await wait(120); // A saves (debounce 50 ms) while B is still loading an earlier save
    }
    assert.ok(await until(async () => (await tokensIn(b)) === expected, 8000), `the reader shows ${await tokensIn(b)}, the writer ${expected}`);
    assert.equal(hooks.maxInFlight.openReadOnly, 1, 'never two loads at once');
  } finally {
    await b.shutdown();
    await a.shutdown();
  }
});

test('a failed save is tried again on its own (no new usage needed) and the error is logged once', async () => {
  const { log, storage, make } = setup();
  const { svc: a, hooks } = await make('A');
  const file = join(storage, 'usage-index.sqlite');
  try {
    await a.start();
    await a.whenReady();
    assert.ok(await until(async () => (await tokensInFile(file)) === 2320, 3000), 'first save');
    // the save's final rename fails while a folder is in the way (as it would on a full disk or a locked file)
    rmSync(file);
    mkdirSync(file);
    writeFileSync(join(file, 'x'), '');
    appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
    await a.refresh();
    assert.ok(await until(() => hooks.logs.some((l) => l.startsWith('error saving the index failed')), 3000), hooks.logs.join(' | '));
    assert.deepEqual(readdirSync(storage).filter((n) => n.includes('.tmp-')), [], 'a failed save leaves no temp copy');
    await wait(1500); // a retry fails too: logged at debug level only
    assert.equal(hooks.logs.filter((l) => l.startsWith('error saving the index failed')).length, 1);
    rmSync(file, { recursive: true });
    assert.ok(await until(async () => (await tokensInFile(file)) === 3630, 8000), 'saved by a retry, with nothing new ingested');
    // the file is renamed into place in the worker before the host hears back and logs the recovery: wait for the line
    assert.ok(await until(() => hooks.logs.some((l) => /the index is saved again \(after \d+ failed attempt/.test(l)), 3000), hooks.logs.join(' | '));
  } finally {
    await a.shutdown();
  }
});
