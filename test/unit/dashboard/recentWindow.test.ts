import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createPriceTable, priceTableDate } from '../../../src/core/pricing/priceTable';
import { loadDashboardData, snapshotFrom, type DashboardData, type SnapshotContext } from '../../../src/app/dashboard/fromDatabase';
import { buildSnapshot } from '../../../src/app/dashboard/snapshot';
import { claudeBlocks } from '../../../src/app/dashboard/claudeBlocks';
import { historyOf, historyOfFacts, type SnapshotHistory } from '../../../src/app/dashboard/history';
import { loadDimTotals, loadDimsAfter } from '../../../src/core/query/dimTotals';
import { costOf } from '../../../src/core/pricing/costOf';
import type { AgentMeterSettings, UsageStatus } from '../../../src/app/settings';
import type { DashboardFilters, DashboardSnapshot } from '../../../src/shared/protocol';
import { rng } from '../rng';
import { claudeHistory, lastTimestamp, writeHistory } from '../store/claudeHistory';
import { claudeAssistant, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, rootsFor, tmpDir, write } from '../ingest/helpers';

/**
 * The dashboard reads the facts of the days it shows (the range, the 30 days before it, the last 70 days), usage
 * summed by dims for the all-time figures and the stored Claude blocks. Its snapshot must be the one built from
 * every fact of history (the former path, kept here as the reference) for every range, filter and zone.
 */
const base: AgentMeterSettings = {
  sources: { enabled: ['claude', 'codex'], dirs: {} }, timeZone: 'UTC', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 },
  statusBar: { format: '', alignment: 'right', priority: 100, showCodexQuota: true }, watchUsePolling: false, priceOverrides: {},
  budgets: { dailyUsd: 20, weeklyUsd: 90, monthlyUsd: 300, projectsMonthlyUsd: { '/home/u/proj1': 40, '~/agent': 25 }, billingCycleStartDay: 12, thresholds: [50, 80, 100] },
  claudePlan: { plan: 'auto', customTokens: null, customCostUsd: null },
  team: { member: null, machine: null, projects: 'folder', projectSalt: null, caFile: null, push: { enabled: true, intervalMs: 900_000 } },
};
const status: UsageStatus = { indexing: false, lastUpdatedMs: 1, searched: {}, notes: [], isWriter: true };

/** Codex rollouts in the real format: most weekdays one or two sessions of cumulative token counts, two models. */
function writeCodexHistory(root: string, seed: number, startIso: string, days: number): void {
  const r = rng(seed);
  const start = Date.parse(startIso);
  for (let d = 0; d < days; d++) {
    if (r() < 0.35) continue;
    for (let k = 0, n = 1 + Math.floor(r() * 2); k < n; k++) {
      let t = start + d * 86_400_000 + (6 + Math.floor(r() * 14)) * 3_600_000 + Math.floor(r() * 3_600_000);
      const iso = (ms: number) => new Date(ms).toISOString();
      const stamp = iso(t).slice(0, 19).replace(/:/g, '-');
      const id = `0199${String(d).padStart(4, '0')}-${k}aaa-bbbb-cccc-${String(seed).padStart(12, '0')}`;
      let text = codexSessionMeta(iso(t), `/home/u/api${Math.floor(r() * 2)}`, r() < 0.5 ? 'main' : 'feat') +
        codexTurnContext(iso(t + 500), r() < 0.7 ? 'gpt-5-codex' : 'gpt-5.1-codex-mini');
      const total = { input: 0, cached: 0, output: 0, reasoning: 0 };
      for (let e = 0, m = 3 + Math.floor(r() * 25); e < m; e++) {
        t += 30_000 + Math.floor(r() * 600_000);
        const cached = Math.floor(r() * 30_000);
        const last = { input: cached + 1 + Math.floor(r() * 8000), cached, output: 10 + Math.floor(r() * 4000), reasoning: 0 };
        last.reasoning = Math.floor(last.output * r() * 0.5);
        total.input += last.input; total.cached += last.cached; total.output += last.output; total.reasoning += last.reasoning;
        text += codexTokenCount(iso(t), { ...total }, last);
      }
      write(join(root, 'sessions', stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10), `rollout-${stamp}-${id}.jsonl`), text);
    }
  }
}

