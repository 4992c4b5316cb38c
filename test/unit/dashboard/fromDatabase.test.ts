import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPriceTable, priceTableDate } from '../../../src/core/pricing/priceTable';
import { loadDashboardData, sessionLogPath, snapshotFrom } from '../../../src/app/dashboard/fromDatabase';
import { loadFacts } from '../../../src/core/query/facts';
import type { AgentMeterSettings, UsageStatus } from '../../../src/host/usageSource';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';
import { claudeAssistant, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, rootsFor, tmpDir, write } from '../ingest/helpers';

const settings: AgentMeterSettings = {
  sources: { enabled: ['claude', 'codex'], dirs: {} }, timeZone: 'Europe/Berlin', weekStart: 1, currency: { code: 'EUR', rateToUsd: 0.9 },
  statusBar: { format: '', alignment: 'right', priority: 100, showCodexQuota: true }, watchUsePolling: false, priceOverrides: {},
  budgets: { dailyUsd: 10, weeklyUsd: null, monthlyUsd: 100, projectsMonthlyUsd: {}, billingCycleStartDay: 1, thresholds: [50, 80, 100] },
  claudePlan: { plan: 'auto', customTokens: null, customCostUsd: null },
  team: { member: null, machine: null, projects: 'folder', projectSalt: null, caFile: null, push: { enabled: true, intervalMs: 900_000 } },
};
const status: UsageStatus = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };

test('snapshot from a real index: Claude + Codex logs, display paths, rate limits, session log lookup', async () => {
  const dir = tmpDir();
  try {
    const now = Date.parse('2026-05-12T10:00:00Z');
    const hostile = '/home/u/<img src=x onerror=alert(1)>';
    const claudeFile = write(join(dir, 'claude/projects/-home-u-evil/0f7c2a10-aaaa-bbbb-cccc-000000000001.jsonl'),
      // streaming copy then the final copy of the same call: counted once, the final one
      claudeAssistant({ id: 'msg_1', ts: '2026-05-12T08:00:00.000Z', cwd: hostile, branch: 'feat/x', usage: { input: 1000, output: 1, cw5m: 2000, cacheRead: 10000 } }) +
      claudeAssistant({ id: 'msg_1', ts: '2026-05-12T08:00:01.000Z', cwd: hostile, branch: 'feat/x', usage: { input: 1000, output: 500, cw5m: 2000, cacheRead: 10000 } }) +
      claudeAssistant({ id: 'msg_2', ts: '2026-05-12T08:20:00.000Z', cwd: hostile, branch: 'feat/x', usage: { input: 200, output: 300, cacheRead: 13000 } }));
    const resets = Math.floor((now + 3600_000) / 1000);
    const rl = { primary: { used_percent: 42, window_minutes: 300, resets_at: resets }, secondary: { used_percent: 9, window_minutes: 10080, resets_at: resets + 86400 } };
    write(join(dir, 'codex/sessions/2026/05/12/rollout-2026-05-12T07-00-00-0199aaaa-bbbb-cccc-dddd-eeeeffff0000.jsonl'),
      codexSessionMeta('2026-05-12T07:00:00.000Z', '/home/u/api', 'main') +
      codexTurnContext('2026-05-12T07:00:01.000Z', 'gpt-5-codex') +
      codexTokenCount('2026-05-12T07:01:00.000Z', { input: 50_000, cached: 40_000, output: 2_000, reasoning: 1_000 }, undefined, rl) +
      codexTokenCount('2026-05-12T07:01:01.000Z', { input: 50_000, cached: 40_000, output: 2_000, reasoning: 1_000 }, undefined, rl));
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }), undefined, now);

    const data = loadDashboardData(db, now);
    // the dashboard reads the dims once and shares their strings: the same facts, in the same order, as loadFacts
    assert.equal(data.facts.length, 3);
    assert.deepEqual(data.facts, loadFacts(db));
    const s = snapshotFrom(data, { filters: { ...DEFAULT_FILTERS, range: '7d' }, nowMs: now, locale: 'de', settings, status, table: createPriceTable(), priceTableDate });
    const today = s.cards.find((c) => c.id === 'today')!;
    // Claude: 2 calls; Codex: one event (the re-emitted snapshot is skipped)
    assert.equal(today.requests, 3);
    // sonnet-4.5: (1200*3 + 800*15 + 2000*3.75 + 23000*0.3)/1e6 = 0.030; gpt-5-codex: (10000*1.25 + 40000*0.125 + 2000*10)/1e6 = 0.0375
    assert.ok(Math.abs(today.costUSD - (0.030 + 0.0375)) < 1e-9, String(today.costUSD));
    assert.equal(s.currency.code, 'EUR');
    assert.equal(s.currency.perUsd, 0.9);
    assert.equal(s.locale, 'de');
    const labels = s.projects.map((p) => p.label).sort();
    assert.deepEqual(labels, [hostile, '/home/u/api']);
    const claudeSession = s.sessions.find((x) => x.source === 'claude')!;
    assert.deepEqual(claudeSession.branches, ['feat/x']);
    assert.equal(claudeSession.durationMs, 20 * 60_000);
    assert.equal(s.codexQuota?.primaryNow, 42);
    assert.equal(s.codexQuota?.primaryWindowMinutes, 300);
    assert.equal(s.budgets?.find((b) => b.id === 'daily')?.limitUSD, 10);
    assert.equal(s.priceTableDate, priceTableDate);
    assert.equal(sessionLogPath(db, 'claude', claudeSession.session), claudeFile);
    assert.equal(sessionLogPath(db, 'claude', '%'), null, 'LIKE wildcards in a session id are refused');
  } finally {
    cleanup(dir);
  }
});

test('no database yet gives the empty state', () => {
  const data = loadDashboardData(undefined, Date.now());
  const s = snapshotFrom(data, { filters: DEFAULT_FILTERS, nowMs: Date.now(), locale: 'en', settings, status: { ...status, searched: { claude: ['/h/.claude/projects'], codex: [] }, indexing: true }, table: createPriceTable(), priceTableDate });
  assert.deepEqual(s.empty, { searched: [{ source: 'claude', dirs: ['/h/.claude/projects'] }, { source: 'codex', dirs: [] }], notes: [], indexing: true });
});
