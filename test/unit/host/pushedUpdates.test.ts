/**
 * "Push, don't poll": the index worker pushes one update (data version + status summary) after each commit and each
 * load; the window never asks for a summary in between. During a first index the summaries of its batches are
 * throttled so they take at most a small share of the worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, claudeLine, tokensIn, until, wait, crashableIndexWorker } from './serviceHarness';
import { statusBarItems } from './fakeVscode';
import { PriceTableCache } from '../../../src/app/prices';
import { formatTokens } from '../../../src/app/status/statusText';
import { bundledIndexWorker } from './bundleIndexWorker';
import { startIndexWorker } from '../../../src/app/indexWorker/client';
import type { IndexUpdate } from '../../../src/app/indexApi';
import { statusSettingsOf } from '../../../src/app/status/statusSettings';
import { parseSettings } from '../../../src/app/settingsParse';
import { nullLogger } from '../../../src/core/types';
import { cleanup, rootsFor, tmpDir } from '../ingest/helpers';

const settings = parseSettings(() => undefined).settings;
// loaded after the fake `vscode` (serviceHarness installs it)
const { StatusBarController } = require('../../../src/host/statusBar') as typeof import('../../../src/host/statusBar');
const channel = { error() {}, warn() {}, info() {}, debug() {} } as unknown as import('vscode').LogOutputChannel;
/** Host requests that would compute a summary on the host's behalf. */
const summaryRequests = (calls: Record<string, number>) => (calls.statusSummary ?? 0) + (calls.publishStatus ?? 0);

test('an appended Claude line reaches the window as exactly one pushed update with the new totals; the window asks for no summary', async () => {
  const { log, make } = setup();
  const { svc, hooks } = await make('A', { periodicCheckMs: 600_000 }); // no 30 s check refresh in between
  const bar = new StatusBarController(svc, new PriceTableCache(() => {}), channel);
  const item = statusBarItems.at(-1)!;
  try {
    await svc.start();
    await svc.whenReady();
    assert.equal(await tokensIn(svc), 2320);
    // the worker's watcher is ready (its start-up walk ends with one full refresh), and that refresh is done
    assert.ok(await until(() => hooks.logs.some((l) => l.includes('file watcher ready')), 10_000), 'watcher ready');
    assert.ok(await until(() => !svc.getStatus().indexing, 5000));
    // no refresh in flight or about to start (on a loaded machine the start-up walk's refresh can come late): the
    // refresh count stays the same for 600 ms
    for (let i = 0, n = -1; i < 40 && n !== (hooks.calls.refresh ?? 0); i++) {
      n = hooks.calls.refresh ?? 0;
      await wait(600);
    }
    const before = svc.model.summary;
    assert.ok(before, 'the open and the first refresh pushed a summary');
    const calls = { ...hooks.calls };
    const seen = hooks.updates.length;

    appendFileSync(log, claudeLine(3, new Date().toISOString(), 300)); // 10 + 300 + 1000 tokens
    assert.ok(await until(() => hooks.updates.length > seen, 5000), 'an update was pushed');
    assert.ok(await until(() => (hooks.calls.save ?? 0) > (calls.save ?? 0), 5000), 'and the writer saved');
    const pushed = hooks.updates.slice(seen);
    assert.equal(pushed.length, 1, `one update: ${JSON.stringify(pushed.map((u) => u.reason))}`);
    const [u] = pushed as [IndexUpdate];
    assert.equal(u.reason, 'ingest');
    assert.equal(u.summary?.today.totalTokens, before.today.totalTokens + 1310, 'the update carries the new totals');
    assert.equal(u.summary?.month.totalTokens, before.month.totalTokens + 1310);
    assert.equal(svc.model.summary, u.summary, 'the window\'s model holds it');
    assert.equal(summaryRequests(hooks.calls) - summaryRequests(calls), 0, 'no summary request from the window');
    assert.equal((hooks.calls.refresh ?? 0) - (calls.refresh ?? 0), 1, 'one worker refresh');
    assert.ok(hooks.logs.some((l) => /debug refresh: 1\/1 files changed/.test(l)), `the refresh stat'ed only the changed file:\n${hooks.logs.filter((l) => l.includes('refresh:')).join('\n')}`);
    // the status bar shows the pushed summary (it asked for nothing either)
    const tooltip = (item.tooltip as { value: string }).value;
    assert.ok(tooltip.includes(`**This week**: `) && tooltip.includes(`${formatTokens(u.summary!.week.totalTokens, 'en')} tokens`), tooltip);
    assert.equal(bar.view?.text, item.text);
  } finally {
    bar.dispose();
    await svc.shutdown();
  }
});

