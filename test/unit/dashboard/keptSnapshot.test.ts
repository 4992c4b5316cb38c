/**
 * The writer keeps what its snapshots read across data changes (the hourly and activity rows, core keptHours.ts; their
 * priced rows, keptRows.ts; their cache figures, keptCacheParts.ts; the idle re-writes, core keptIdleGaps.ts, priced
 * once, keptIdlePrices.ts; and the rest kept before). After appends — calls
 * in new and old hours, a call whose activity changes with no usage changed — every snapshot and cost-by-activity view
 * must be exactly the one a fresh copy of the same index gives (a new database object, a new price table: nothing
 * kept), not merely close.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { createPriceTable, priceTableDate, type PriceTable } from '../../../src/core/pricing/priceTable';
import { loadDashboardData, snapshotFrom, type SnapshotContext } from '../../../src/app/dashboard/fromDatabase';
import { activityView } from '../../../src/app/dashboard/activityView';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import type { AgentMeterSettings, UsageStatus } from '../../../src/app/settings';
import type { DashboardFilters, DashboardSnapshot } from '../../../src/shared/protocol';
import { claudeHistory, lastTimestamp, writeUpTo } from '../store/claudeHistory';
import { append, claudeAssistant, cleanup, indexOnce, rootsFor, tmpDir } from '../ingest/helpers';

const settings: AgentMeterSettings = {
  sources: { enabled: ['claude', 'codex'], dirs: {} }, timeZone: 'UTC', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 },
  statusBar: { format: '', alignment: 'right', priority: 100, showCodexQuota: true }, watchUsePolling: false, priceOverrides: {},
  budgets: { dailyUsd: 20, weeklyUsd: 90, monthlyUsd: 300, projectsMonthlyUsd: {}, billingCycleStartDay: 1, thresholds: [50, 80, 100] },
  claudePlan: { plan: 'auto', customTokens: null, customCostUsd: null },
  team: { member: null, machine: null, projects: 'folder', projectSalt: null, caFile: null, push: { enabled: true, intervalMs: 900_000 } },
};
const status: UsageStatus = { indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: true };
const all: DashboardFilters = { range: '30d', source: 'all', project: null, model: null };
const FILTERS: DashboardFilters[] = [
  { ...all, range: 'all' }, all, { ...all, range: '7d' }, { ...all, range: 'all', model: 'claude-sonnet-4-5-20250929' },
  { ...all, range: 'custom', sinceDay: '2026-02-01', untilDay: '2026-03-15' }, { ...all, range: 'all', project: 'proj1' },
];

function views(db: Database, nowMs: number, table: PriceTable, timeZone: string): { snapshot: DashboardSnapshot; activity: unknown }[] {
  const data = loadDashboardData(db, nowMs);
  return FILTERS.map((filters) => {
    const c: SnapshotContext = { filters, nowMs, locale: 'en', settings: { ...settings, timeZone }, status, table, priceTableDate };
    const snapshot = snapshotFrom(data, c);
    const activity = activityView(db, { filters, fromDay: snapshot.rangeFromDay!, toDay: snapshot.rangeToDay!, timeZone, prices: table });
    return { snapshot, activity };
  });
}

test('the writer\'s snapshots kept across data changes equal those of a fresh copy of the index, exactly', async () => {
  const dir = tmpDir();
  try {
    const SQL = await loadSqlJs();
    const files = claudeHistory(23, '2026-01-05T00:00:00Z', 90);
    const claude = join(dir, 'claude');
    const written = new Map<string, number>();
    writeUpTo(claude, files, written, 0.8);
    const nowMs = lastTimestamp(files) + 3_600_000;
    const { db, indexer } = await indexOnce(rootsFor({ claude, codex: join(dir, 'none') }), undefined, nowMs);
    const table = createPriceTable();
    const compare = (what: string) => {
      for (const timeZone of ['UTC', 'America/New_York']) {
        const kept = views(db, nowMs, table, timeZone);
        const fresh = views(new SQL.Database(db.export()), nowMs, createPriceTable(), timeZone);
        kept.forEach((k, i) => {
          assert.deepEqual(k.snapshot, fresh[i].snapshot, `${what}, ${timeZone}: snapshot ${JSON.stringify(FILTERS[i])}`);
          assert.deepEqual(k.activity, fresh[i].activity, `${what}, ${timeZone}: activity ${JSON.stringify(FILTERS[i])}`);
        });
      }
    };
    compare('first read');
    // the rest of every session (many hours, old and new), then one call in the newest session's file
    writeUpTo(claude, files, written, 1);
    await indexer.refresh();
    compare('the rest of the history');
    const newest = join(claude, files[files.length - 1].path);
    const at = new Date(nowMs - 10 * 60_000).toISOString();
    const call = (content: unknown) => claudeAssistant({ id: 'msg_new', ts: at, model: 'claude-sonnet-4-5-20250929', usage: { input: 12, output: 900, cw5m: 4000, cacheRead: 30000 }, content: [content] });
    append(newest, call({ type: 'text', text: 'done' }));
    await indexer.refresh();
    compare('one new call');
    // the same call's next content-block line names a tool: its activity moves, no usage row changes
    const usage = db.exec('SELECT sum(requests), sum(output) FROM usage')[0].values;
    append(newest, call({ type: 'tool_use', id: 'toolu_new', name: 'Bash', input: { command: 'npm test' } }));
    await indexer.refresh();
    assert.deepEqual(db.exec('SELECT sum(requests), sum(output) FROM usage')[0].values, usage);
    compare('an activity-only change');
    assert.ok(views(db, nowMs, table, 'UTC')[0].snapshot.cache?.savedUSD, 'cache figures are priced');
  } finally {
    cleanup(dir);
  }
});