/** The former snapshot: `buildSnapshot` over every fact of history, blocks cut from every fact. */
function reference(data: DashboardData, c: SnapshotContext): DashboardSnapshot {
  const s = c.settings;
  const snapshot = buildSnapshot({
    facts: data.facts,
    projectLabel: (project, source) => data.labels.get(`${source}\u0000${project}`),
    filters: c.filters, nowMs: c.nowMs, locale: c.locale,
    settings: { timeZone: s.timeZone, weekStart: s.weekStart, currency: s.currency, budgets: s.budgets },
    cost: (tokens, f) => costOf(tokens, f.model, f.tier, c.table),
    priceTableDate: c.priceTableDate, status: c.status, rateLimits: data.rateLimits,
  });
  snapshot.claudeBlocks = claudeBlocks(data.facts, c.table, c.nowMs, s.claudePlan, data.limitResets, { timeZone: s.timeZone, weekStart: s.weekStart });
  return snapshot;
}

/**
 * Paths where the two differ (at most a few). Sums of dollars added in another order may differ in the last bits
 * of a double: a dollar figure counts as equal within 1e-12 of itself; every other number, string and length must be
 * the same.
 */
function differences(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 5) return out;
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b && !(/usd|cost|value|spent|threshold/i.test(path) && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)))) out.push(`${path}: ${a} ≠ ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} ≠ ${b.length}`);
    else a.forEach((x, i) => {
      differences(x, b[i], `${path}[${i}]`, out);
    });
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) out.push(`${path}: keys ${ka} ≠ ${kb}`);
    else for (const k of ka) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else if (a !== b) out.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
  return out;
}

