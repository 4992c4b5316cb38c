import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadFacts } from '../../../src/core/query/facts';
import { claudeBlockChainStart, loadClaudeBlockLikes, loadClaudeBlocks } from '../../../src/core/query/claudeBlocks';
import { computeBlocks, type BlockRow } from '../../../src/core/report/blocks';
import { createPriceTable, type PriceTable } from '../../../src/core/pricing/priceTable';
import { blockLikeFromRow } from '../../../src/core/limits/fromBlockRow';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { claudeBlocksDirtyFrom, storedBlocksSql, updateClaudeBlocks, type BlocksUpdate } from '../../../src/core/store/claudeBlocks';
import { SCHEMA_VERSION, migrate } from '../../../src/core/store/schema';
import { UsageDeltas } from '../../../src/core/store/usageDeltas';
import { TimeSlicer } from '../../../src/core/store/timeSlice';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { claudeAssistant, cleanup, freshDb, rootsFor, tmpDir, write } from '../ingest/helpers';
import { claudeHistory, lastTimestamp, writeHistory } from './claudeHistory';
import { asSchema12, putDim } from './dimRows';

const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

const TABLES: [string, PriceTable][] = [
  ['bundled prices', createPriceTable()],
  [
    'overrides (Sonnet repriced, the unknown model priced)',
    createPriceTable({
      'claude-sonnet-4-5': { input: 3.3, output: 16.1, cacheRead: 0.33 },
      'claude-experimental-x': { provider: 'anthropic', input: 0.7, output: 2.9 },
    }),
  ],
];

function fullBlocks(db: Database, prices: PriceTable, nowMs: number): BlockRow[] {
  return computeBlocks(loadFacts(db, { source: 'claude' }), { prices, nowMs }).filter((b) => !b.isGap);
}

/** Stored blocks and their P90 equal the full-history cut's, for every price table. Returns the bundled-price rows. */
function assertStoredEqualsFull(db: Database, nowMs: number, label: string): BlockRow[] {
  let first: BlockRow[] = [];
  for (const [name, prices] of TABLES) {
    const full = fullBlocks(db, prices, nowMs);
    const stored = loadClaudeBlocks(db, { prices, nowMs });
    assert.deepStrictEqual(stored, full, `${label}, ${name}: every block`);
    // what the plan limit reads: the same blocks without their report rows, and the same P90
    const likes = loadClaudeBlockLikes(db, { prices, nowMs });
    assert.deepStrictEqual(likes, full.map(blockLikeFromRow), `${label}, ${name}: every block as the plan logic sees it`);
    assert.deepStrictEqual(
      resolvePlanLimit({ plan: 'auto' }, likes),
      resolvePlanLimit({ plan: 'auto' }, full.map(blockLikeFromRow)),
      `${label}, ${name}: the P90 plan limit`,
    );
    if (!first.length) first = stored;
  }
  return first;
}

function indexer(db: Database, dir: string): Indexer {
  return new Indexer({ db, roots: rootsFor({ claude: join(dir, 'claude') }) });
}

