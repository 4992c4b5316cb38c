/**
 * The writer's stored Claude blocks (`storedClaudeBlocks`: every block of history, for the dashboard's timeline and
 * weekly totals), kept across data changes: an update that re-cut only the newest blocks (an appended call) reads
 * those blocks again, not the ~1.7k blocks of a year — also for a call in a new block's first minutes (whose first
 * entry is not before the watermark: read from the block before it). The same rule as the index engine's P90
 * (engine.ts `blockLikes`), one function: `recutStartIndex` (an update re-cuts from the last block opened before its
 * watermark, or later). The
 * updates are followed through `claudeBlocksRecutSinceCursor`, which takes nothing from the engine's own reads.
 * Nothing is kept from inside an open transaction (it may roll back). The same blocks as a fresh read; a new array
 * whenever they changed (one handed out before is never changed).
 */
import type { Database } from 'sql.js';
import { claudeBlocksRecutCursor, claudeBlocksRecutSinceCursor, readStoredClaudeBlocks, recutStartIndex, updateClaudeBlocks, type StoredBlock } from '../store/claudeBlocks';
import { inTransaction } from './inTransaction';

const kept = new WeakMap<Database, { cursor: number; blocks: StoredBlock[] }>();

export function keptStoredClaudeBlocks(db: Database): StoredBlock[] {
  updateClaudeBlocks(db);
  const open = inTransaction(db);
  const k = kept.get(db);
  let blocks: StoredBlock[] | undefined;
  if (k && !open) {
    const since = claudeBlocksRecutSinceCursor(db, k.cursor);
    const from = since === undefined || since === null ? -1 : recutStartIndex(k.blocks, since);
    if (since === undefined) blocks = k.blocks;
    else if (from >= 0) blocks = [...k.blocks.slice(0, from), ...readStoredClaudeBlocks(db, k.blocks[from].startMs)];
  }
  blocks ??= readStoredClaudeBlocks(db);
  if (open) kept.delete(db);
  else kept.set(db, { cursor: claudeBlocksRecutCursor(db), blocks });
  return blocks;
}

/** Drops what is kept for `db` (a reader's copy follows the writer's rows: it reads them all). */
export function forgetKeptClaudeBlocks(db: Database): void {
  kept.delete(db);
}
