import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundledIndexWorker } from './bundleIndexWorker';
import { startIndexWorker } from '../../../src/app/indexWorker/client';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { loadFacts } from '../../../src/core/query/facts';
import { computeBlocks } from '../../../src/core/report/blocks';
import { blockLikeFromRow } from '../../../src/core/limits/fromBlockRow';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { nullLogger } from '../../../src/core/types';
import { cleanup, indexOnce, rootsFor, tmpDir } from '../ingest/helpers';

type Roots = ReturnType<typeof rootsFor>;

/** An index worker that has indexed `roots` once into dir/index.sqlite. */
async function indexedWorker(dir: string, roots: Roots) {
  const w = await startIndexWorker({ script: await bundledIndexWorker(), wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  await w.openWritable(join(dir, 'index.sqlite'));
  await w.startIndexer(roots);
  await w.refresh();
  return w;
}

/** The `auto` plan limit computed directly from the core over the logs under `roots`. */
async function autoLimitOf(roots: Roots, nowMs: number) {
  const { db } = await indexOnce(roots);
  const rows = computeBlocks(loadFacts(db, { source: 'claude' }), { prices: createPriceTable(), nowMs });
  db.close();
  return resolvePlanLimit({ plan: 'auto' }, rows.map(blockLikeFromRow));
}

/** The status summary from the index worker carries the plan limit: `auto` = P90 over the whole Claude history. */
test('the worker\'s status summary resolves the plan limit: auto from all completed Claude blocks, presets directly', async () => {
  const dir = tmpDir();
  cpSync(join(__dirname, '../../fixtures/basic'), dir, { recursive: true });
  const roots = rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') });
  const w = await indexedWorker(dir, roots);
  try {
    const nowMs = Date.now();
    const q = { nowMs, timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1, budgets: {}, priceOverrides: {} };
    const expected = await autoLimitOf(roots, nowMs);
    assert.ok(expected.method === 'p90-all' || expected.method === 'p90-near-limit', `fixture gives a P90 limit (${expected.method})`);
    const auto = await w.statusSummary({ ...q, claudePlan: { plan: 'auto' } });
    assert.deepEqual(auto?.planLimit, expected);
    const max5 = await w.statusSummary({ ...q, claudePlan: { plan: 'max5' } });
    assert.deepEqual(max5?.planLimit, resolvePlanLimit({ plan: 'max5' }, []));
    const none = await w.statusSummary({ ...q, claudePlan: { plan: 'custom' } });
    assert.equal(none?.planLimit, null, 'custom without numbers: no limit');
    assert.equal(none?.blockForecast, null);
  } finally {
    await w.terminate();
    cleanup(dir);
  }
});

test('the auto plan limit is computed again when new usage is ingested, not kept from an earlier partial index', async () => {
  const dir = tmpDir();
  cpSync(join(__dirname, '../../fixtures/basic'), join(dir, 'full'), { recursive: true });
  cpSync(join(dir, 'full', 'codex'), join(dir, 'codex'), { recursive: true });
  mkdirSync(join(dir, 'claude', 'projects'), { recursive: true });
  const roots = rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') });
  const w = await indexedWorker(dir, roots);
  try {
    const nowMs = Date.now();
    const q = { nowMs, timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1, budgets: {}, priceOverrides: {}, claudePlan: { plan: 'auto' as const } };
    // no Claude history yet (as after the first batch of a first index): no limit can be estimated
    assert.equal((await w.statusSummary(q))?.planLimit, null);
    // the history arrives (the rest of the first index); within the plan limit's TTL, the limit must reflect it
    cpSync(join(dir, 'full', 'claude', 'projects'), join(dir, 'claude', 'projects'), { recursive: true });
    await w.refresh();
    const expected = await autoLimitOf(rootsFor({ claude: join(dir, 'full', 'claude'), codex: join(dir, 'codex') }), nowMs);
    assert.ok(expected.tokens !== null, 'the fixture gives a P90 limit');
    assert.deepEqual((await w.statusSummary(q))?.planLimit, expected);
  } finally {
    await w.terminate();
    cleanup(dir);
  }
});
