import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IndexEngine, type StatusQuery } from '../../../src/app/indexWorker/engine';
import { createPriceTable, type PriceOverrides } from '../../../src/core/pricing/priceTable';
import { nullLogger, type Fact } from '../../../src/core/types';
import type { BudgetSettings } from '../../../src/core/limits/budgets';
import { cleanup, rootsFor, tmpDir } from '../ingest/helpers';
import { claudeHistory, writeHistory } from '../store/claudeHistory';
import { summarizeStatus } from '../../../src/app/status/statusSummary';
import { referenceSummary, writeCodexHistory } from './statusReference';

// The status summary reads only the window it shows (month, week, Claude block chain) from the index; it must equal,
// as JSON byte for byte, the summary computed the old way over every fact of the history, for every zone, week
// start, billing cycle, budget and price table, at period edges too.

const H = 3_600_000;
const OVERRIDES: PriceOverrides = {
  'claude-opus-4-1': { input: 14.7, output: 77.3 },
  'claude-experimental-x': { provider: 'anthropic', input: 1.1, output: 5.3 },
  'gpt-5-codex': { input: 1.37, output: 11.1, cacheRead: 0.131 },
};
const BUDGETS: BudgetSettings = {
  dailyUsd: 2.5, weeklyUsd: 9, monthlyUsd: 40, thresholds: [25, 50, 100],
  // a Claude folder name, a Codex cwd, a name matching both sources' display paths, a `~/` key, an unknown one
  projectsMonthlyUsd: { agent: 3, '/home/u/api': 2, proj1: 1.5, '~/u/proj2': 4, nowhere: 1 },
};

const dir = tmpDir();
const engine = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
let all: Fact[] = [];

before(async () => {
  writeHistory(join(dir, 'claude'), claudeHistory(23, '2026-01-20T00:00:00Z', 100));
  writeCodexHistory(join(dir, 'codex'), 5, '2026-01-20T00:00:00Z', 100);
  await engine.openWritable(join(dir, 'index.sqlite'));
  await engine.startIndexer(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }));
  await engine.refresh();
  all = engine.loadFacts();
});

after(async () => {
  await engine.close();
  cleanup(dir);
});

const tables = new Map<string, ReturnType<typeof createPriceTable>>();

function reference(q: StatusQuery) {
  const projects = new Map(engine.loadProjects().map((p) => [p.project, p.displayPath]));
  const key = JSON.stringify(q.priceOverrides);
  if (!tables.has(key)) tables.set(key, createPriceTable(q.priceOverrides));
  return referenceSummary({
    timeZone: q.timeZone, weekStart: q.weekStart, billingCycleStartDay: q.billingCycleStartDay,
    facts: all,
    blockSinceMs: all[0].bucketStartMs, // the whole history's blocks
    prices: tables.get(key)!,
    nowMs: q.nowMs,
    budgets: q.budgets,
    rateLimits: latestSample(),
    limitResets: engine.loadLimitResets(0),
    displayPathOf: (p) => projects.get(p),
    planLimit: null,
  });
}

/** The newest Codex rate-limit sample by observation time (what the summary's snapshot must be). */
function latestSample() {
  const samples = engine.loadRateLimitSamples(0);
  return samples.length ? samples[samples.length - 1] : null;
}

/** Local wall-clock time in a zone → epoch ms (the first instant showing it; ±1 ms and ± a bucket probe the edge). */
function localMs(zone: string, wall: string): number {
  let t = Date.parse(`${wall}Z`);
  for (let k = 0; k < 3; k++) {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(t);
    const get = (ty: string) => parts.find((p) => p.type === ty)!.value;
    const shown = Date.parse(`${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}Z`);
    t += Date.parse(`${wall}Z`) - shown;
  }
  return t;
}

const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
/** Local instants: month, billing-cycle (15th, 28th) and week edges, DST days in New York (Mar 8) and Lord Howe (Apr 5), mid-day. */
const WALLS = ['2026-03-01T00:00:00', '2026-03-15T00:00:00', '2026-02-28T00:00:00', '2026-03-09T00:00:00', '2026-03-08T03:10:00', '2026-04-05T01:45:00', '2026-04-27T15:20:00', '2026-02-10T11:00:00'];

