import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledIndexWorker } from './bundleIndexWorker';
import { startIndexWorker, type IndexWorkerClient } from '../../../src/app/indexWorker/client';
import { createPriceTable, priceTableDate } from '../../../src/core/pricing/priceTable';
import { loadCounters, loadFacts, loadProjects } from '../../../src/core/query/facts';
import { loadDashboardData, snapshotFrom } from '../../../src/app/dashboard/fromDatabase';
import { activityView } from '../../../src/app/dashboard/activityView';
import { exportRows, rowsToCsv } from '../../../src/app/export';
import { parseSettings } from '../../../src/app/settingsParse';
import type { UsageStatus } from '../../../src/host/usageSource';
import type { IngestProgress } from '../../../src/app/indexApi';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';
import { nullLogger, type Logger } from '../../../src/core/types';
import { INDEX_THREAD_LIMITS } from '../../../src/core/ingest/threadLimits';
import { claudeAssistant, cleanup, indexOnce, rootsFor, tmpDir } from '../ingest/helpers';
import { rootDirs } from '../../../src/core/discovery';

const fixture = join(__dirname, '../../fixtures/basic');
const settings = { ...parseSettings(() => undefined).settings, timeZone: 'Europe/Berlin' };
const status: UsageStatus = { indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: true };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fixture logs copied to a temp dir (the watcher test appends to them), plus an index path next to them. */
function copyFixture() {
  const dir = tmpDir();
  cpSync(fixture, dir, { recursive: true });
  const roots = rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') });
  return { dir, roots, dbPath: join(dir, 'index.sqlite') };
}

async function worker(logger: Logger = nullLogger): Promise<IndexWorkerClient> {
  return startIndexWorker({ script: await bundledIndexWorker(), wasmPath: '', ingestWorkerScript: '', logger });
}

const byKey = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();

test('the worker indexes the fixture logs with progress events and answers every read as the in-process core does', async () => {
  const { dir, roots, dbPath } = copyFixture();
  const w = await worker();
  try {
    assert.deepEqual(await w.openWritable(dbPath), { notes: [] });
    assert.equal(await w.isEmpty(), true);
    await w.startIndexer(roots);
    const progress: IngestProgress[] = [];
    const r = await w.refresh((p) => progress.push(p));
    assert.ok(r?.changed && r.filesChanged === 6, `refresh result ${JSON.stringify(r)}`);
    // the first file's progress, then at most one per 100 ms, and the last file's (progressGate.ts)
    const done = progress.map((p) => p.filesDone);
    assert.equal(done[0], 1, 'the first file\'s progress goes out');
    assert.equal(done.at(-1), 6, 'the last file\'s progress goes out');
    assert.deepEqual(done, [...done].sort((a, b) => a - b), 'in order');
    assert.ok(progress.every((p) => p.filesTotal === 6), 'of every file');
    assert.equal(await w.isEmpty(), false);

    const { db } = await indexOnce(roots);
    assert.deepEqual(byKey(await w.loadFacts()), byKey(loadFacts(db)));
    assert.deepEqual(byKey(await w.loadFacts({ source: 'codex' })), byKey(loadFacts(db, { source: 'codex' })));
    assert.deepEqual(await w.loadProjects(), loadProjects(db));
    assert.deepEqual(await w.loadCounters(), loadCounters(db));

    const nowMs = Date.now();
    const ctx = { filters: DEFAULT_FILTERS, nowMs, locale: 'en', settings, status };
    // the worker's first snapshot keeps its sessions table under id 1 (its pages are asked for by that id)
    const sessionPages = { id: 1, sort: { key: 'start', dir: 'desc' } as const, offset: 0, keep: () => {} };
    const expected = snapshotFrom(loadDashboardData(db, nowMs), { ...ctx, table: createPriceTable(), priceTableDate, sessionPages });
    // cost by activity beside it, from the activity aggregate over the same range (app/dashboard/activityView.ts)
    expected.activity = activityView(db, { filters: expected.filters, fromDay: expected.rangeFromDay ?? '', toDay: expected.rangeToDay ?? '', timeZone: settings.timeZone, prices: createPriceTable() });
    assert.deepEqual(await w.dashboardSnapshot({ ...ctx, priceOverrides: {}, reload: true }), expected);
    assert.ok(expected.cards.length > 0);
    const byCost = await w.dashboardSessions({ table: 1, sort: { key: 'cost', dir: 'desc' }, offset: 0 });
    assert.deepEqual({ total: byCost?.total, sort: byCost?.sort }, { total: expected.sessionsTotal, sort: { key: 'cost', dir: 'desc' } });
    assert.equal(await w.dashboardSessions({ table: 2, sort: { key: 'cost', dir: 'desc' }, offset: 0 }), null, 'no table 2 kept');

    const csv = await w.exportText({ format: 'csv', request: { grain: 'model' }, timeZone: 'UTC', weekStart: 1, priceOverrides: {} });
    const rows = exportRows(loadFacts(db), 'model', createPriceTable(), { timeZone: 'UTC', weekStart: 1 }, (s, p) =>
      loadProjects(db).find((x) => x.source === s && x.project === p)?.displayPath);
    assert.deepEqual(csv, { text: rowsToCsv(rows), rows: rows.length });
    assert.ok(rows.length >= 2);

    // saved atomically, then read back by a second worker (a reader window)
    await w.save(dbPath);
    const reader = await worker();
    try {
      assert.equal(await reader.openReadOnly(dbPath), true);
      assert.deepEqual(byKey(await reader.loadFacts()), byKey(loadFacts(db)));
    } finally {
      await reader.terminate();
    }
    db.close();
  } finally {
    await w.terminate();
    cleanup(dir);
  }
});

