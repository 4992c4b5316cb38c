import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IndexEngine, type StatusQuery } from '../../../src/app/indexWorker/engine';
import { createPriceTable, type PriceOverrides } from '../../../src/core/pricing/priceTable';
import { activeBlock, computeBlocks } from '../../../src/core/report/blocks';
import { blockLikeFromRow } from '../../../src/core/limits/fromBlockRow';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { nullLogger, type Fact } from '../../../src/core/types';
import { cleanup, rootsFor, tmpDir } from '../ingest/helpers';
import * as h from '../ingest/helpers';
import { claudeHistory, lastTimestamp, writeHistory } from '../store/claudeHistory';

const H = 3_600_000;
const OVERRIDES: PriceOverrides = { 'claude-opus-4-1': { input: 14.7, output: 77.3 }, 'claude-experimental-x': { provider: 'anthropic', input: 1.1, output: 5.3 } };

function query(nowMs: number, priceOverrides: PriceOverrides): StatusQuery {
  return { nowMs, timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1, budgets: {}, priceOverrides, claudePlan: { plan: 'auto' } };
}

/** The plan limit and current block as a full-history cut gives them (what the engine computed before blocks were stored). */
function expected(claudeFacts: Fact[], nowMs: number, overrides: PriceOverrides) {
  const rows = computeBlocks(claudeFacts, { prices: createPriceTable(overrides), nowMs });
  return { planLimit: resolvePlanLimit({ plan: 'auto' }, rows.map(blockLikeFromRow)), blockStartMs: activeBlock(rows)?.startMs };
}

test('writer and a reader of its saved file give the full history\'s auto plan limit from stored blocks, for every price table', async () => {
  const dir = tmpDir();
  const writer = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  const reader = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  try {
    const files = claudeHistory(41, '2026-01-12T00:00:00Z', 50);
    const late = files.splice(15, 3);
    writeHistory(join(dir, 'claude'), files);
    const file = join(dir, 'index.sqlite');
    await writer.openWritable(file);
    await writer.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
    await writer.refresh();
    const nowMs = lastTimestamp(files) + 20 * 60_000;
    for (const o of [{}, OVERRIDES]) {
      const s = writer.statusSummary(query(nowMs, o));
      const e = expected(writer.loadFacts({ source: 'claude' }), nowMs, o);
      assert.ok(e.planLimit.tokens !== null && e.blockStartMs !== undefined);
      assert.deepEqual(s?.planLimit, e.planLimit);
      assert.equal(s?.block?.startMs, e.blockStartMs);
    }
    // older sessions arrive; the writer saves before any status read (the file holds the watermark)
    writeHistory(join(dir, 'claude'), late);
    await writer.refresh();
    await writer.save(file);
    assert.equal(await reader.openReadOnly(file), true);
    const later = nowMs + 6 * H; // the current block has ended since
    for (const o of [OVERRIDES, {}]) {
      const e = expected(writer.loadFacts({ source: 'claude' }), later, o);
      assert.deepEqual(reader.statusSummary(query(later, o))?.planLimit, e.planLimit, 'reader');
      assert.deepEqual(writer.statusSummary(query(later, o))?.planLimit, e.planLimit, 'writer');
    }
  } finally {
    await writer.close();
    await reader.close();
    cleanup(dir);
  }
});

test('calls arriving one by one (in the newest block, in its first minutes, after a pause, in a new block\'s first bucket, in an old block): the writer keeps the settled blocks and its reader drops them, both equal to the full cut each time', async () => {
  const dir = tmpDir();
  const writer = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  const reader = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  try {
    const files = claudeHistory(7, '2026-02-02T00:00:00Z', 20);
    writeHistory(join(dir, 'claude'), files);
    const file = join(dir, 'index.sqlite');
    await writer.openWritable(file);
    await writer.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
    await writer.refresh();
    await writer.save(file);
    assert.equal(await reader.openReadOnly(file), true);
    const last = lastTimestamp(files);
    const newest = writer.statusSummary(query(last + 60_000, {}))?.block?.startMs;
    assert.ok(newest !== undefined);
    const sessionFile = join(dir, 'claude', 'projects', 'late', 'x.jsonl');
    const big = { input: 90_000, output: 40_000, cw5m: 1_000, cacheRead: 5_000 };
    const pause = Math.floor((last + 7 * H) / (15 * 60_000)) * 15 * 60_000 + 60_000; // a minute into a bucket
    const arrivals: [string, number][] = [
      ['in the newest block', last + 10 * 60_000],
      ['in the newest block again', last + 40 * 60_000],
      ['in the newest block\'s first minutes', newest + 60_000],
      ['after a pause: a new block', pause],
      // the block's first entry and this call share a 15-minute bucket: the re-cut starts at the block before it
      ['in the new block\'s first bucket, after its first entry', pause + 5 * 60_000],
      ['in that bucket again', pause + 9 * 60_000],
      ['in an old block: a huge call there moves the P90', Date.parse('2026-02-03T10:05:00Z')],
      ['in the new block', last + 7 * H + 20 * 60_000],
    ];
    let n = 0;
    h.write(sessionFile, '');
    for (const [what, ts] of arrivals) {
      h.append(sessionFile, h.claudeAssistant({ id: `msg_arrive_${n++}`, ts: new Date(ts).toISOString(), session: 'late', cwd: '/home/u/late', usage: big }));
      await writer.refresh();
      // as in the extension: the writer's summary right after the commit (its blocks re-cut), then the save
      const nowMs = Math.max(ts, last + 7 * H + 20 * 60_000) + 60_000;
      const e = expected(writer.loadFacts({ source: 'claude' }), nowMs, {});
      assert.deepEqual(writer.statusSummary(query(nowMs, {}))?.planLimit, e.planLimit, `writer: ${what}`);
      await writer.save(file);
      assert.equal(await reader.openReadOnly(file), true, what);
      assert.deepEqual(reader.statusSummary(query(nowMs, {}))?.planLimit, e.planLimit, `reader: ${what}`);
    }
  } finally {
    await writer.close();
    await reader.close();
    cleanup(dir);
  }
});
