/**
 * The writer's stored Claude blocks (`storedClaudeBlocks`: every block of history, for the dashboard's timeline and
 * weekly totals), kept across data changes: an update that re-cut only the newest block (an appended call) reads that
 * block and any after it again, not the ~1.7k blocks of a year. The same rule as the index engine's P90 (engine.ts
 * `blockLikes`): every block before the newest kept one is unchanged when no update since re-cut from a watermark at
 * or before the newest block's first entry (an update re-cuts from the last block opened before its watermark). The
 * updates are followed through `claudeBlocksRecutSinceCursor`, which takes nothing from the engine's own reads.
 * Nothing is kept from inside an open transaction (it may roll back). The same blocks as a fresh read; a new array
 * whenever they changed (one handed out before is never changed).
 */
import type { Database } from 'sql.js';
import { claudeBlocksRecutCursor, claudeBlocksRecutSinceCursor, readStoredClaudeBlocks, updateClaudeBlocks, type StoredBlock } from '../store/claudeBlocks';
import { inTransaction } from './inTransaction';

const kept = new WeakMap<Database, { cursor: number; blocks: StoredBlock[] }>();

export function keptStoredClaudeBlocks(db: Database): StoredBlock[] {
  updateClaudeBlocks(db);
  const open = inTransaction(db);
  const k = kept.get(db);
  let blocks: StoredBlock[] | undefined;
  if (k && !open) {
    const since = claudeBlocksRecutSinceCursor(db, k.cursor);
    const newest = k.blocks[k.blocks.length - 1];
    if (since === undefined) blocks = k.blocks;
    else if (since !== null && newest && since > newest.firstMs) blocks = [...k.blocks.slice(0, -1), ...readStoredClaudeBlocks(db, newest.startMs)];
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
