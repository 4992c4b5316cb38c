/**
 * Estimated days on the dashboard and in the status tooltip (Claude Code's stats cache): shown beside the exact
 * figures, hatched and never added to them; the daily chart of an open range reaches back to the first estimated day;
 * Claude Code's own daily activity; nothing estimated under another source, a project or another model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable, priceTableDate } from '../../../src/core/pricing/priceTable';
import { loadEstimatedDays } from '../../../src/core/query/estimatedDays';
import { loadDashboardData, snapshotFrom } from '../../../src/app/dashboard/fromDatabase';
import type { AgentMeterSettings, UsageStatus } from '../../../src/app/settings';
import { statusTooltip } from '../../../src/app/status/statusText';
import type { StatusSummary } from '../../../src/app/status/statusSummary';
import { DEFAULT_FILTERS, type DashboardFilters } from '../../../src/shared/protocol';
import { claudeAssistant, cleanup, freshDb, tmpDir, write } from '../ingest/helpers';

const FIXTURE = join(__dirname, '..', '..', '..', 'src', 'core', 'sources', 'claude', 'fixtures', 'config', 'stats-cache.json');
const OPUS = 'claude-opus-4-5-20251101';
const settings: AgentMeterSettings = {
  sources: { enabled: ['claude'], dirs: {} }, timeZone: 'UTC', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 },
  statusBar: { format: '', alignment: 'right', priority: 100, showCodexQuota: true }, watchUsePolling: false, priceOverrides: {},
  budgets: { dailyUsd: null, weeklyUsd: null, monthlyUsd: null, projectsMonthlyUsd: {}, billingCycleStartDay: 1, thresholds: [50, 80, 100] },
  claudePlan: { plan: 'auto', customTokens: null, customCostUsd: null },
  team: { member: null, machine: null, projects: 'folder', projectSalt: null, caFile: null, push: { enabled: true, intervalMs: 900_000 } },
};
const status: UsageStatus = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };

test('dashboard: estimated days hatched beside the exact ones, never in the totals; activity; filters', async () => {
  const tmp = tmpDir();
  const db = await freshDb();
  try {
    // logs cover Mar 4 only; the stats cache knows Mar 1–4 (fixture): Mar 1, 2 and 3 are estimated
    const cfg = join(tmp, 'claude');
    write(join(cfg, 'projects', '-home-u-proj', 'sess-1.jsonl'), claudeAssistant({ id: 'msg_0', ts: '2026-03-04T10:00:00.000Z', model: OPUS, usage: { input: 10, output: 20, cacheRead: 300 } }));
    copyFileSync(FIXTURE, join(cfg, 'stats-cache.json'));
    const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home: '/nonexistent-home', dirs: { claude: [cfg] }, enabled: ['claude'] }) });
    await ix.refresh();
    await ix.dispose();
    const now = Date.parse('2026-03-05T12:00:00Z');
    const table = createPriceTable();
    const snap = (f: Partial<DashboardFilters>) => snapshotFrom(loadDashboardData(db, now), { filters: { ...DEFAULT_FILTERS, range: 'all', ...f }, nowMs: now, locale: 'en', settings, status, table, priceTableDate });

    const est = loadEstimatedDays(db);
    const want = new Map<string, number>();
    for (const d of est.days) {
      const c = costOf({ input: d.input, output: d.output, cacheWrite5m: d.cacheCreation, cacheWrite1h: 0, cacheRead: d.cacheRead, reasoning: 0, webSearch: 0, requests: 0 }, d.model, 'standard', table)!;
      want.set(d.date, (want.get(d.date) ?? 0) + c);
    }
    const all = snap({});
    assert.deepEqual(all.estimates?.days.map((d) => d.day), ['2026-03-01', '2026-03-02', '2026-03-03']);
    for (const d of all.estimates!.days) assert.ok(Math.abs(d.costUSD! - want.get(d.day)!) < 1e-9, d.day);
    // the chart reaches back to the first estimated day; its exact series are 0 there
    assert.deepEqual(all.daily.labels, ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);
    for (const ser of all.daily.series) assert.deepEqual(ser.values.slice(0, 3), [0, 0, 0]);
    // never in the exact figures: the all-time card is the one logged call
    const exact = costOf({ input: 10, output: 20, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 300, reasoning: 0, webSearch: 0, requests: 1 }, OPUS, 'standard', table)!;
    assert.ok(Math.abs(all.cards[3].costUSD! - exact) < 1e-9, `all time ${all.cards[3].costUSD} = the logged call only`);
    // Claude Code's own activity per day, and which days the logs cover
    assert.deepEqual(all.estimates!.activity.map((a) => [a.day, a.coveredByLogs]), [['2026-03-01', false], ['2026-03-02', false], ['2026-03-03', false], ['2026-03-04', true]]);
    // a closed range: only its days; no extension
    const last7 = snap({ range: 'custom', sinceDay: '2026-03-02', untilDay: '2026-03-05' });
    assert.deepEqual(last7.estimates?.days.map((d) => d.day), ['2026-03-02', '2026-03-03']);
    assert.equal(last7.daily.labels[0], '2026-03-02');
    // estimates are Claude's, per model, without a project
    assert.equal(snap({ source: 'codex' }).estimates, undefined);
    assert.equal(snap({ project: '-home-u-proj' }).estimates, undefined);
    assert.ok(snap({ model: OPUS }).estimates!.days.every((d) => est.days.some((e) => e.date === d.day && e.model === OPUS)));
  } finally {
    db.close();
    cleanup(tmp);
  }
});

test('status tooltip: the estimated days in one ≈ line, not in the totals', () => {
  const base = { nowMs: Date.parse('2026-03-05T12:00:00Z'), timeZone: 'UTC', todayBySource: [], todayByModel: [], block: null, blockForecast: null, planLimit: null, codex: null, budgets: [], monthStartMs: 0 };
  const row = { key: 'x', source: null, model: null, requests: 0, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheCreation5mTokens: 0, cacheCreation1hTokens: 0, cacheReadTokens: 0, reasoningTokens: 0, totalTokens: 0, costUSD: 0, unpricedTokens: 0, pricedCostUSD: 0, webSearchRequests: 0, models: [], unpricedModels: [], unpricedWebSearches: [], firstTimestamp: null, lastTimestamp: null, firstMs: 0, lastMs: 0 };
  const display = { format: '', locale: 'en', currency: { code: 'USD', rateToUsd: 1 }, showCodexQuota: true, thresholds: [], lastUpdatedMs: null, indexing: false };
  const s: StatusSummary = { ...base, today: row, week: row, month: row, estimated: { days: 3, costUSD: 12.5 } };
  const text = statusTooltip(s, display as never);
  assert.match(text, /≈ 3 earlier days without logs estimated from Claude Code's stats cache: ≈ \$12\.50 \(not in these totals\)/);
  assert.doesNotMatch(statusTooltip({ ...s, estimated: undefined }, display as never), /stats cache/);
});
