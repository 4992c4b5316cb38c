/**
 * The dashboard over every plug-in source (an index of the agents' fixture files): one slice per source in
 * "Cost by agent", labels and colours from the registry, the agents' own cost estimates beside ours (not under a
 * project or model filter), and the session table's log lookup for a source whose session is a folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { createPriceTable, priceTableDate } from '../../../src/core/pricing/priceTable';
import { agentCostBySource } from '../../../src/core/store/keyedCalls';
import { migrate } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { SOURCE_IDS, sourceDef } from '../../../src/core/sources/registry';
import { loadDashboardData, sessionLogPath, snapshotFrom } from '../../../src/app/dashboard/fromDatabase';
import type { AgentMeterSettings, UsageStatus } from '../../../src/app/settings';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';
import { cleanup } from '../ingest/helpers';
import { fixtureHome } from './fixtureHome';

const settings: AgentMeterSettings = {
  sources: { enabled: [...SOURCE_IDS], dirs: {} }, timeZone: 'UTC', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 },
  statusBar: { format: '', alignment: 'right', priority: 100, showCodexQuota: true }, watchUsePolling: false, priceOverrides: {},
  budgets: { dailyUsd: null, weeklyUsd: null, monthlyUsd: null, projectsMonthlyUsd: {}, billingCycleStartDay: 1, thresholds: [50, 80, 100] },
  claudePlan: { plan: 'auto', customTokens: null, customCostUsd: null },
  team: { member: null, machine: null, projects: 'folder', projectSalt: null, caFile: null, push: { enabled: true, intervalMs: 900_000 } },
};
const status: UsageStatus = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };

test('dashboard: a slice per plug-in source with the registry\'s labels, the agents\' own estimates beside ours', async () => {
  const home = fixtureHome();
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  try {
    const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
    await ix.refresh();
    await ix.dispose();
    const now = Date.parse('2026-12-06T12:00:00Z');
    const snap = (filters = { ...DEFAULT_FILTERS, range: 'all' as const }) =>
      snapshotFrom(loadDashboardData(db, now), { filters, nowMs: now, locale: 'en', settings, status, table: createPriceTable(), priceTableDate });
    const s = snap();
    const ids = s.bySource.map((b) => b.source).sort();
    assert.deepEqual(ids, ['cline', 'copilot-cli', 'gemini', 'kilo', 'opencode', 'qwen', 'roo']);
    assert.deepEqual(s.sourceInfo.map((i) => i.id), [...SOURCE_IDS]);
    assert.equal(s.sourceInfo.find((i) => i.id === 'copilot-cli')?.label, sourceDef('copilot-cli').label);
    assert.deepEqual([...s.filterOptions.sources].sort(), ids);
    const own = agentCostBySource(db, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    assert.ok(own.size >= 3, 'Cline, Roo, Kilo and OpenCode log their own cost');
    for (const b of s.bySource) assert.equal(b.agentCostUSD, own.get(b.source), b.source);
    // under a model filter the agents' per-source estimates do not apply
    assert.ok(s.bySource.length > 0);
    const model = snap({ ...DEFAULT_FILTERS, range: 'all', model: 'gemini-2.5-pro' });
    assert.ok(model.bySource.every((b) => b.agentCostUSD === undefined));
    // a Cline session (its task id) opens the task's folder's log; a Copilot CLI session its events.jsonl
    const cline = s.sessions.find((r) => r.source === 'cline')!;
    assert.match(sessionLogPath(db, 'cline', cline.session) ?? '', new RegExp(`tasks/${cline.session}/ui_messages\\.json$`));
    const copilot = s.sessions.find((r) => r.source === 'copilot-cli')!;
    assert.match(sessionLogPath(db, 'copilot-cli', copilot.session) ?? '', new RegExp(`session-state/${copilot.session}/events\\.jsonl$`));
  } finally {
    db.close();
    cleanup(home);
  }
});