test('a reader window gets an update with the writer\'s new totals after the writer saves, without asking for it', async () => {
  const { log, make } = setup();
  const { svc: a } = await make('A');
  await a.start();
  await a.whenReady();
  const { svc: b, hooks } = await make('B');
  try {
    await b.start();
    await b.whenReady();
    assert.equal(b.getStatus().isWriter, false);
    assert.ok(await until(() => b.model.summary?.today.totalTokens !== undefined, 5000), 'the reader\'s first load pushed a summary');
    const before = b.model.summary!.today.totalTokens;
    const calls = { ...hooks.calls };
    appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
    await a.refresh();
    assert.ok(await until(() => b.model.summary?.today.totalTokens === before + 1310, 5000), 'the reader shows the new totals');
    const u = b.model.latest!;
    assert.equal(u.reason, 'load', 'pushed by the reload of the saved file');
    assert.equal(summaryRequests(hooks.calls) - summaryRequests(calls), 0, 'no summary request from the reader');
    assert.ok((hooks.calls.openReadOnly ?? 0) > (calls.openReadOnly ?? 0));
  } finally {
    await b.shutdown();
    await a.shutdown();
  }
});

test('a long first index: batch summaries are throttled (at most one per max(1 s, 30 × their cost)), the first goes out at once', async () => {
  const dir = tmpDir();
  const projects = join(dir, 'claude', 'projects', '-home-me-app');
  mkdirSync(projects, { recursive: true });
  const now = Date.now();
  const FILES = 120;
  for (let k = 0; k < FILES; k++) {
    let text = '';
    for (let i = 0; i < 40; i++) text += claudeLine(k * 1000 + i, new Date(now - k * 3_600_000 - i * 1000).toISOString(), 50);
    writeFileSync(join(projects, `s-${k}.jsonl`), text.replaceAll('"sessionId":"sess-1"', `"sessionId":"s-${k}"`));
  }
  const roots = rootsFor({ claude: join(dir, 'claude') });
  const COST = 100; // every summary made artificially this expensive
  const w = startIndexWorker({ script: await bundledIndexWorker(), wasmPath: '', ingestWorkerScript: '', logger: nullLogger, statusExtraCostMs: COST });
  const updates: Array<IndexUpdate & { atMs: number }> = [];
  let refreshing = false;
  w.onUpdate((u) => updates.push({ ...u, atMs: performance.now(), during: refreshing } as IndexUpdate & { atMs: number }));
  try {
    await w.configureStatus(statusSettingsOf(settings));
    await w.openWritable(join(dir, 'index.sqlite'));
    await w.startIndexer(roots);
    updates.length = 0;
    let files = 0;
    refreshing = true;
    const t0 = performance.now();
    // a batch after every file: without the throttle, a summary after each of them
    const r = await w.refresh((p) => (files = p.filesDone), { flushEveryMs: 0 });
    const elapsed = performance.now() - t0;
    refreshing = false;
    assert.equal(r?.filesChanged, FILES);
    assert.equal(files, FILES);
    const batches = updates.filter((u) => u.reason === 'batch');
    const last = updates.at(-1)!;
    assert.equal(last.reason, 'ingest', 'the end of the index pushes its summary');
    assert.equal(last.summary?.today.totalTokens !== undefined, true);
    console.log(`      (${batches.length} batch summaries in ${Math.round(elapsed)} ms of a first index of ${FILES} batches)`);
    assert.ok(batches.length >= 1, 'the first batch\'s summary went out');
    assert.ok(batches[0]!.atMs - t0 < elapsed / 2, `the first batch's summary came early (${Math.round(batches[0]!.atMs - t0)} of ${Math.round(elapsed)} ms)`);
    assert.ok(batches.length <= 1 + Math.floor(elapsed / 1000), `${batches.length} batch summaries in ${Math.round(elapsed)} ms (${FILES - 1} batches)`);
    assert.ok(batches.length < FILES / 4, 'most batches pushed nothing');
    for (const b of batches) assert.ok(b.summaryMs >= COST, 'each summary cost at least the artificial cost');
    const spent = batches.reduce((n, b) => n + b.summaryMs, 0);
    const maxCost = Math.max(...batches.map((b) => b.summaryMs));
    assert.ok(spent <= elapsed / 30 + 2 * maxCost, `summaries took ${Math.round(spent)} of ${Math.round(elapsed)} ms`);
    // versions only grow, the last one carries everything
    for (let i = 1; i < updates.length; i++) assert.ok(updates[i]!.version > updates[i - 1]!.version);
    assert.equal(last.summary?.week.totalTokens !== undefined, true);
  } finally {
    await w.terminate();
    cleanup(dir);
  }
});

