import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IndexEngine, type StatusQuery } from '../../../src/app/indexWorker/engine';
import { createPriceTable, type PriceOverrides } from '../../../src/core/pricing/priceTable';
import { computeBlocks } from '../../../src/core/report/blocks';
import { blockLikeFromRow } from '../../../src/core/limits/fromBlockRow';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { blockLikesFromFlat } from '../../../src/core/limits/blockLikesFlat';
import { KEPT_BLOCK_LIKES_CUT_KEY, KEPT_BLOCK_LIKES_KEY, readKeptBlockLikes, writeKeptBlockLikes } from '../../../src/core/store/keptBlockLikes';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { openIndexDatabase } from '../../../src/core/store/persist';
import { saveIndexDatabase } from '../../../src/core/store/journaledSaves';
import { nullLogger, type Fact } from '../../../src/core/types';
import * as h from '../ingest/helpers';
import { cleanup, rootsFor, tmpDir } from '../ingest/helpers';
import { claudeHistory, lastTimestamp, writeHistory } from '../store/claudeHistory';

// The auto plan limit's priced blocks kept in the index file (app/indexWorker/planBlocks.ts, core/store/keptBlockLikes.ts):
// a window start takes the completed blocks from the file and reads only those a re-cut since may have changed.

const H = 3_600_000;
const SMALL = { input: 1_200, output: 800, cacheRead: 40_000 };
const OVERRIDES: PriceOverrides = { 'claude-opus-4-1': { input: 14.7, output: 77.3 } };
const engine = (codeId?: string) => new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger, codeId });

function query(nowMs: number, priceOverrides: PriceOverrides = {}): StatusQuery {
  return { nowMs, timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1, budgets: {}, priceOverrides, claudePlan: { plan: 'auto' } };
}

/** The plan limit a full-history cut gives. */
function expected(claudeFacts: Fact[], nowMs: number, overrides: PriceOverrides = {}) {
  return resolvePlanLimit({ plan: 'auto' }, computeBlocks(claudeFacts, { prices: createPriceTable(overrides), nowMs }).map(blockLikeFromRow));
}

/** The saved index as the next open finds it (its journal applied). */
async function metaOf(file: string) {
  const { db } = openIndexDatabase(await loadSqlJs(), file);
  try {
    return { kept: readKeptBlockLikes(db), stored: Number(db.exec('SELECT count(*) FROM claude_blocks')[0].values[0][0]) };
  } finally {
    db.close();
  }
}

/** Rewrites the file's kept list with every block's cost and tokens multiplied (a list that would give another P90). */
async function falsifyKept(file: string): Promise<void> {
  const { db } = openIndexDatabase(await loadSqlJs(), file);
  const kept = readKeptBlockLikes(db);
  assert.ok(kept);
  writeKeptBlockLikes(db, kept.key, kept.flat.map((x, i) => (x !== null && (i % 6 === 3 || i % 6 === 4) ? x * 7 : x)));
  saveIndexDatabase(db, file);
  db.close();
}

async function indexed(dir: string, files: ReturnType<typeof claudeHistory>, codeId = 'build-1') {
  writeHistory(join(dir, 'claude'), files);
  const file = join(dir, 'index.sqlite');
  const writer = engine(codeId);
  await writer.openWritable(file);
  await writer.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
  await writer.refresh();
  return { writer, file };
}

test('a writer keeps its completed blocks in the file; the next window start takes them from there (same build and prices only)', async () => {
  const dir = tmpDir();
  const started: IndexEngine[] = [];
  try {
    const files = claudeHistory(23, '2026-03-02T00:00:00Z', 30);
    const { writer, file } = await indexed(dir, files);
    started.push(writer);
    const nowMs = lastTimestamp(files) + 30 * 60_000;
    const claudeFacts = writer.loadFacts({ source: 'claude' });
    const want = expected(claudeFacts, nowMs);
    assert.ok(want.tokens !== null);
    assert.deepEqual(writer.statusSummary(query(nowMs))?.planLimit, want);
    await writer.save(file);
    const { kept, stored } = await metaOf(file);
    assert.ok(kept, 'the list is in the saved file');
    assert.equal(kept.cutFrom, undefined);
    const likes = blockLikesFromFlat(kept.flat, nowMs);
    assert.equal(likes?.length, stored - 1, 'every stored block but the newest');
    assert.ok(likes?.every((b) => !b.isActive));

    // another window start of the same build: the same limit, from the list
    const next = engine('build-1');
    started.push(next);
    await next.openWritable(file);
    assert.deepEqual(next.statusSummary(query(nowMs))?.planLimit, want);

    // the list is what it reads: a list that lies gives another limit to the same build, not to another build
    await next.close();
    await falsifyKept(file);
    const fooled = engine('build-1');
    const rebuilt = engine('build-2');
    started.push(fooled, rebuilt);
    await fooled.openWritable(file);
    assert.notDeepEqual(fooled.statusSummary(query(nowMs))?.planLimit, want, 'the same build reads the kept list');
    await fooled.close();
    await rebuilt.openWritable(file);
    assert.deepEqual(rebuilt.statusSummary(query(nowMs))?.planLimit, want, 'another build reads the stored blocks');
    // and replaces the list with its own
    await rebuilt.save(file);
    assert.match((await metaOf(file)).kept?.key ?? '', /build-2/);

    // other prices: the stored blocks are priced again, and the list is kept for them
    const priced = engine('build-2');
    started.push(priced);
    await rebuilt.close();
    await priced.openWritable(file);
    assert.deepEqual(priced.statusSummary(query(nowMs, OVERRIDES))?.planLimit, expected(claudeFacts, nowMs, OVERRIDES));
  } finally {
    for (const e of started) await e.close();
    cleanup(dir);
  }
});

