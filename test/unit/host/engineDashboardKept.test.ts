import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { IndexEngine } from '../../../src/app/indexWorker/engine';
import { loadDashboardData, snapshotFrom } from '../../../src/app/dashboard/fromDatabase';
import { activityView } from '../../../src/app/dashboard/activityView';
import { parseSettings } from '../../../src/app/settingsParse';
import { createPriceTable, priceTableDate } from '../../../src/core/pricing/priceTable';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { nullLogger } from '../../../src/core/types';
import type { UsageStatus } from '../../../src/host/usageSource';
import { DEFAULT_FILTERS, type DashboardFilters, type DashboardSnapshot } from '../../../src/shared/protocol';
import { DEFAULT_SESSION_SORT, SESSION_PAGE_ROWS } from '../../../src/shared/sessionsTable';
import type { SessionTable } from '../../../src/app/dashboard/sessionTable';
import { claudeAssistant, cleanup, indexOnce, rootsFor, tmpDir, write } from '../ingest/helpers';
import { saveIndexDatabase } from '../../../src/core/store/persist';
import { mixedHistory } from '../query/mixedHistory';
import { writeUpTo } from '../store/claudeHistory';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';
import { idleGapMarks } from '../../../src/core/store/idleGaps';
import { keptDimTotalsState } from '../../../src/core/query/keptDimTotals';

/**
 * What the index engine keeps for the dashboard across data changes (the all-time sums and groups by dims row, the
 * recent facts, the range views' rows, the cost-by-activity view) never changes a number: every snapshot — after a
 * data change, asked again, under other filters — equals the one computed from scratch on a copy of the same index,
 * through appends, de-dup corrections, a kept copy moving to another project's session and new sessions, on Claude
 * and Codex logs in their real formats, in a whole-hour zone (hourly rows) and a :30 zone (15-minute rows).
 */
const NOW = Date.parse('2026-05-10T15:00:00Z');
const dir = tmpDir();
after(() => cleanup(dir));
const status: UsageStatus = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };


/** The snapshot the engine's path gives without anything kept: a fresh read of a copy of the index. */
async function fromScratch(e: IndexEngine, filters: DashboardFilters, timeZone: string, sessionTableId: number, keep: (t: SessionTable) => void = () => {}): Promise<DashboardSnapshot> {
  const SQL = await loadSqlJs();
  const copy = new SQL.Database((await e.writerDatabase()).export());
  try {
    const settings = parseSettings((k) => (k === 'timeZone' ? timeZone : undefined)).settings;
    const table = createPriceTable();
    const sessionPages = { id: sessionTableId, sort: DEFAULT_SESSION_SORT, offset: 0, keep };
    const s = snapshotFrom(loadDashboardData(copy, NOW), { filters, nowMs: NOW, locale: 'en', settings, status, table, priceTableDate, sessionPages });
    s.activity = activityView(copy, { filters: s.filters, fromDay: s.rangeFromDay ?? '', toDay: s.rangeToDay ?? '', timeZone, prices: table });
    return s;
  } finally {
    copy.close();
  }
}

/** the last snapshot asked, asked first again after the next change (what a view kept from before it would answer) */
let lastAsked: { filters: DashboardFilters; timeZone: string } | undefined;

async function compare(e: IndexEngine, filters: DashboardFilters, timeZone: string, reload: boolean, what: string): Promise<DashboardSnapshot> {
  const settings = parseSettings((k) => (k === 'timeZone' ? timeZone : undefined)).settings;
  const got = e.dashboardSnapshot({ filters, nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload });
  let scratchTable: SessionTable | undefined;
  const label = `${what}, ${timeZone}, ${JSON.stringify(filters)}${reload ? ' (after the change)' : ''}`;
  assert.deepEqual(got, await fromScratch(e, filters, timeZone, got.sessionsPage!.table, (t) => { scratchTable = t; }), label);
  // the kept table's pages in another order: the same as a table made from scratch
  const sort = { key: 'cost', dir: 'desc' } as const;
  assert.deepEqual(e.dashboardSessions({ table: got.sessionsPage!.table, sort, offset: SESSION_PAGE_ROWS }), scratchTable!.page(sort, SESSION_PAGE_ROWS), label);
  lastAsked = { filters, timeZone };
  return got;
}

/**
 * What the dashboard panel asks after a snapshot of a shorter range is drawn: all time prepared (its rows read and
 * kept, nothing shown); the snapshot shown keeps its sessions table, and the later snapshots stay those from scratch.
 */