test('new status settings are sent once and answered with one pushed summary; the tick asks for one', async () => {
  const dir = tmpDir();
  const projects = join(dir, 'claude', 'projects', '-home-me-app');
  mkdirSync(projects, { recursive: true });
  writeFileSync(join(projects, 'sess-1.jsonl'), claudeLine(1, new Date(Date.now() - 60_000).toISOString(), 100));
  const roots = rootsFor({ claude: join(dir, 'claude') });
  const w = startIndexWorker({ script: await bundledIndexWorker(), wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  const updates: IndexUpdate[] = [];
  w.onUpdate((u) => updates.push(u));
  try {
    await w.configureStatus(statusSettingsOf(settings));
    assert.equal(updates.length, 0, 'no database yet: nothing to push');
    await w.openWritable(join(dir, 'index.sqlite'));
    await w.startIndexer(roots);
    await w.refresh();
    assert.deepEqual(updates.map((u) => u.reason), ['open', 'ingest']);
    assert.equal(updates[1]!.summary?.timeZone, settings.timeZone);
    await w.configureStatus(statusSettingsOf({ ...settings, timeZone: 'Asia/Tokyo' }));
    assert.equal(updates.at(-1)?.reason, 'settings');
    assert.equal(updates.at(-1)?.summary?.timeZone, 'Asia/Tokyo');
    assert.equal(updates.at(-1)?.version, updates[1]!.version, 'same data, same version');
    await w.publishStatus();
    assert.equal(updates.at(-1)?.reason, 'asked');
    assert.equal(updates.at(-1)?.summary?.timeZone, 'Asia/Tokyo', 'the settings stay in the worker');
    await w.refresh(); // nothing new: no update
    assert.equal(updates.length, 4);
  } finally {
    await w.terminate();
    cleanup(dir);
  }
});

test('after the index worker crashed, the new worker gets the status settings again and pushes summaries', async () => {
  const { log, make } = setup();
  const crashy = await crashableIndexWorker();
  const { svc, hooks } = await make('A', { indexWorkerScript: crashy.script });
  try {
    await svc.start();
    await svc.whenReady();
    assert.ok(await until(() => svc.model.summary !== null && (hooks.calls.save ?? 0) > 0, 5000), 'a summary, and the index saved');
    const { epoch } = svc.model.latest!;
    const before = svc.model.summary!.today.totalTokens;
    const configured = hooks.calls.configureStatus ?? 0;
    crashy.crashNext();
    await svc.index.loadFacts().catch(() => {});
    assert.ok(await until(() => svc.model.latest?.epoch !== undefined && svc.model.latest.epoch !== epoch, 8000), 'the new worker pushed an update');
    assert.equal((hooks.calls.configureStatus ?? 0) - configured, 1, 'the settings were sent to it once');
    assert.ok(await until(() => svc.model.summary?.today.totalTokens === before, 5000), 'with the summary of the reopened index');
    appendFileSync(log, claudeLine(3, new Date().toISOString(), 300));
    await svc.refresh();
    assert.equal(svc.model.summary?.today.totalTokens, before + 1310, 'and keeps pushing the new totals');
  } finally {
    await svc.shutdown();
  }
});
