/**
 * Claude's 5-hour blocks kept in the index (tables `claude_blocks`, `claude_block_parts`), so that reads over all
 * completed blocks (the `auto` plan limit's P90) cost a few thousand stored rows instead of the whole history.
 *
 * Stored blocks are exactly the blocks `report/blocks.ts` cuts over all Claude facts (same code: `cutBlocks`),
 * without gap blocks. They hold tokens, not dollars: each block keeps its token sums per (model, tier) in the order
 * `RowAccumulator` prices and adds them, so a block read back is priced with the current price table (overrides
 * included) to the same cent as a block cut from the facts. Whether a block is active depends only on the time of
 * the read (report/blocks.ts), so a block that completes as time passes needs no write.
 *
 * Invalidation: every write to `usage` lowers the `claudeBlocksDirtyFrom` watermark in `meta` to the oldest Claude
 * bucket it touched, in the same statement sequence and transaction (`markClaudeBlocksDirty`, called by
 * usageDeltas.ts). Blocks are brought up to date lazily (`updateClaudeBlocks`, before each read) by cutting again
 * from the start of the last stored block opened by an entry before the watermark (or from the watermark itself when
 * that block ended before it: no later fact can join it): facts are sorted by time and
 * every fact of a bucket ≥ the watermark comes after every fact of an older bucket, so the cutting up to that
 * block's opening entry is unchanged, and cutting from a block's start over the facts of buckets ≥ it gives the
 * full history's blocks from there on (a block's opening entry is the first fact of a bucket ≥ its start hour).
 * A first index reads the newest files first: older history arriving later lowers the watermark below the stored
 * blocks, and they are cut again from there. The watermark lives in the file, so a reader of the saved index
 * brings its in-memory copy up to date the same way, and a crash before COMMIT loses the watermark with the usage.
 */
import type { Database } from 'sql.js';
import { markKeptBlockLikesCut } from './keptBlockLikes';
import { inSavepoint } from './savepoint';
import { strIdOf } from './strs';
import { loadClaudeBlockFacts } from '../query/claudeBlockFacts';
import { BLOCK_MS, cutBlocks } from '../report/blocks';
import { RowAccumulator } from '../report/rows';
import type { Tier, TokenCounts } from '../types';

export const CLAUDE_BLOCKS_DIRTY_KEY = 'claudeBlocksDirtyFrom';

export interface StoredBlockPart {
  model: string;
  tier: Tier;
  tokens: TokenCounts;
}

export interface StoredBlock {
  startMs: number;
  /** first and last entry of the block */
  firstMs: number;
  lastMs: number;
  /** per (model, tier), in pricing order */
  parts: StoredBlockPart[];
}

/**
 * Lowers the watermark to the oldest Claude bucket among the usage rows staged in `stageTable` (columns `bucket`,
 * `dim`). Call it with the write that applies them, inside the same transaction.
 */