async function prepareAllTime(e: IndexEngine, shown: DashboardSnapshot, timeZone: string, what: string): Promise<void> {
  const settings = parseSettings((k) => (k === 'timeZone' ? timeZone : undefined)).settings;
  const { sinceDay: _s, untilDay: _u, ...rest } = shown.filters;
  const filters = { ...rest, range: 'all' as const };
  const prepared = e.dashboardPrepare({ filters, nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload: false });
  assert.ok(prepared, what);
  // the snapshot sent ahead to the webview is the one from scratch, and its sessions table's pages are kept beside
  // the shown one's
  let scratchTable: SessionTable | undefined;
  assert.deepEqual(prepared, await fromScratch(e, filters, timeZone, prepared.sessionsPage!.table, (t) => { scratchTable = t; }), `${what}: the prepared snapshot`);
  const sort = { key: 'tokens', dir: 'asc' } as const;
  assert.ok(e.dashboardSessions({ table: shown.sessionsPage!.table, sort, offset: 0 }), `${what}: the shown snapshot's sessions table is still kept`);
  assert.deepEqual(e.dashboardSessions({ table: prepared.sessionsPage!.table, sort, offset: SESSION_PAGE_ROWS }), scratchTable!.page(sort, SESSION_PAGE_ROWS), `${what}: the prepared snapshot's sessions table`);
}

async function compareAll(e: IndexEngine, what: string): Promise<void> {
  // after the data change, asked without `reload` (as a new panel asks, dashboard/panel.ts): the engine drops what it
  // kept for the dashboard at every data change by itself
  if (lastAsked) await compare(e, lastAsked.filters, lastAsked.timeZone, false, `${what} (after the change)`);
  const files = (await e.writerDatabase()).exec(`SELECT DISTINCT model FROM ${DIMS_AS_TEXT} WHERE source = 'claude' ORDER BY model`)[0].values.map((v) => String(v[0]));
  const asked: DashboardFilters[] = [
    { ...DEFAULT_FILTERS, range: '30d' }, { ...DEFAULT_FILTERS, range: 'all' }, { ...DEFAULT_FILTERS, range: '30d' },
    { ...DEFAULT_FILTERS, range: 'all', source: 'codex' }, { ...DEFAULT_FILTERS, range: '30d', model: files[0] },
    { ...DEFAULT_FILTERS, range: 'all', model: files[files.length - 1] }, { ...DEFAULT_FILTERS, range: '7d', project: '-home-u-mv-b' },
    { ...DEFAULT_FILTERS, range: 'all' },
  ];
  for (const timeZone of ['Asia/Kolkata', 'Europe/Berlin']) {
    for (const [i, filters] of asked.entries()) {
      const shown = await compare(e, filters, timeZone, !lastAsked && i === 0, what);
      if (filters.range !== 'all') await prepareAllTime(e, shown, timeZone, `${what}, ${timeZone}, ${JSON.stringify(filters)}`);
    }
  }
}

test('the dashboard snapshots after data changes and asked again equal those computed from scratch', async () => {
  const files = mixedHistory(31, '2026-03-24T00:00:00Z', 47);
  mkdirSync(join(dir, 'claude/projects'), { recursive: true });
  mkdirSync(join(dir, 'codex/sessions'), { recursive: true });
  const e = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  await e.openWritable(join(dir, 'index.sqlite'));
  await e.startIndexer(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }));
  try {
    const written = new Map<string, number>();
    for (let k = 1; k <= 3; k++) {
      writeUpTo(dir, files, written, k / 3);
      await e.refresh();
      await compareAll(e, `history to ${k}/3`);
    }
    const call = (session: string, project: string, id: string, ts: string, cw5m: number) =>
      claudeAssistant({ id, ts, usage: { input: 10, output: 5, cw5m, cacheRead: 20_000 }, session, cwd: `/home/u/${project}` });
    // today: a new session, then calls appended to it one at a time
    const a = join(dir, 'claude/projects/-home-u-mv-a/sess-mv-a.jsonl');
    write(a, call('sess-mv-a', 'mv-a', 'msg_t1', '2026-05-10T08:00:00.000Z', 1));
    await e.refresh();
    await compareAll(e, 'a new session today');
    appendFileSync(a, call('sess-mv-a', 'mv-a', 'msg_t2', '2026-05-10T09:10:00.000Z', 30_000));
    await e.refresh();
    await compareAll(e, 'a call appended');
    // the same call's better copy in another project's log: the kept copy moves to that session (both change)
    write(join(dir, 'claude/projects/-home-u-mv-b/sess-mv-b.jsonl'),
      call('sess-mv-b', 'mv-b', 'msg_t2', '2026-05-10T09:10:00.000Z', 40_000) + call('sess-mv-b', 'mv-b', 'msg_t3', '2026-05-10T11:40:00.000Z', 50_000));
    await e.refresh();
    await compareAll(e, 'a kept copy moved to another session');
    // a late call into an old day of an old session
    appendFileSync(a, call('sess-mv-a', 'mv-a', 'msg_t4', '2026-04-02T10:00:00.000Z', 7_000));
    await e.refresh();
    await compareAll(e, 'a late call into an old day');
  } finally {
    await e.dispose();
  }
});

