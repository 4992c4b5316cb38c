import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { openIndexDatabase, saveIndexDatabase, startDeferredCapture } from '../../../src/core/store/persist';
import { isCapturing } from '../../../src/core/store/changeCapture';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import * as h from '../ingest/helpers';

/**
 * `deferCapture` (the CLI's open): the change capture of the owner's saves is set up on the first write, so a run
 * that finds nothing new creates no triggers; a write made without it still reaches the file (a whole save).
 */
async function savedIndex(dir: string) {
  const { roots, claudeFile } = h.basicLogsCopy(dir);
  const file = join(dir, 'index.sqlite');
  const { db } = await h.indexOnce(roots);
  saveIndexDatabase(db, file);
  db.close();
  return { roots, claudeFile, file };
}

function appendCall(file: string, n: number): void {
  const ts = `2026-03-12T0${n % 10}:15:00.000Z`;
  h.append(file, h.claudeAssistant({ id: `msg_deferred_${n}`, ts, usage: { input: 3, output: 1, cw5m: 40, cacheRead: 1000 + n } }));
  h.append(file, h.claudeAssistant({ id: `msg_deferred_${n}`, ts, usage: { input: 3, output: 200 + n, cw5m: 40, cacheRead: 1000 + n } }));
}

async function refresh(db: Database, roots: ReturnType<typeof h.rootsFor>, beforeWrite?: () => void) {
  const indexer = new Indexer({ db, roots, beforeWrite });
  try {
    return await indexer.refresh();
  } finally {
    await indexer.dispose();
  }
}

test('deferred capture: nothing new sets up no capture; the first write starts it and the save appends to the journal', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const ix = await savedIndex(dir);
    // a run that finds nothing new: no capture, nothing to save
    let db = openIndexDatabase(SQL, ix.file, undefined, { deferCapture: true }).db;
    let calls = 0;
    const idle = await refresh(db, ix.roots, () => {
      calls++;
      startDeferredCapture(db);
    });
    assert.equal(idle.changed, false);
    assert.equal(calls, 0);
    assert.equal(isCapturing(db), false);
    db.close();

    // a run that reads a new call: the capture starts before the refresh writes, the save is a journal record
    appendCall(ix.claudeFile, 1);
    db = openIndexDatabase(SQL, ix.file, undefined, { deferCapture: true }).db;
    const before = h.totals(db).output;
    const r = await refresh(db, ix.roots, () => startDeferredCapture(db));
    assert.equal(r.changed, true);
    assert.equal(isCapturing(db), true);
    const saved = saveIndexDatabase(db, ix.file);
    assert.equal(saved.whole, false);
    assert.ok(saved.bytes > 0);
    const after = h.totals(db).output;
    assert.equal(after, before + 201);
    db.close();
    const reopened = openIndexDatabase(SQL, ix.file).db;
    assert.equal(h.totals(reopened).output, after);
    reopened.close();
  } finally {
    h.cleanup(dir);
  }
});

test('deferred capture: a write made before the capture started (or without it) is saved whole, never lost', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const ix = await savedIndex(dir);
    appendCall(ix.claudeFile, 2);
    // no beforeWrite at all: the save finds the capture still deferred
    let db = openIndexDatabase(SQL, ix.file, undefined, { deferCapture: true }).db;
    await refresh(db, ix.roots);
    let saved = saveIndexDatabase(db, ix.file);
    assert.equal(saved.whole, true);
    const afterFirst = h.totals(db).output;
    db.close();
    db = openIndexDatabase(SQL, ix.file).db;
    assert.equal(h.totals(db).output, afterFirst);
    db.close();

    // a row written before startDeferredCapture: not captured, so the next save is whole too
    appendCall(ix.claudeFile, 3);
    db = openIndexDatabase(SQL, ix.file, undefined, { deferCapture: true }).db;
    db.run("INSERT INTO meta (key, value) VALUES ('deferredCaptureTest', '1')");
    await refresh(db, ix.roots, () => startDeferredCapture(db));
    saved = saveIndexDatabase(db, ix.file);
    assert.equal(saved.whole, true);
    const afterSecond = h.totals(db).output;
    assert.equal(afterSecond, afterFirst + 203);
    db.close();
    db = openIndexDatabase(SQL, ix.file).db;
    assert.equal(h.totals(db).output, afterSecond);
    assert.deepEqual(db.exec("SELECT value FROM meta WHERE key = 'deferredCaptureTest'")[0].values, [['1']]);
    db.close();
  } finally {
    h.cleanup(dir);
  }
});