export function markClaudeBlocksDirty(db: Database, stageTable: string): void {
  // CROSS JOIN keeps the (small) stage as the outer loop, each row's dim found by its key: a plain join may scan
  // the stage once per dim (tens of thousands of dims in a year: seconds per flush)
  db.run(
    `INSERT INTO meta (key, value)
    SELECT '${CLAUDE_BLOCKS_DIRTY_KEY}', m FROM (
      SELECT min(s.bucket) AS m FROM ${stageTable} s CROSS JOIN dims d ON d.id = s.dim WHERE d.source_id = ${strIdOf("'claude'")}
    ) WHERE m IS NOT NULL
    ON CONFLICT (key) DO UPDATE SET value = min(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
  );
}

/** The watermark: stored blocks may be out of date for usage in buckets ≥ it; null when they are up to date. */
export function claudeBlocksDirtyFrom(db: Database): number | null {
  const v = db.exec('SELECT value FROM meta WHERE key = ?', [CLAUDE_BLOCKS_DIRTY_KEY])[0]?.values[0]?.[0];
  if (v === undefined || v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : Number.NEGATIVE_INFINITY; // unreadable: cut everything again
}

export interface BlocksUpdate {
  /** where the blocks were cut again from (bucket start); null = from the history's beginning */
  fromMs: number | null;
  /** blocks written */
  blocks: number;
}

function noteRecut(db: Database, dirty: number): void {
  let log = recutLogs.get(db);
  if (!log) {
    log = { first: 0, marks: [] };
    recutLogs.set(db, log);
  }
  log.marks.push(dirty);
  if (log.marks.length > RECUT_LOG_MAX) {
    const drop = log.marks.length - RECUT_LOG_MAX / 2;
    log.marks.splice(0, drop);
    log.first += drop;
  }
}

/**
 * Every watermark an update started from, per database, for the readers that keep blocks they read (the plan limit's
 * P90, the dashboard's timeline), each with its own cursor (`claudeBlocksRecutCursor`): a block that ended before the
 * block holding the watermark's bucket began is unchanged (re-cutting restarts at the block whose first entry is before
 * it). Changes that reach the database other than through `updateClaudeBlocks` (a reader window applying the writer's
 * journal, another database) are the reader's to notice. The oldest marks are dropped past RECUT_LOG_MAX: a cursor
 * from before them reads every block again.
 */
const recutLogs = new WeakMap<Database, { first: number; marks: number[] }>();
const RECUT_LOG_MAX = 1024;

/** The position in the log of recut watermarks now (for `claudeBlocksRecutSinceCursor`). */
export function claudeBlocksRecutCursor(db: Database): number {
  const log = recutLogs.get(db);
  return log ? log.first + log.marks.length : 0;
}

/**
 * The lowest watermark an update started from since `cursor` (undefined: none; null: the log no longer reaches back
 * to it), for a reader that keeps blocks it read.
 */
export function claudeBlocksRecutSinceCursor(db: Database, cursor: number): number | null | undefined {
  const log = recutLogs.get(db) ?? { first: 0, marks: [] };
  if (cursor < log.first || cursor > log.first + log.marks.length) return null;
  let min: number | undefined;
  for (let i = cursor - log.first; i < log.marks.length; i++) if (min === undefined || log.marks[i] < min) min = log.marks[i];
  return min;
}

/**
 * For a reader that keeps blocks it read (oldest first): the index of the first kept block an update from the
 * watermark `recut` may have changed — the last one whose first entry lies before it (an update re-cuts from there,
 * or later) — or -1 when none does (read them all again). The blocks before that index are unchanged.
 */
export function recutStartIndex(blocks: readonly { startMs: number; firstMs?: number }[], recut: number): number {
  let k = blocks.length - 1;
  while (k >= 0 && (blocks[k].firstMs ?? blocks[k].startMs) >= recut) k--;
  return k;
}

/**
 * Brings the stored blocks up to date with `usage` (see the file comment); null when they already were. Runs in a
 * savepoint: inside the indexer's open transaction it commits or rolls back with it, outside it is its own.
 */
export function updateClaudeBlocks(db: Database): BlocksUpdate | null {
  const dirty = claudeBlocksDirtyFrom(db);
  if (dirty === null) return null;
  // noted before the cut: a cut that fails or rolls back is only a needless note (the reader reads all again)
  noteRecut(db, dirty);
  return inSavepoint(db, 'claude_blocks_update', () => {
    const restart = Number.isFinite(dirty)
      ? db.exec('SELECT max(start_ms) FROM claude_blocks WHERE first_ms < ?', [dirty])[0]?.values[0]?.[0]
      : null;
    let fromMs = typeof restart === 'number' ? restart : null;
    // that block is closed to the watermark when the watermark's bucket starts at or past its end: no fact of a bucket
    // ≥ it can join the block (cutBlocks opens a new one), so it stays as stored and the cut starts at the watermark
    // (the next block opens on the first fact there) — a call after a pause of 5 hours or more no longer re-reads the
    // last block before the pause at every change
    let keep: number | null = null;
    if (fromMs !== null && dirty >= fromMs + BLOCK_MS) {
      keep = fromMs;
      fromMs = dirty;
    }
    const cut = cutBlocks(loadClaudeBlockFacts(db, fromMs ?? undefined));
    const drop = keep !== null ? 'start_ms > ?' : 'start_ms >= ?';
    const dropFrom = keep ?? fromMs ?? Number.MIN_SAFE_INTEGER;
    db.run(`DELETE FROM claude_block_parts WHERE ${drop}`, [dropFrom]);
    db.run(`DELETE FROM claude_blocks WHERE ${drop}`, [dropFrom]);
    const putBlock = db.prepare('INSERT INTO claude_blocks (start_ms, first_ms, last_ms) VALUES (?, ?, ?)');
    const putPart = db.prepare(
      `INSERT INTO claude_block_parts (start_ms, ord, model, tier, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    try {
      for (const b of cut) {
        putBlock.run([b.startMs, b.firstEntryMs, b.lastEntryMs]);
        const acc = new RowAccumulator();
        for (const f of b.facts) acc.add(f);
        acc.parts().forEach((p, ord) => {
          const t = p.tokens;
          putPart.run([b.startMs, ord, p.model, p.tier, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead, t.reasoning, t.webSearch, t.requests]);
        });
      }
    } finally {
      putBlock.free();
      putPart.free();
    }
    db.run('DELETE FROM meta WHERE key = ?', [CLAUDE_BLOCKS_DIRTY_KEY]);
    markKeptBlockLikesCut(db, dirty); // the plan limit's blocks kept in the file: those from the watermark on are read again
    return { fromMs, blocks: cut.length };
  });
}

