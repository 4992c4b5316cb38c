import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IndexEngine } from '../../../src/app/indexWorker/engine';
import { nullLogger, type Fact } from '../../../src/core/types';
import { cleanup, rootsFor, tmpDir } from '../ingest/helpers';
import { writeHistory } from '../store/claudeHistory';
import { mixedHistory } from '../query/mixedHistory';
import type { AgentMeterSettings, UsageStatus } from '../../../src/host/usageSource';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';

/**
 * Retention through the index engine (the writer's worker): the roll-up keeps every UTC day's, model's and session's
 * tokens, survives a save and a reopen, is refused in a reader, and the dashboard says where detail ends for ranges
 * that reach before it.
 */
const NOW = Date.parse('2026-06-20T09:30:00Z');
const dir = tmpDir();
after(() => cleanup(dir));
const settings: AgentMeterSettings = {
  sources: { enabled: ['claude', 'codex'], dirs: {} }, timeZone: 'UTC', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 },
  statusBar: { format: '', alignment: 'right', priority: 100, showCodexQuota: true }, watchUsePolling: false, priceOverrides: {},
  budgets: { dailyUsd: null, weeklyUsd: null, monthlyUsd: null, projectsMonthlyUsd: {}, billingCycleStartDay: 1, thresholds: [50, 80, 100] },
  claudePlan: { plan: 'auto', customTokens: null, customCostUsd: null },
  team: { member: null, machine: null, projects: 'folder', projectSalt: null, caFile: null, push: { enabled: true, intervalMs: 900_000 } },
};
const status: UsageStatus = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };

/** token sums per (UTC day, source, model, session): what a day-level roll-up must keep */
function byDay(facts: readonly Fact[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of facts) {
    const k = `${new Date(f.bucketStartMs).toISOString().slice(0, 10)}|${f.source}|${f.model}|${f.session}`;
    const add = [f.input, f.output, f.cacheWrite5m, f.cacheWrite1h, f.cacheRead, f.reasoning, f.webSearch, f.requests];
    const v = out[k];
    if (v) for (let i = 0; i < add.length; i++) v[i] += add[i];
    else out[k] = add;
  }
  return out;
}

test('applyRetention: exact per day, saved and reopened; a reader does nothing; the dashboard marks where detail ends', async () => {
  writeHistory(dir, mixedHistory(5, '2026-02-01T00:00:00Z', 130));
  const path = join(dir, 'index.sqlite');
  const writer = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  await writer.openWritable(path);
  await writer.startIndexer(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }));
  await writer.refresh();
  await writer.save(path);
  const before = byDay(writer.loadFacts());
  const q = (range: typeof DEFAULT_FILTERS.range) => ({
    filters: { ...DEFAULT_FILTERS, range }, nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload: true,
  });
  assert.equal(writer.dashboardSnapshot(q('all')).detailFrom, undefined);

  const reader = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  await reader.openReadOnly(path);
  assert.equal(await reader.applyRetention(90, NOW, 'UTC'), null);

  const r = await writer.applyRetention(90, NOW, 'UTC');
  assert.ok(r && r.rowsBefore > 100 && r.rowsAfter < r.rowsBefore, JSON.stringify(r));
  assert.deepEqual(byDay(writer.loadFacts()), before);
  const all = writer.dashboardSnapshot(q('all'));
  assert.deepEqual(all.detailFrom, { ms: Date.parse('2026-03-22T00:00:00Z'), day: '2026-03-22', reason: 'retention' });
  assert.equal(writer.dashboardSnapshot(q('7d')).detailFrom, undefined, 'a range within the detail says nothing');
  assert.equal((await writer.applyRetention(90, NOW, 'UTC'))?.rowsBefore, 0);
  await writer.save(path);
  await writer.dispose();

  const reopened = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  await reopened.openReadOnly(path);
  assert.deepEqual(byDay(reopened.loadFacts()), before);
  assert.equal(reopened.loadFacts().filter((f) => f.bucketStartMs < r!.cutoffMs && f.bucketStartMs % 86_400_000 !== 0).length, 0);
  await reopened.dispose();
  await reader.dispose();
});
