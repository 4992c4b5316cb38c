/**
 * The Claude blocks the `auto` plan limit's P90 reads (every stored block, priced), kept in memory across summaries
 * and, by a writer, in the index file (core/store/keptBlockLikes.ts), so that neither a change nor a window start
 * reads and prices the whole history again:
 * - in memory, the blocks the last re-cut left as they were are kept from the last call, the rest read again. A re-cut
 *   of the stored blocks (`updateClaudeBlocks`, from the oldest bucket written since: `claudeBlocksRecutSinceCursor`)
 *   restarts at the last block whose first entry lies before that bucket; the blocks before it are unchanged. The
 *   newest block is always read again (it may have ended as time passed). An appended call re-reads the block it
 *   falls in, and at most the one before.
 * - in the file, the completed blocks (all but the newest) as they were priced, under a key naming the code and the
 *   price settings that priced them (another build or other prices: not used, and replaced by the writer), with the
 *   lowest watermark the stored blocks were cut again from since (written by `updateClaudeBlocks`): at a window start
 *   the kept blocks before it are taken as they are and the rest read, as in memory. A writer replaces the list when
 *   its completed blocks differ from it (a block ended, a re-cut changed one, other prices), outside transactions.
 * Equal to `loadClaudeBlockLikes(db, q)` of every block (statusPlanLimitStored and statusPlanLimitKept tests).
 */
import type { Database } from 'sql.js';
import type { BlockLike } from '../../core/limits/blockLike';
import { blockLikesFromFlat, blockLikesToFlat, sameFlat } from '../../core/limits/blockLikesFlat';
import type { PriceTable } from '../../core/pricing/priceTable';
import { loadClaudeBlockLikes } from '../../core/query/claudeBlocks';
import { inTransaction } from '../../core/query/inTransaction';
import { claudeBlocksRecutCursor, claudeBlocksRecutSinceCursor, recutStartIndex } from '../../core/store/claudeBlocks';
import { readKeptBlockLikes, writeKeptBlockLikes } from '../../core/store/keptBlockLikes';

interface Settled {
  db: Database;
  key: string;
  likes: BlockLike[];
  /** where the log of re-cuts stood when `likes` were read */
  cursor: number;
}

export class PlanBlocks {
  private settled: Settled | undefined;
  /** the list the file holds, as this engine last read or wrote it */
  private inFile: { db: Database; key: string; flat: (number | null)[]; last?: BlockLike; count?: number } | undefined;

  /**
   * @param codeId names the code that prices the blocks (a hash of the worker's bundle, bundleId.ts), part of the file's
   *   key; undefined = nothing is read from or kept in the file
   */
  constructor(private readonly codeId: string | undefined) {}

  /** The database's blocks changed other than through `updateClaudeBlocks` (a reader applied the writer's journal). */
  drop(): void {
    this.settled = undefined;
    this.inFile = undefined;
  }

  /** Every stored Claude block, oldest first, priced with `prices` (whose settings `priceKey` names), as of `nowMs`. */
  likes(db: Database, priceKey: string, prices: PriceTable, nowMs: number, writable: boolean): BlockLike[] {
    const q = { prices, nowMs };
    const fileKey = this.codeId === undefined ? undefined : JSON.stringify([this.codeId, priceKey]);
    let s = this.settled;
    if (!(s && s.db === db && s.key === priceKey) && fileKey !== undefined) s = this.fromFile(db, priceKey, fileKey, nowMs);
    let likes: BlockLike[] | undefined;
    if (s && s.db === db && s.key === priceKey) {
      const newest = s.likes[s.likes.length - 1];
      const tail = loadClaudeBlockLikes(db, q, newest.startMs); // brings the stored blocks up to date (notes a re-cut)
      const recut = claudeBlocksRecutSinceCursor(db, s.cursor);
      const from = recut === null ? -1 : recut === undefined ? s.likes.length - 1 : recutStartIndex(s.likes, recut);
      if (from >= 0) likes = [...s.likes.slice(0, from), ...(from === s.likes.length - 1 ? tail : loadClaudeBlockLikes(db, q, s.likes[from].startMs))];
    }
    likes ??= loadClaudeBlockLikes(db, q);
    this.settled = likes.length ? { db, key: priceKey, likes, cursor: claudeBlocksRecutCursor(db) } : undefined;
    if (writable && fileKey !== undefined) this.keepInFile(db, fileKey, likes);
    return likes;
  }

  /** The blocks the file keeps for `fileKey`, those a re-cut since may have changed left out; undefined: none usable. */
  private fromFile(db: Database, priceKey: string, fileKey: string, nowMs: number): Settled | undefined {
    if (this.inFile?.db !== db) this.inFile = undefined;
    const kept = readKeptBlockLikes(db);
    if (!kept) return undefined;
    this.inFile = { db, key: kept.key, flat: kept.flat };
    if (kept.key !== fileKey) return undefined;
    let likes = blockLikesFromFlat(kept.flat, nowMs);
    if (!likes) return undefined;
    // the last block kept before the mark is the first one a re-cut from it may have changed: read again from there
    if (kept.cutFrom !== undefined) likes = likes.slice(0, recutStartIndex(likes, kept.cutFrom) + 1);
    return likes.length ? { db, key: priceKey, likes, cursor: claudeBlocksRecutCursor(db) } : undefined;
  }

  /** A writer keeps the completed blocks (all but the newest) in the file when they differ from what it holds. */
  private keepInFile(db: Database, fileKey: string, likes: readonly BlockLike[]): void {
    if (likes.length < 2) return;
    const f = this.inFile;
    // the completed blocks are the objects last compared with the file's: unchanged (a re-cut of any of them makes
    // new objects from there on, a new completed block a new last one), so a change costs no pass over the history
    const last = likes[likes.length - 2];
    if (f && f.db === db && f.key === fileKey && f.last === last && f.count === likes.length - 1) return;
    if (inTransaction(db)) return; // a refresh's open transaction may still roll back
    const flat = blockLikesToFlat(likes.slice(0, -1));
    const held = { db, key: fileKey, flat, last, count: likes.length - 1 };
    if (f && f.db === db && f.key === fileKey && sameFlat(f.flat, flat)) {
      this.inFile = held;
      return;
    }
    if (!f || f.db !== db) {
      // first use of this database without reading its list (the blocks were kept in memory): read what it holds
      const kept = readKeptBlockLikes(db);
      if (kept && kept.key === fileKey && sameFlat(kept.flat, flat)) {
        this.inFile = held;
        return;
      }
    }
    writeKeptBlockLikes(db, fileKey, flat);
    this.inFile = held;
  }
}
