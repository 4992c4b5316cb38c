/**
 * The index file opened while the window waits for the writer lock (`IndexEngine.prepareOpen`, core store/preopen.ts):
 * adopted by the writer's open only while the file and its journal are as read, so the writer always starts from the
 * file as it is when it opens it; nothing happens to the file before that.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexEngine, type StatusSettings } from '../../../src/app/indexWorker/engine';
import type { IndexUpdate } from '../../../src/app/indexApi';
import { adoptPreopened, preopenIndexDatabase } from '../../../src/core/store/preopen';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { nullLogger } from '../../../src/core/types';
import * as h from '../ingest/helpers';

const engine = (updates: IndexUpdate[] = []) => new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger, onUpdate: (u) => updates.push(u) });
const requests = (e: IndexEngine) => e.loadFacts().reduce((n, f) => n + f.requests, 0);
const settings: StatusSettings = { timeZone: 'Asia/Tokyo', weekStart: 1, billingCycleStartDay: 1, budgets: {}, priceOverrides: {}, claudePlan: { plan: 'auto' } };

/** A log folder copied from the fixtures, its index saved whole and then once through the journal. */
async function savedIndex() {
  const dir = h.tmpDir();
  const { roots, claudeFile } = h.basicLogsCopy(dir);
  const file = join(dir, 'usage-index.sqlite');
  const writer = engine();
  await writer.openWritable(file);
  await writer.startIndexer(roots);
  await writer.refresh();
  assert.equal((await writer.save(file)).whole, true);
  let n = 0;
  /** one more call in the log (streamed copy, then the final one), ingested and saved by `e` */
  const addCall = async (e: IndexEngine) => {
    const ts = `2026-03-12T1${n}:00:00.000Z`;
    const id = `msg_preopen_${n++}`;
    h.append(claudeFile, h.claudeAssistant({ id, ts, usage: { input: 7, output: 1, cacheRead: 400 } }));
    h.append(claudeFile, h.claudeAssistant({ id, ts, usage: { input: 7, output: 91, cacheRead: 400 } }));
    await e.refresh();
    return e.save(file);
  };
  assert.equal((await addCall(writer)).whole, false, 'the second save appends to the journal');
  return { dir, file, roots, writer, addCall };
}

test('pre-opened while the lock is taken, then adopted: the same data, pushed on open, and its saves still append to the journal', async () => {
  const s = await savedIndex();
  const expected = requests(s.writer);
  await s.writer.close();
  const updates: IndexUpdate[] = [];
  const next = engine(updates);
  try {
    next.configureStatus(settings);
    await next.prepareOpen(s.file);
    assert.equal(updates.length, 0, 'nothing pushed before the open');
    await next.openWritable(s.file);
    assert.equal(requests(next), expected);
    const open = updates.filter((u) => u.reason === 'open');
    assert.equal(open.length, 1);
    assert.equal(open[0].summary?.timeZone, 'Asia/Tokyo');
    await next.startIndexer(s.roots);
    assert.equal((await s.addCall(next)).whole, false, 'the adopted database still tracks its saves');
    const after = requests(next);
    assert.equal(after, expected + 1);
    await next.close();
    const third = engine();
    await third.openWritable(s.file);
    assert.equal(requests(third), after, 'the journal record of the adopted database is read back');
    await third.close();
  } finally {
    h.cleanup(s.dir);
  }
});

test('the file saved by another window between the early open and the lock: the writer opens the file as it is now', async () => {
  const s = await savedIndex();
  const late = engine();
  try {
    late.configureStatus(settings);
    await late.prepareOpen(s.file);
    // the window that still holds the lock saves one more call (a journal record)
    assert.equal((await s.addCall(s.writer)).whole, false);
    const expected = requests(s.writer);
    await s.writer.close();
    await late.openWritable(s.file);
    assert.equal(requests(late), expected, 'the call saved after the early open is there');
    await late.close();
  } finally {
    h.cleanup(s.dir);
  }
});

test('a window that becomes a reader drops the early open and loads the file as readers do', async () => {
  const s = await savedIndex();
  const reader = engine();
  try {
    await reader.prepareOpen(s.file);
    await s.addCall(s.writer);
    assert.equal(await reader.openReadOnly(s.file), true);
    assert.equal(requests(reader), requests(s.writer));
    await s.writer.close();
    await reader.close();
  } finally {
    h.cleanup(s.dir);
  }
});

test('core: adopted only while the file and its journal are unchanged; a missing or damaged file gives nothing and stays where it is', async () => {
  const SQL = await loadSqlJs();
  const s = await savedIndex();
  try {
    const p = preopenIndexDatabase(SQL, s.file, nullLogger);
    assert.ok(p);
    assert.equal(adoptPreopened(p, s.file), p.db, 'unchanged: the pre-opened database');
    p.db.close();

    const q = preopenIndexDatabase(SQL, s.file, nullLogger);
    assert.ok(q);
    await s.addCall(s.writer); // the journal grows
    assert.equal(adoptPreopened(q, s.file), undefined, 'the journal changed');

    const r = preopenIndexDatabase(SQL, s.file, nullLogger);
    assert.ok(r);
    assert.equal(adoptPreopened(r, `${s.file}.other`), undefined, 'another file');

    assert.equal(preopenIndexDatabase(SQL, join(s.dir, 'absent.sqlite'), nullLogger), undefined);
    await s.writer.close();
    const damaged = join(s.dir, 'damaged.sqlite');
    const bytes = readFileSync(s.file);
    writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
    assert.equal(preopenIndexDatabase(SQL, damaged, nullLogger), undefined);
    assert.ok(existsSync(damaged), 'left where it is: moving it aside is the owner\'s');
    assert.deepEqual(readdirSync(s.dir).filter((n) => n.includes('corrupt')), []);
  } finally {
    h.cleanup(s.dir);
  }
});

test('the summary made on the pre-opened index is the one the open pushes (no second summary); new settings meanwhile: summarised again', async () => {
  const s = await savedIndex();
  await s.writer.close();
  const proto = IndexEngine.prototype as unknown as { summaryOf: (...a: unknown[]) => unknown };
  const summaryOf = proto.summaryOf;
  let summaries = 0;
  proto.summaryOf = function (this: unknown, ...a: unknown[]) {
    summaries++;
    return summaryOf.apply(this, a);
  };
  try {
    for (const changeSettings of [false, true]) {
      summaries = 0;
      const updates: IndexUpdate[] = [];
      const next = engine(updates);
      next.configureStatus(settings);
      await next.prepareOpen(s.file);
      assert.equal(summaries, 1, 'the early open summarises once (warm-up and the first update)');
      if (changeSettings) next.configureStatus({ ...settings, timeZone: 'Europe/Paris' });
      const before = summaries;
      await next.openWritable(s.file);
      const open = updates.filter((u) => u.reason === 'open');
      assert.equal(open.length, 1);
      assert.equal(summaries - before, changeSettings ? 1 : 0, changeSettings ? 'other settings: a new summary' : 'pushed as made');
      assert.equal(open[0].summary?.timeZone, changeSettings ? 'Europe/Paris' : 'Asia/Tokyo');
      // what was pushed is what a summary now gives
      const now = next.statusSummary({ ...(changeSettings ? { ...settings, timeZone: 'Europe/Paris' } : settings), nowMs: Date.now() });
      assert.deepEqual(open[0].summary?.today, now?.today);
      assert.deepEqual(open[0].summary?.planLimit, now?.planLimit);
      await next.close();
    }
  } finally {
    proto.summaryOf = summaryOf;
    h.cleanup(s.dir);
  }
});
