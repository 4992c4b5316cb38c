import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexEngine, type StatusQuery } from '../../../src/app/indexWorker/engine';
import { loadDashboardData, snapshotFrom } from '../../../src/app/dashboard/fromDatabase';
import { parseSettings } from '../../../src/app/settingsParse';
import { createPriceTable, priceTableDate, type PriceOverrides } from '../../../src/core/pricing/priceTable';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { nullLogger } from '../../../src/core/types';
import type { UsageStatus } from '../../../src/host/usageSource';
import { DEFAULT_FILTERS, type DashboardFilters } from '../../../src/shared/protocol';
import { DEFAULT_SESSION_SORT } from '../../../src/shared/sessionsTable';
import { claudeAssistant, cleanup, rootsFor, tmpDir } from '../ingest/helpers';
import { claudeHistory, lastTimestamp, writeHistory } from '../store/claudeHistory';

// The dashboard's Claude blocks are the plan limit's, priced at the window's start (planBlocks.ts: from the file the
// last window kept them in, the newest read again): the same view as the dashboard's own read of every stored block.

const status: UsageStatus = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };
const OVERRIDES: PriceOverrides = { 'claude-opus-4-1': { input: 14.7, output: 77.3 } };
const engine = () => new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger, codeId: 'build-1' });
const statusQuery = (nowMs: number): StatusQuery =>
  ({ nowMs, timeZone: 'Europe/Berlin', weekStart: 1, billingCycleStartDay: 1, budgets: {}, priceOverrides: OVERRIDES, claudePlan: { plan: 'auto' } });

async function compare(e: IndexEngine, nowMs: number, filters: DashboardFilters, what: string): Promise<void> {
  const settings = { ...parseSettings((k) => (k === 'timeZone' ? 'Europe/Berlin' : undefined)).settings, priceOverrides: OVERRIDES };
  const got = e.dashboardSnapshot({ filters, nowMs, locale: 'en', settings, status, priceOverrides: OVERRIDES, reload: true });
  const SQL = await loadSqlJs();
  const copy = new SQL.Database((await e.writerDatabase()).export());
  try {
    const sessionPages = { id: got.sessionsPage!.table, sort: DEFAULT_SESSION_SORT, offset: 0, keep: () => {} };
    const want = snapshotFrom(loadDashboardData(copy, nowMs), { filters, nowMs, locale: 'en', settings, status, table: createPriceTable(OVERRIDES), priceTableDate, sessionPages });
    assert.ok(want.claudeBlocks && want.claudeBlocks.blocks.length > 3 && (want.claudeBlocks.weeks?.length ?? 0) > 0, `${what}: blocks shown`);
    assert.deepEqual(got.claudeBlocks, want.claudeBlocks, what);
    const { activity: _, ...rest } = got;
    assert.deepEqual(rest, want, what);
  } finally {
    copy.close();
  }
}

test('the dashboard\'s Claude blocks from the plan limit\'s kept blocks equal its own read: window start, appends, a re-cut', async () => {
  const dir = tmpDir();
  const started: IndexEngine[] = [];
  try {
    const files = claudeHistory(41, '2026-03-02T00:00:00Z', 40);
    writeHistory(join(dir, 'claude'), files);
    const file = join(dir, 'index.sqlite');
    const writer = engine();
    started.push(writer);
    await writer.openWritable(file);
    await writer.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
    await writer.refresh();
    let nowMs = lastTimestamp(files) + 40 * 60_000; // the newest block active
    assert.ok(writer.statusSummary(statusQuery(nowMs))?.planLimit); // the plan limit's blocks priced and kept in the file
    await writer.save(file);
    await writer.dispose();
    // the next window start: the status summary takes the completed blocks from the file, the dashboard reuses them
    const next = engine();
    started.push(next);
    await next.openWritable(file);
    await next.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
    assert.ok(next.statusSummary(statusQuery(nowMs))?.planLimit);
    await compare(next, nowMs, { ...DEFAULT_FILTERS, range: '30d' }, 'first snapshot');
    await compare(next, nowMs, { ...DEFAULT_FILTERS, range: 'all' }, 'all time');
    // a call appended to the newest session; then one in a new block hours later; then a late call into an old block
    const log = join(dir, 'claude', Object.keys(files).sort().at(-1)!);
    const last = lastTimestamp(files);
    const call = (id: string, ms: number) => claudeAssistant({ id, ts: new Date(ms).toISOString(), usage: { input: 900, output: 400, cacheRead: 30_000 }, session: 'late', cwd: '/home/u/proj1' });
    appendFileSync(log, call('msg_a1', last + 10 * 60_000));
    await next.refresh();
    await compare(next, nowMs, { ...DEFAULT_FILTERS, range: '30d' }, 'a call appended');
    nowMs = last + 7 * 3_600_000;
    appendFileSync(log, call('msg_a2', last + 6 * 3_600_000));
    await next.refresh();
    await compare(next, nowMs, { ...DEFAULT_FILTERS, range: '7d' }, 'a new block');
    appendFileSync(log, call('msg_a3', Date.parse('2026-03-20T10:00:00Z')));
    await next.refresh();
    await compare(next, nowMs, { ...DEFAULT_FILTERS, range: '30d' }, 'a late call into an old block (a re-cut)');
  } finally {
    for (const e of started) await e.dispose();
    cleanup(dir);
  }
});