/**
 * The query of `readStoredClaudeBlocks` (one `?`: the first block start, with `since`). The range and the order are on
 * the parts' primary key (start_ms, ord): SQLite walks the parts from the start in key order and finds each block by
 * its key (on `b.start_ms` it scanned every part of the year and sorted them: ~8 ms for the newest block after each
 * change).
 */
export function storedBlocksSql(since: boolean): string {
  return `
    SELECT b.start_ms, b.first_ms, b.last_ms, p.model, p.tier,
           p.input, p.output, p.cw5m, p.cw1h, p.cache_read, p.reasoning, p.web_search, p.requests
    FROM claude_blocks b JOIN claude_block_parts p ON p.start_ms = b.start_ms
    ${since ? 'WHERE p.start_ms >= ?' : ''}
    ORDER BY p.start_ms, p.ord`;
}

/** The stored blocks as they are (call `updateClaudeBlocks` first), oldest first. */
export function readStoredClaudeBlocks(db: Database, sinceMs?: number): StoredBlock[] {
  const stmt = db.prepare(storedBlocksSql(sinceMs !== undefined));
  const out: StoredBlock[] = [];
  try {
    if (sinceMs !== undefined) stmt.bind([sinceMs]);
    let cur: StoredBlock | undefined;
    while (stmt.step()) {
      const v = stmt.get();
      const start = Number(v[0]);
      if (!cur || cur.startMs !== start) {
        cur = { startMs: start, firstMs: Number(v[1]), lastMs: Number(v[2]), parts: [] };
        out.push(cur);
      }
      cur.parts.push({
        model: String(v[3]),
        tier: v[4] as Tier,
        tokens: {
          input: Number(v[5]), output: Number(v[6]), cacheWrite5m: Number(v[7]), cacheWrite1h: Number(v[8]),
          cacheRead: Number(v[9]), reasoning: Number(v[10]), webSearch: Number(v[11]), requests: Number(v[12]),
        },
      });
    }
  } finally {
    stmt.free();
  }
  return out;
}

/** The last stored block that starts at or before `ms` (start and last entry), or null (call `updateClaudeBlocks` first). */
export function storedClaudeBlockAtOrBefore(db: Database, ms: number): { startMs: number; lastMs: number } | null {
  const v = db.exec('SELECT start_ms, last_ms FROM claude_blocks WHERE start_ms <= ? ORDER BY start_ms DESC LIMIT 1', [ms])[0]?.values[0];
  return v ? { startMs: Number(v[0]), lastMs: Number(v[1]) } : null;
}
