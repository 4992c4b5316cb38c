import type { Database } from 'sql.js';
import { inSavepoint } from './savepoint';

/**
 * The `auto` plan limit's priced completed Claude blocks kept in the index file, so that a window start does not read
 * and price every stored block of the history again before its first status summary (~0.2 s of the index worker's
 * CPU at a year, cold, on the way to today's numbers). Two `meta` rows (no table: the schema stays on the database's
 * first page):
 * - `claudeBlockLikes`: JSON `{ key, flat }` — `key` names what priced them (the code and the price settings: the
 *   caller's), `flat` the blocks as `blockLikesToFlat` (core/limits/blockLikesFlat.ts) writes them, oldest first.
 * - `claudeBlockLikesCutFrom`: the lowest watermark the stored blocks were cut again from since the list was written
 *   (`markKeptBlockLikesCut`, called by `updateClaudeBlocks` in its savepoint, as the in-memory log of re-cuts is):
 *   the kept blocks whose first entry lies before it are unchanged, the rest are read again (`recutStartIndex`).
 * Both arrive in a reader's copy with the writer's journal, together with the blocks they describe.
 */
export const KEPT_BLOCK_LIKES_KEY = 'claudeBlockLikes';
export const KEPT_BLOCK_LIKES_CUT_KEY = 'claudeBlockLikesCutFrom';

export interface KeptBlockLikes {
  key: string;
  flat: (number | null)[];
  /** the lowest re-cut watermark since the list was written; undefined: none */
  cutFrom: number | undefined;
}

/** The kept list and its re-cut mark; undefined when there is none or it cannot be read (then it is not used). */
export function readKeptBlockLikes(db: Database): KeptBlockLikes | undefined {
  const rows = db.exec('SELECT key, value FROM meta WHERE key IN (?, ?)', [KEPT_BLOCK_LIKES_KEY, KEPT_BLOCK_LIKES_CUT_KEY])[0]?.values ?? [];
  let list: unknown;
  let cutFrom: number | undefined;
  for (const [k, v] of rows) {
    if (k === KEPT_BLOCK_LIKES_CUT_KEY) cutFrom = Number(v);
    else {
      try {
        list = JSON.parse(String(v));
      } catch {
        return undefined;
      }
    }
  }
  if (cutFrom !== undefined && !Number.isFinite(cutFrom)) return undefined;
  if (typeof list !== 'object' || list === null) return undefined;
  const { key, flat } = list as { key?: unknown; flat?: unknown };
  if (typeof key !== 'string' || !Array.isArray(flat) || !flat.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))) return undefined;
  return { key, flat, cutFrom };
}

/** Writes the list (replacing the one kept) and drops the re-cut mark: the list is the stored blocks as they are now. */
export function writeKeptBlockLikes(db: Database, key: string, flat: readonly (number | null)[]): void {
  inSavepoint(db, 'kept_block_likes', () => {
    db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [KEPT_BLOCK_LIKES_KEY, JSON.stringify({ key, flat })]);
    db.run('DELETE FROM meta WHERE key = ?', [KEPT_BLOCK_LIKES_CUT_KEY]);
  });
}

/**
 * The stored blocks are cut again from the watermark `dirtyMs` (a non-finite one: from the history's start): lowers
 * the mark when a list is kept (nothing is written when there is none, or the mark is already as low).
 */
export function markKeptBlockLikesCut(db: Database, dirtyMs: number): void {
  const from = Number.isFinite(dirtyMs) ? dirtyMs : Number.MIN_SAFE_INTEGER;
  db.run(
    `INSERT INTO meta (key, value)
    SELECT '${KEPT_BLOCK_LIKES_CUT_KEY}', ? WHERE EXISTS (SELECT 1 FROM meta WHERE key = '${KEPT_BLOCK_LIKES_KEY}')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE CAST(value AS INTEGER) > CAST(excluded.value AS INTEGER)`,
    [from],
  );
}
