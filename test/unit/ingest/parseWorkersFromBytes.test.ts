import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Indexer, listedBytes, scanLogs } from '../../../src/core/ingest/indexer';
import * as h from './helpers';

/** A worker script that claims nothing: for each batch it posts its 'done' at once (the indexing thread parses every job). */
function idleWorker(dir: string): string {
  const script = join(dir, 'idle.js');
  writeFileSync(script, `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage({ type: 'done', batch: m.batch }));`);
  return script;
}

/** Counts the worker threads started while `fn` runs (Node emits 'worker' on the process for each one). */
async function workersStartedBy(fn: () => Promise<void>): Promise<number> {
  let n = 0;
  const count = () => n++;
  process.on('worker', count);
  try {
    await fn();
  } finally {
    process.off('worker', count);
  }
  return n;
}

/** The bytes of every .jsonl file under `dir`. */
function logBytes(dir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.jsonl')) n += statSync(p).size;
    }
  };
  walk(dir);
  return n;
}

test('listedBytes: the bytes of the files a scan found', async () => {
  const dir = h.tmpDir();
  h.writeCallsAcrossFiles(dir, 5);
  const scan = await scanLogs(h.rootsFor({ claude: join(dir, 'c') }));
  assert.equal(scan.listed.length, 5);
  assert.equal(listedBytes(scan.stats, scan.found), logBytes(join(dir, 'c')));
  scan.found[0] = 0; // a file gone between the listing and its stat
  assert.equal(listedBytes(scan.stats, scan.found), logBytes(join(dir, 'c')) - scan.stats[2]);
  h.cleanup(dir);
});

test('parseWorkersFromBytes: a first index with fewer new bytes starts no parse worker; one with as many starts it; the totals are the same', async () => {
  const dir = h.tmpDir();
  const script = idleWorker(dir);
  h.writeCallsAcrossFiles(dir, 12);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const bytes = logBytes(join(dir, 'c'));
  const inProcess = await h.indexOnce(roots);

  const belowDb = await h.freshDb();
  const below = new Indexer({ db: belowDb, roots, workerScript: script, workers: 1, parseWorkersFromBytes: bytes + 1 });
  assert.equal(await workersStartedBy(async () => {
    assert.equal((await below.refresh()).filesChanged, 12);
    await below.dispose();
  }), 0, 'no worker below the threshold');

  const db = await h.freshDb();
  const atThreshold = new Indexer({ db, roots, workerScript: script, workers: 1, parseWorkersFromBytes: bytes });
  assert.equal(await workersStartedBy(async () => {
    assert.equal((await atThreshold.refresh()).filesChanged, 12);
    await atThreshold.dispose();
  }), 1, 'one worker at the threshold');
  assert.deepEqual(h.totals(db), h.totals(inProcess.db));
  assert.deepEqual(h.totals(belowDb), h.totals(inProcess.db));
  h.cleanup(dir);
});

test('parseWorkersFromBytes counts the new bytes of a refresh, not the files: an append below it parses in this thread', async () => {
  const dir = h.tmpDir();
  const script = idleWorker(dir);
  h.writeCallsAcrossFiles(dir, 6);
  const roots = h.rootsFor({ claude: join(dir, 'c') });
  const db = await h.freshDb();
  // the first index is below the threshold (the logs' bytes + 1), then two files grow by a call each: far below it
  const ix = new Indexer({ db, roots, workerScript: script, workers: 1, parseWorkersFromBytes: logBytes(join(dir, 'c')) + 1 });
  const started = await workersStartedBy(async () => {
    await ix.refresh();
    const before = h.totals(db).requests;
    for (const k of [0, 1]) h.append(join(dir, `c/projects/p${k}/s.jsonl`), h.claudeAssistant({ id: `extra${k}`, ts: '2026-04-01T12:00:00Z', usage: { input: 2, output: 3 } }));
    const r = await ix.refresh();
    await ix.dispose();
    assert.equal(r.filesChanged, 2);
    assert.equal(h.totals(db).requests, before + 2);
  });
  assert.equal(started, 0);
  h.cleanup(dir);
});