test('a snapshot read from the recent facts and the all-time sums equals the one built from every fact: ranges, filters, zones', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(17, '2026-01-05T00:00:00Z', 130);
    writeHistory(join(dir, 'claude'), files);
    writeCodexHistory(join(dir, 'codex'), 5, '2026-01-20T00:00:00Z', 112);
    const nowMs = lastTimestamp(files) + 2 * 3_600_000; // the last block still active
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }), undefined, nowMs);
    const table = createPriceTable();
    const data = loadDashboardData(db, nowMs);
    const ref = loadDashboardData(db, nowMs);
    assert.ok(ref.facts.length > 3000, `a realistic history (${ref.facts.length} facts)`);
    // the all-time sums: summed by SQLite (a range from a day on) and from every fact (a range from the first day)
    const strip = (h: SnapshotHistory) => h.groups.map(({ firstDim: _, ...g }) => g);
    assert.deepEqual(strip(historyOfFacts(ref.facts)), strip(historyOf(loadDimTotals(db), loadDimsAfter(db, -1))));
    assert.ok(historyOfFacts(ref.facts).groups.length > 10);
    const models = [...new Set(ref.facts.map((f) => f.model))];
    assert.ok(models.includes('gpt-5-codex') && models.includes('claude-experimental-x'), models.join());

    const all: DashboardFilters = { range: '30d', source: 'all', project: null, model: null };
    const filters: DashboardFilters[] = [
      ...(['7d', '30d', '90d', '365d', 'all'] as const).map((range) => ({ ...all, range })),
      { ...all, range: 'custom', sinceDay: '2026-02-10', untilDay: '2026-03-20' },
      { ...all, range: 'custom', untilDay: '2026-04-01' },
      { ...all, source: 'claude' },
      { ...all, range: 'all', source: 'codex' },
      { ...all, range: '90d', project: 'proj1' },
      { ...all, project: 'agent' },
      { ...all, range: 'all', model: 'claude-experimental-x' },
      { ...all, model: 'gpt-5-codex' },
      { ...all, range: '7d', source: 'codex', model: 'claude-opus-4-6' },
    ];
    // a reader's copy computes the sessions marked since in memory and writes nothing (the writer's rows arrive)
    const marks = () => Number(db.exec('SELECT count(*) FROM idle_gaps WHERE grp = -1')[0].values[0][0]);
    assert.ok(marks() > 10);
    for (const f of [{ ...all, range: 'all' as const }, { ...all, range: '90d' as const, source: 'claude' as const }]) {
      const c: SnapshotContext = { filters: f, nowMs, locale: 'en', settings: base, status, table, priceTableDate };
      const got = snapshotFrom(loadDashboardData(db, nowMs, false), c);
      assert.deepEqual(differences(got, reference(ref, c)), [], `reader: ${JSON.stringify(f)}`);
      assert.ok(got.cache?.hints.some((h) => h.includes('re-wrote')), 'the idle re-writes hint is shown');
    }
    assert.ok(marks() > 10, 'the reader wrote nothing');
    let compared = 0;
    let withIdleHint = 0; // the idle re-writes hint (the events the index keeps, store/idleGaps.ts) compared too
    for (const timeZone of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      for (const weekStart of timeZone === 'UTC' ? [1] : [0, 1]) {
        const settings = { ...base, timeZone, weekStart };
        for (const f of filters) {
          const c: SnapshotContext = { filters: f, nowMs, locale: 'en', settings, status, table, priceTableDate };
          const got = snapshotFrom(data, c);
          const want = reference(ref, c);
          assert.deepEqual(differences(got, want), [], `${timeZone} ${JSON.stringify(f)}`);
          compared++;
          if (want.cache?.hints.some((h) => h.includes('re-wrote'))) withIdleHint++;
        }
      }
    }
    assert.equal(compared, 5 * filters.length);
    assert.ok(withIdleHint > 10, `${withIdleHint} snapshots with the idle re-writes hint`);
    // the range views above read the aggregates in whole-hour zones, the 15-minute facts in Kolkata (+05:30)
    const since = Date.parse('2026-01-01T00:00:00Z');
    const ranged = data.rangedRows(since, since, nowMs, 'America/New_York', table);
    assert.ok(ranged && ranged.hours.length > 0 && ranged.hours.length < ref.facts.length && ranged.sessions.length < ref.facts.length);
    assert.equal(data.rangedRows(since, since, nowMs, 'Asia/Kolkata', table), null);
  } finally {
    cleanup(dir);
  }
});

test('the anomaly baseline counts the quiet days before the recent facts as $0, as it does over the whole history', async () => {
  const dir = tmpDir();
  try {
    // ten days of use, ten weeks off, then daily use again with one expensive day: the facts read for "last 7 days"
    // start in the pause, yet the spike's 30-day baseline reaches back before the first day of renewed use
    const day0 = Date.parse('2026-03-02T00:00:00Z');
    const days = [...Array.from({ length: 10 }, (_, d) => d), ...Array.from({ length: 25 }, (_, d) => 75 + d)];
    for (const d of days) {
      const ts = new Date(day0 + d * 86_400_000 + 10 * 3_600_000).toISOString();
      const output = d === 97 ? 60_000 : 2_000 + (d % 5) * 300;
      write(join(dir, `claude/projects/-home-u-app/day${d}.jsonl`),
        claudeAssistant({ id: `msg_${d}`, ts, session: `day${d}`, cwd: '/home/u/app', usage: { input: 1_000, output, cacheRead: 20_000 } }));
    }
    const nowMs = day0 + 99 * 86_400_000 + 18 * 3_600_000;
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude') }), undefined, nowMs);
    const c: SnapshotContext = {
      filters: { range: '7d', source: 'all', project: null, model: null }, nowMs, locale: 'en', settings: base, status, table: createPriceTable(), priceTableDate,
    };
    const got = snapshotFrom(loadDashboardData(db, nowMs), c);
    const want = reference(loadDashboardData(db, nowMs), c);
    assert.deepEqual(got.anomalies?.map((a) => a.key), ['2026-06-07'], 'day 97 is the anomaly');
    assert.deepEqual(differences(got, want), []);
  } finally {
    cleanup(dir);
  }
});