test('first index newest first, file by file: the stored blocks equal a full cut after every batch, older history invalidating them', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(7, '2026-01-05T00:00:00Z', 100);
    writeHistory(join(dir, 'claude'), files);
    const db = await freshDb();
    const ix = indexer(db, dir);
    const updates: BlocksUpdate[] = [];
    let checks = 0;
    const nowMs = lastTimestamp(files) + 1000; // the last block is still active
    await ix.refresh({
      newestFirst: true,
      flushEveryMs: 0,
      onProgress: (p) => {
        // the status bar reads during the first index (inside the indexer's transaction): every few batches
        if (p.filesDone % 12 !== 1) return;
        const u = updateClaudeBlocks(db);
        if (u) updates.push(u);
        assertStoredEqualsFull(db, nowMs, `after ${p.filesDone} of ${p.filesTotal} files`);
        checks++;
      },
    });
    await ix.dispose();
    assert.ok(checks >= 10, `${checks} checks`);
    assert.ok(updates.some((u) => u.fromMs === null && u.blocks > 0), 'older history arriving later cuts the stored blocks again from the start');
    const rows = assertStoredEqualsFull(db, nowMs, 'after the first index');
    // the history is what this test claims it is
    assert.ok(rows.length > 150, `${rows.length} blocks`);
    assert.ok(rows.some((b) => b.costUSD === null) && rows.some((b) => b.costUSD !== null), 'priced and unpriced blocks');
    assert.ok(rows.some((b) => b.isActive), 'an active block');
    assert.ok(rows.filter((b) => b.models.length > 1).length > 20, 'blocks with several models');
    const facts = loadFacts(db, { source: 'claude' });
    assert.ok(facts.some((f) => f.tier === 'long') && facts.some((f) => f.tier === 'fast'), 'long-context and fast-mode usage');
    const limit = resolvePlanLimit({ plan: 'auto' }, rows.map(blockLikeFromRow));
    assert.equal(limit.method, 'p90-near-limit');
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('new usage recuts only the last blocks; a late old file recuts from its chain; a block completes as time passes without a write', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(11, '2026-02-02T00:00:00Z', 90);
    // hold back a session from the middle of the history: it arrives after everything else (a copied-in old file)
    const late = files.splice(Math.floor(files.length / 2), 1)[0];
    writeHistory(join(dir, 'claude'), files);
    const db = await freshDb();
    const ix = indexer(db, dir);
    await ix.refresh({ newestFirst: true });
    const lastMs = lastTimestamp(files);
    let rows = assertStoredEqualsFull(db, lastMs + 1000, 'indexed');
    assert.equal(claudeBlocksDirtyFrom(db), null, 'the reads brought the stored blocks up to date');

    // a new call 30 minutes after the last one: only the last block (or the one before it) is cut again
    const newest = join(dir, 'claude', files[files.length - 1].path);
    write(newest, files[files.length - 1].lines.join('') + claudeAssistant({ id: 'msg_new', ts: iso(lastMs + 30 * 60_000), usage: { input: 900, output: 50_000 } }));
    await ix.refresh();
    const tail = updateClaudeBlocks(db);
    assert.ok(tail && tail.fromMs !== null && tail.fromMs >= rows[rows.length - 2].startMs, `recut from ${tail && tail.fromMs !== null ? iso(tail.fromMs) : tail?.fromMs}`);
    assert.ok(tail.blocks <= 2);
    rows = assertStoredEqualsFull(db, lastMs + 31 * 60_000, 'after a new call');

    // the late file: its chain (and every block after it that it changes) is cut again, not the blocks before it
    writeHistory(join(dir, 'claude'), [late]);
    await ix.refresh();
    const recut = updateClaudeBlocks(db);
    assert.ok(recut && recut.fromMs !== null, 'not from the beginning');
    assert.ok(recut.fromMs > rows[0].startMs && recut.fromMs <= Date.parse(JSON.parse(late.lines[0]).timestamp));
    assert.ok(rows.filter((b) => b.startMs < recut.fromMs!).length > 10, 'the blocks before it are kept as stored');
    rows = assertStoredEqualsFull(db, lastMs + 31 * 60_000, 'after a late old file');

    // time passes: the last block ends and counts for the P90, without any write
    const active = rows.find((b) => b.isActive)!;
    assert.ok(active, 'an active block a minute after the last call');
    const later = active.endMs + 60_000;
    assert.equal(updateClaudeBlocks(db), null, 'nothing to recut');
    const afterEnd = assertStoredEqualsFull(db, later, 'after the last block ended');
    assert.ok(!afterEnd.some((b) => b.isActive));
    const p90 = (now: number) => resolvePlanLimit({ plan: 'auto' }, loadClaudeBlockLikes(db, { prices: TABLES[0][1], nowMs: now }));
    assert.ok(p90(later).blocksUsed >= p90(lastMs + 31 * 60_000).blocksUsed);

    // the chain start read from the stored blocks: the current block's start, and the blocks cut from it are the full ones
    for (const t of [lastMs - 40 * H, lastMs - 7 * 24 * H, late.lastMs]) {
      const since = claudeBlockChainStart(db, t);
      assert.ok(since <= t && t - since < 5 * H, iso(since));
      const prices = TABLES[0][1];
      const fromChain = computeBlocks(loadFacts(db, { source: 'claude', sinceMs: since }), { prices, nowMs: later }).filter((b) => !b.isGap);
      assert.deepStrictEqual(fromChain, fullBlocks(db, prices, later).filter((b) => b.startMs >= since));
    }
    await ix.dispose();
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('the stored blocks from a start on are the tail of all of them, read from the parts by their key (no scan of the year)', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(12, '2026-03-02T00:00:00Z', 40);
    writeHistory(join(dir, 'claude'), files);
    const db = await freshDb();
    const ix = indexer(db, dir);
    await ix.refresh({ newestFirst: true });
    const nowMs = lastTimestamp(files) + 60_000;
    const q = { prices: TABLES[0][1], nowMs };
    const all = loadClaudeBlockLikes(db, q);
    assert.ok(all.length > 20, `${all.length} blocks`);
    for (const k of [0, 1, Math.floor(all.length / 2), all.length - 2, all.length - 1]) {
      // from a block's start, and from just after the block before it: the same tail
      assert.deepStrictEqual(loadClaudeBlockLikes(db, q, all[k].startMs), all.slice(k), `from block ${k}`);
      if (k > 0) assert.deepStrictEqual(loadClaudeBlockLikes(db, q, all[k - 1].startMs + 1), all.slice(k), `after block ${k - 1}`);
    }
    assert.deepStrictEqual(loadClaudeBlockLikes(db, q, all[all.length - 1].startMs + 1), [], 'after the newest block');
    const plan = (db.exec(`EXPLAIN QUERY PLAN ${storedBlocksSql(true)}`, [all[1].startMs])[0]?.values ?? []).map((r) => String(r[3]));
    assert.ok(plan.some((d) => /SEARCH p USING PRIMARY KEY/.test(d)), plan.join('; '));
    assert.ok(!plan.some((d) => /TEMP B-TREE/.test(d)), plan.join('; '));
    await ix.dispose();
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('a reader of the saved file brings its copy up to date from the watermark saved with the usage', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(23, '2026-03-02T00:00:00Z', 60);
    const late = files.splice(5, 1)[0];
    writeHistory(join(dir, 'claude'), files);
    const db = await freshDb();
    const ix = indexer(db, dir);
    await ix.refresh({ newestFirst: true });
    const nowMs = files[files.length - 1].lastMs + 3 * H;
    assertStoredEqualsFull(db, nowMs, 'writer');
    writeHistory(join(dir, 'claude'), [late]);
    await ix.refresh();
    await ix.dispose();
    // the writer saves before it reads the blocks again: the file holds stale blocks and the watermark
    const SQL = await loadSqlJs();
    const reader = new SQL.Database(db.export());
    assert.ok(claudeBlocksDirtyFrom(reader) !== null);
    assertStoredEqualsFull(reader, nowMs, 'reader');
    assertStoredEqualsFull(db, nowMs, 'writer, after');
    reader.close();
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('an index of schema version 1 (usage, no stored blocks) gets all its blocks cut on the first read', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(5, '2026-04-06T00:00:00Z', 30);
    writeHistory(join(dir, 'claude'), files);
    const db = await freshDb();
    const ix = indexer(db, dir);
    await ix.refresh();
    await ix.dispose();
    // back to version 1 as an older AgentMeter left it (version 3's tables in their version 1 shape; the compacted
    // hashes, which blocks do not read, are left out)
    asSchema12(db);
    db.run(`DROP TABLE claude_blocks; DROP TABLE claude_block_parts; DELETE FROM meta WHERE key = 'claudeBlocksDirtyFrom';
      DROP TABLE claude_seen_packs; CREATE TABLE claude_seen (mid INTEGER PRIMARY KEY); CREATE INDEX claude_calls_ts ON claude_calls (ts);
      DROP TABLE keyed_packs; DROP TABLE idle_gaps; DROP TABLE keyed_calls; DROP TABLE usage_acts; DROP TABLE act_keys; DROP TABLE codex_event_packs; CREATE TABLE codex_events (h INTEGER PRIMARY KEY); DROP TABLE rate_limits; CREATE TABLE rate_limits (bucket INTEGER PRIMARY KEY, observed_ms INTEGER NOT NULL, snapshot TEXT NOT NULL); DROP TABLE usage_hours; DROP TABLE hour_keys; DROP TABLE session_totals; PRAGMA user_version = 1`);
    assert.equal(migrate(db), SCHEMA_VERSION);
    const u = updateClaudeBlocks(db);
    assert.ok(u && u.fromMs === null && u.blocks > 20);
    assertStoredEqualsFull(db, files[files.length - 1].lastMs + H, 'migrated');
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('a refresh that fails rolls back the stored blocks read during it together with its usage', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(31, '2026-05-04T00:00:00Z', 40);
    const older = files.splice(0, 10);
    writeHistory(join(dir, 'claude'), files);
    const db = await freshDb();
    const ix = indexer(db, dir);
    await ix.refresh();
    const nowMs = files[files.length - 1].lastMs + H;
    const before = assertStoredEqualsFull(db, nowMs, 'indexed');
    writeHistory(join(dir, 'claude'), older);
    await assert.rejects(
      ix.refresh({
        flushEveryMs: 0,
        onProgress: (p) => {
          loadClaudeBlocks(db, { prices: TABLES[0][1], nowMs }); // recut inside the refresh's transaction
          if (p.filesDone === 5) throw new Error('disk full');
        },
      }),
      /disk full/,
    );
    await ix.dispose();
    assert.equal(claudeBlocksDirtyFrom(db), null);
    assert.deepStrictEqual(assertStoredEqualsFull(db, nowMs, 'after the rollback'), before);
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('the watermark: a usage write lowers it to its oldest Claude bucket, Codex usage and newer writes leave it', async () => {
  const db = await freshDb();
  assert.equal(updateClaudeBlocks(db)?.blocks, 0, 'a new index starts dirty (migration 2) and has nothing to cut');
  assert.equal(claudeBlocksDirtyFrom(db), null);
  putDim(db, { source: 'claude', model: 'claude-sonnet-4-5', project: 'p', session: 's', branch: 'main', tier: 'standard' }, 1);
  putDim(db, { source: 'codex', model: 'gpt-5', project: '/w', session: 'r', branch: 'main', tier: 'standard' }, 2);
  const t = { input: 10, output: 5, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 0 };
  const at = (iso: string) => Date.parse(iso);
  const flush = async (rows: [number, number][]) => {
    const d = new UsageDeltas();
    for (const [ts, dim] of rows) d.add(Math.floor(ts / 900_000) * 900_000, dim, t, ts, 1);
    await d.flush(db, new TimeSlicer());
  };
  await flush([[at('2026-05-01T10:20:00Z'), 2]]);
  assert.equal(claudeBlocksDirtyFrom(db), null, 'Codex usage does not touch Claude blocks');
  await flush([[at('2026-05-01T10:20:00Z'), 1], [at('2026-05-01T09:05:00Z'), 2], [at('2026-05-02T08:00:00Z'), 1]]);
  assert.equal(iso(claudeBlocksDirtyFrom(db)!), '2026-05-01T10:15:00.000Z', 'the oldest Claude bucket of the write');
  await flush([[at('2026-05-03T08:00:00Z'), 1]]);
  assert.equal(iso(claudeBlocksDirtyFrom(db)!), '2026-05-01T10:15:00.000Z', 'a newer write keeps the older mark');
  await flush([[at('2026-04-20T23:59:00Z'), 1]]);
  assert.equal(iso(claudeBlocksDirtyFrom(db)!), '2026-04-20T23:45:00.000Z');
  assert.deepEqual(updateClaudeBlocks(db), { fromMs: null, blocks: 4 }, 'Apr 20, May 1, 2 and 3');
  assert.equal(claudeBlocksDirtyFrom(db), null);
  db.close();
});

test('a call after a pause of 5 hours or more recuts from its own bucket: the last block before the pause stays as stored', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(7, '2026-03-02T00:00:00Z', 20);
    writeHistory(join(dir, 'claude'), files);
    const db = await freshDb();
    const ix = indexer(db, dir);
    await ix.refresh();
    const lastMs = lastTimestamp(files);
    const before = assertStoredEqualsFull(db, lastMs + 1000, 'indexed');
    const lastBlock = before[before.length - 1];
    const newest = join(dir, 'claude', files[files.length - 1].path);
    let text = files[files.length - 1].lines.join('');
    const q = 15 * 60_000;
    // a call two days later (the next working day), then two more in its first bucket, then one 40 minutes on
    const t0 = lastBlock.startMs + 2 * 24 * H + 17 * 60_000;
    const calls = [t0, t0 + 2 * 60_000, t0 + 9 * 60_000, t0 + 40 * 60_000];
    for (const [i, t] of calls.entries()) {
      text += claudeAssistant({ id: `msg_after_pause_${i}`, ts: iso(t), usage: { input: 700 + i, output: 30_000 } });
      write(newest, text);
      await ix.refresh();
      const up = updateClaudeBlocks(db);
      assert.ok(up, `call ${i}: the blocks were dirty`);
      // in the new block's first bucket its first entry is not before the watermark: the cut starts at the watermark;
      // later, from the new block's start (its hour), as any block still open
      const expected = i < 3 ? Math.floor(t / q) * q : Math.floor(t0 / H) * H;
      assert.equal(up.fromMs, expected, `call ${i}: recut from ${iso(expected)}, not from the block before the pause`);
      const rows = assertStoredEqualsFull(db, t + 1000, `after call ${i}`);
      assert.deepStrictEqual(rows.slice(0, before.length - 1).map((b) => b.startMs), before.slice(0, -1).map((b) => b.startMs));
      const kept = (b: BlockRow) => ({ startMs: b.startMs, firstMs: b.firstMs, lastMs: b.lastMs, totalTokens: b.totalTokens, costUSD: b.costUSD, requests: b.requests });
      assert.deepStrictEqual(kept(rows[before.length - 1]), kept(lastBlock), 'the last block before the pause, as stored');
    }
    // a late line in the block before the pause: the watermark falls inside it, and it is cut again with the rest
    text += claudeAssistant({ id: 'msg_late_in_last_block', ts: iso(lastBlock.firstMs + 20 * 60_000), usage: { input: 5, output: 10 } });
    write(newest, text);
    await ix.refresh();
    const late = updateClaudeBlocks(db);
    assert.equal(late?.fromMs, lastBlock.startMs, 'recut from the block the late line falls in');
    assertStoredEqualsFull(db, calls[calls.length - 1] + 1000, 'after the late line');
    await ix.dispose();
    db.close();
  } finally {
    cleanup(dir);
  }
});