test('blocks cut again after the list was kept (older history arriving, a call in an old block): the next window start reads them again, saved before or after the re-cut', async () => {
  for (const readBeforeSave of [true, false]) {
    const dir = tmpDir();
    const started: IndexEngine[] = [];
    try {
      const files = claudeHistory(29, '2026-04-06T00:00:00Z', 30);
      const late = files.splice(8, 4);
      const { writer, file } = await indexed(dir, files);
      started.push(writer);
      const last = lastTimestamp(files);
      const nowMs = last + 7 * H;
      writer.statusSummary(query(nowMs));
      await writer.save(file);
      assert.ok((await metaOf(file)).kept);
      // older sessions, and a huge call in an old block, arrive
      writeHistory(join(dir, 'claude'), late);
      const old = join(dir, 'claude', 'projects', 'late', 'x.jsonl');
      h.write(old, h.claudeAssistant({ id: 'msg_old_huge', ts: '2026-04-07T10:05:00Z', session: 'late', cwd: '/home/u/late', usage: { input: 900_000, output: 400_000 } }));
      await writer.refresh();
      const want = expected(writer.loadFacts({ source: 'claude' }), nowMs);
      if (readBeforeSave) {
        // the writer's own summary re-cuts the blocks (marking the kept list) and keeps the new list; saved with it
        assert.deepEqual(writer.statusSummary(query(nowMs))?.planLimit, want);
      }
      await writer.save(file);
      const { kept } = await metaOf(file);
      if (!readBeforeSave) assert.ok(kept, 'the old list is still in the file; the blocks are cut again on first read');
      const next = engine('build-1');
      const reader = engine('build-1');
      started.push(next, reader);
      assert.equal(await reader.openReadOnly(file), true);
      assert.deepEqual(reader.statusSummary(query(nowMs))?.planLimit, want, `reader (read before save: ${readBeforeSave})`);
      await next.openWritable(file);
      assert.deepEqual(next.statusSummary(query(nowMs))?.planLimit, want, `next window start (read before save: ${readBeforeSave})`);
    } finally {
      for (const e of started) await e.close();
      cleanup(dir);
    }
  }
});

test('a re-cut marks a kept list (lowest watermark only); without a list nothing is written', async () => {
  const dir = tmpDir();
  const started: IndexEngine[] = [];
  try {
    const files = claudeHistory(11, '2026-05-04T00:00:00Z', 20);
    const { writer, file } = await indexed(dir, files, 'build-1');
    started.push(writer);
    const nowMs = lastTimestamp(files) + 20 * 60_000;
    // a build that keeps nothing: no list, and no mark after a re-cut
    const plain = engine(undefined);
    started.push(plain);
    await writer.save(file);
    await writer.close();
    await plain.openWritable(file);
    plain.statusSummary(query(nowMs));
    await plain.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
    h.write(join(dir, 'claude', 'projects', 'late', 'y.jsonl'), '');
    h.append(join(dir, 'claude', 'projects', 'late', 'y.jsonl'), h.claudeAssistant({ id: 'msg_y1', ts: new Date(nowMs - 60_000).toISOString(), session: 'late', cwd: '/home/u/late', usage: SMALL }));
    await plain.refresh();
    plain.statusSummary(query(nowMs));
    await plain.save(file);
    const none = await metaOf(file);
    assert.equal(none.kept, undefined);
    await plain.close();

    const keeper = engine('build-1');
    started.push(keeper);
    await keeper.openWritable(file);
    keeper.statusSummary(query(nowMs));
    await keeper.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
    const at = (ms: number) => new Date(ms).toISOString();
    h.append(join(dir, 'claude', 'projects', 'late', 'y.jsonl'), h.claudeAssistant({ id: 'msg_y2', ts: at(nowMs - 30_000), session: 'late', cwd: '/home/u/late', usage: SMALL }));
    await keeper.refresh();
    keeper.statusSummary(query(nowMs)); // the newest block is cut again: its list (all but the newest) is unchanged
    await keeper.save(file);
    const marked = await metaOf(file);
    assert.ok(marked.kept && marked.kept.cutFrom !== undefined, 'the re-cut is marked');
    const firstMark = marked.kept.cutFrom;
    h.append(join(dir, 'claude', 'projects', 'late', 'y.jsonl'), h.claudeAssistant({ id: 'msg_y3', ts: at(nowMs - 10_000), session: 'late', cwd: '/home/u/late', usage: SMALL }));
    await keeper.refresh();
    keeper.statusSummary(query(nowMs));
    await keeper.save(file);
    assert.equal((await metaOf(file)).kept?.cutFrom, firstMark, 'a later watermark does not raise the mark');
    assert.ok([KEPT_BLOCK_LIKES_KEY, KEPT_BLOCK_LIKES_CUT_KEY].every((k) => k.length > 0));
  } finally {
    for (const e of started) await e.close();
    cleanup(dir);
  }
});