test('the summary read from the index equals the old computation over every fact, across zones, week starts, cycles, budgets and prices', () => {
  assert.ok(all.length > 3000, `a realistic history (${all.length} facts)`);
  assert.ok(all.some((f) => f.source === 'codex') && all.some((f) => f.tier === 'fast') && all.some((f) => f.tier === 'long'));
  let n = 0;
  let withBlock = 0;
  let withCodex = 0;
  let spent = 0;
  for (const [z, zone] of ZONES.entries()) {
    for (const [w, wall] of WALLS.entries()) {
      const edge = localMs(zone, wall);
      for (const [d, nowMs] of [edge - 1, edge, edge + 1, edge + 15 * 60_000].entries()) {
        const k = z + w + d;
        const q: StatusQuery = {
          nowMs, timeZone: zone, weekStart: [1, 0, 6, 3][k % 4], billingCycleStartDay: [1, 15, 28][k % 3],
          budgets: k % 5 === 4 ? {} : BUDGETS, priceOverrides: k % 2 ? OVERRIDES : {},
        };
        const got = JSON.stringify(engine.statusSummary(q));
        const want = JSON.stringify(reference(q));
        assert.equal(got, want, `${zone} ${new Date(nowMs).toISOString()} week ${q.weekStart} cycle ${q.billingCycleStartDay}`);
        const s = JSON.parse(got);
        n++;
        if (s.block) withBlock++;
        if (s.todayBySource.length === 2) withCodex++;
        if (s.budgets.some((b: { budgetId: string; spentUsd: number }) => b.budgetId.startsWith('project:') && b.spentUsd > 0)) spent++;
      }
    }
  }
  // the cases are not vacuous: active blocks, both sources on a day, spend against budgets
  assert.equal(n, ZONES.length * WALLS.length * 4);
  assert.ok(withBlock > 10 && withCodex > 10 && spent > 50, `${withBlock} with a block, ${withCodex} with both sources, ${spent} with project spend`);
});

test('the newest Codex rate-limit snapshot is the one observed last', () => {
  const s = engine.loadLatestRateLimits();
  assert.ok(s?.primary);
  assert.deepEqual(s, latestSample());
});

test('a summary after more usage arrives still equals the old computation (new dims read, kept ones reused)', async () => {
  const q = (nowMs: number): StatusQuery => ({ nowMs, timeZone: 'Asia/Kolkata', weekStart: 1, billingCycleStartDay: 1, budgets: BUDGETS, priceOverrides: {} });
  const later = Date.parse('2026-04-29T10:00:00Z');
  assert.equal(JSON.stringify(engine.statusSummary(q(later))), JSON.stringify(reference(q(later))));
  // new sessions (new dims) in the current week and day
  writeHistory(join(dir, 'claude'), claudeHistory(24, '2026-04-28T00:00:00Z', 2));
  writeCodexHistory(join(dir, 'codex'), 6, '2026-04-28T00:00:00Z', 2);
  await engine.refresh();
  const before = all.length;
  all = engine.loadFacts();
  assert.ok(all.length > before);
  for (const nowMs of [later, later + 5 * H, later + 30 * H]) {
    assert.equal(JSON.stringify(engine.statusSummary(q(nowMs))), JSON.stringify(reference(q(nowMs))));
  }
});

test('facts out of bucket order are filtered per period as before (only the index order is sliced)', () => {
  const reversed = [...all].reverse();
  for (const wall of ['2026-03-15T00:00:00', '2026-04-27T15:20:00']) {
    const i = {
      timeZone: 'America/New_York', weekStart: 0, billingCycleStartDay: 15, facts: reversed, blockSinceMs: all[0].bucketStartMs,
      prices: createPriceTable(OVERRIDES), nowMs: localMs('America/New_York', wall), budgets: BUDGETS, rateLimits: null,
    };
    assert.equal(JSON.stringify(summarizeStatus(i)), JSON.stringify(referenceSummary(i)));
  }
});