test('the all-time reads made ahead at a window start (dashboardWarm) change no snapshot: right after them, and after changes that follow them', async () => {
  const d = tmpDir();
  const e = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  assert.equal(e.dashboardWarm(), undefined, 'no index: nothing to read ahead');
  try {
    mkdirSync(join(d, 'claude/projects'), { recursive: true });
    mkdirSync(join(d, 'codex/sessions'), { recursive: true });
    writeUpTo(d, mixedHistory(31, '2026-03-24T00:00:00Z', 47), new Map(), 1);
    await e.openWritable(join(d, 'index.sqlite'));
    await e.startIndexer(rootsFor({ claude: join(d, 'claude'), codex: join(d, 'codex') }));
    await e.refresh();
    // a window's start after a few calls: their sessions' idle re-writes are marked, not computed yet
    const log = join(d, 'claude/projects/-home-u-warm/sess-warm.jsonl');
    const call = (id: string, ts: string, cw5m: number) => claudeAssistant({ id, ts, usage: { input: 10, output: 5, cw5m, cacheRead: 20_000 }, session: 'sess-warm', cwd: '/home/u/warm' });
    write(log, call('msg_w1', '2026-05-10T08:00:00.000Z', 20_000) + call('msg_w2', '2026-05-10T09:30:00.000Z', 30_000));
    await e.refresh();
    const db = await e.writerDatabase();
    assert.ok(idleGapMarks(db) > 0, 'sessions marked for their idle re-writes');
    assert.ok((e.dashboardWarm() ?? -1) >= 0, 'read ahead');
    assert.equal(idleGapMarks(db), 0, 'the marked sessions computed ahead');
    for (const timeZone of ['Europe/Berlin', 'Asia/Kolkata']) {
      await compare(e, { ...DEFAULT_FILTERS, range: '30d' }, timeZone, true, 'after the reads ahead');
      await compare(e, { ...DEFAULT_FILTERS, range: 'all' }, timeZone, false, 'after the reads ahead');
    }
    // a change after the reads ahead (the kept sums and groups follow it), then a new session's project and dims row
    appendFileSync(log, call('msg_w3', '2026-05-10T11:40:00.000Z', 40_000));
    await e.refresh();
    e.dashboardWarm();
    await compare(e, { ...DEFAULT_FILTERS, range: 'all' }, 'Europe/Berlin', true, 'a change after the reads ahead');
    write(join(d, 'claude/projects/-home-u-warm2/sess-warm2.jsonl'), claudeAssistant({ id: 'msg_w4', ts: '2026-05-10T12:00:00.000Z', usage: { input: 10, output: 5, cw5m: 12_000, cacheRead: 1_000 }, session: 'sess-warm2', cwd: '/home/u/warm2' }));
    await e.refresh();
    await compare(e, { ...DEFAULT_FILTERS, range: '30d' }, 'Europe/Berlin', true, 'a new project after the reads ahead');
    await compare(e, { ...DEFAULT_FILTERS, range: 'all', project: '-home-u-warm2' }, 'Europe/Berlin', false, 'a new project after the reads ahead');
  } finally {
    await e.dispose();
    cleanup(d);
  }
});

test('the reads ahead leave the first snapshot nothing to read again: the idle re-writes are settled before the all-time sums are read', async () => {
  const d = tmpDir();
  const e = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  try {
    mkdirSync(join(d, 'claude/projects'), { recursive: true });
    writeUpTo(d, mixedHistory(31, '2026-03-24T00:00:00Z', 47), new Map(), 1);
    // an index built by core's Indexer (as the CLI builds one): its sessions' idle re-writes marked, not computed
    const roots = rootsFor({ claude: join(d, 'claude'), codex: join(d, 'codex') });
    saveIndexDatabase((await indexOnce(roots)).db, join(d, 'index.sqlite'));
    await e.openWritable(join(d, 'index.sqlite'));
    const db = await e.writerDatabase();
    assert.ok(idleGapMarks(db) > 0, 'sessions marked for their idle re-writes');
    e.dashboardWarm();
    // settling the marks after reading the sums would leave every marked dims row to be read again (and the groups
    // built again) by the first snapshot
    const next = keptDimTotalsState(db);
    assert.deepEqual(next.changed && [...next.changed], [], 'no dims row changed since the reads ahead');
  } finally {
    await e.dispose();
    cleanup(d);
  }
});