test('errors in the worker reach the caller; a missing or broken index file leaves the current copy in place', async () => {
  const { dir, roots, dbPath } = copyFixture();
  const w = await worker();
  try {
    await assert.rejects(w.exportText({ format: 'csv', request: { grain: 'day' }, timeZone: 'UTC', weekStart: 1, priceOverrides: {} }), /not ready/);
    await assert.rejects(w.startIndexer(roots), /no index database is open/);
    assert.equal(await w.statusSummary({ nowMs: Date.now(), timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1, budgets: settings.budgets, priceOverrides: {} }), null);
    assert.equal(await w.openReadOnly(dbPath), false, 'no file yet');
    writeFileSync(dbPath, 'this is not a database');
    await assert.rejects(w.openReadOnly(dbPath));
    assert.equal(await w.hasDatabase(), false);
    assert.deepEqual(await w.loadFacts(), []);
    // the worker still serves requests after the errors
    await w.openWritable(join(dir, 'other.sqlite'));
    assert.equal(await w.hasDatabase(), true);
    // a stopped worker fails what was pending; the next request starts a fresh one (no database open)
    const failed = assert.rejects(w.loadFacts(), /stopped/);
    await w.terminate();
    await failed;
    assert.equal(await w.hasDatabase(), false);
  } finally {
    await w.terminate();
    cleanup(dir);
  }
});

test('a window start in the worker: the first full refresh waits for the watcher\'s start-up walk and is its look at every file (no second pass over every file)', async () => {
  const { dir, roots, dbPath } = copyFixture();
  const w = await worker();
  const reported: Array<string[] | undefined> = [];
  const sub = w.onLogsChanged((paths) => reported.push(paths));
  try {
    await w.openWritable(dbPath);
    await w.startIndexer(roots);
    // as the host's becomeWriter: the watcher, then at once the refresh of every file
    void w.watchLogs(roots.roots.filter((r) => r.source === 'claude'), false);
    const r = await w.refresh();
    assert.ok(r && r.filesChanged > 0, 'the refresh read the logs');
    await wait(600);
    assert.deepEqual(reported, [], 'no "look at every file" after the walk');
    // the watcher is live: an appended line is reported by name
    const file = join(rootDirs(roots, 'claude')[0]!, '-home-u-new', 'new-session.jsonl');
    mkdirSync(join(rootDirs(roots, 'claude')[0]!, '-home-u-new'), { recursive: true });
    appendFileSync(file, claudeAssistant({ id: 'msg_walk', ts: new Date().toISOString(), cwd: '/home/u/new', usage: { input: 5, output: 7 } }));
    for (let i = 0; i < 100 && reported.length === 0; i++) await wait(20);
    assert.deepEqual(reported[0], [file]);
    await w.unwatchLogs();
  } finally {
    sub.dispose();
    await w.terminate();
    cleanup(dir);
  }
});

test('the watcher in the worker reports an appended line; a reload never replaces the writer\'s own database', async () => {
  const { dir, roots, dbPath } = copyFixture();
  const w = await worker();
  let changes = 0;
  const reported: Array<string[] | undefined> = [];
  const sub = w.onLogsChanged((paths) => {
    changes++;
    reported.push(paths);
  });
  try {
    await w.openWritable(dbPath);
    await w.startIndexer(roots);
    await w.refresh();
    const before = (await w.loadFacts()).length;
    await w.watchLogs(roots.roots.filter((r) => r.source === 'claude'), false);
    // when chokidar's start-up walk is done the watcher reports one change (a file changed during the walk has no
    // event of its own); nothing else changed, so exactly one
    for (let i = 0; i < 250 && changes === 0; i++) await wait(20);
    assert.equal(changes, 1, 'one change once the start-up walk is done');
    await wait(400);
    assert.equal(changes, 1, 'and only one');
    assert.deepEqual(reported, [undefined], 'the walk\'s change is "look at every file"');
    changes = 0;
    reported.length = 0;
    const file = join(rootDirs(roots, 'claude')[0]!, '-home-u-new', 'new-session.jsonl');
    mkdirSync(join(rootDirs(roots, 'claude')[0]!, '-home-u-new'), { recursive: true });
    appendFileSync(file, claudeAssistant({ id: 'msg_watch', ts: new Date().toISOString(), cwd: '/home/u/new', usage: { input: 5, output: 7 } }));
    for (let i = 0; i < 100 && changes === 0; i++) await wait(20);
    assert.ok(changes >= 1, 'a change event arrived');
    assert.deepEqual(reported[0], [file], 'it names the changed file');
    await w.refresh();
    assert.equal((await w.loadFacts()).length, before + 1);

    // a reader's reload arriving after this window became the writer keeps the writable database
    await w.save(dbPath);
    assert.equal(existsSync(dbPath), true);
    assert.equal(await w.openReadOnly(dbPath), false);
    await w.refresh(); // the indexer still runs on the writable database
    await w.unwatchLogs();
  } finally {
    sub.dispose();
    await w.terminate();
    cleanup(dir);
  }
});

test('the index worker runs with capped young and old generations (threadLimits.ts) and says so in the log', async () => {
  const lines: string[] = [];
  const keep = (m: string) => lines.push(m);
  const w = await worker({ info: keep, warn: keep, error: keep, debug: keep });
  try {
    await w.isEmpty().catch(() => undefined); // any request: the worker is running and has logged its start
    for (let i = 0; i < 100 && lines.length === 0; i++) await wait(10);
    assert.ok(lines.includes(`index worker started (young generation ≤ ${INDEX_THREAD_LIMITS.maxYoungGenerationSizeMb} MB, old generation ≤ ${INDEX_THREAD_LIMITS.maxOldGenerationSizeMb} MB)`), lines.join('\n'));
  } finally {
    await w.terminate();
  }
});
