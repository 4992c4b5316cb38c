/**
 * Where to start cutting Claude's 5-hour blocks so that the blocks of a recent window are the same as over the
 * whole history, without loading the whole history.
 *
 * A block's window depends on every earlier entry back to the last idle gap of more than 5 hours (after such a gap
 * the next entry always opens a new block, see core/report/blocks.ts). Cutting blocks only from a fixed look-back
 * starts the chain at the wrong entry when activity went on without such a gap across the look-back's start, and
 * then the current block can start at the wrong hour. This walks back from the look-back's start through the
 * Claude buckets of the index, newest first, until it finds such a gap (usually within hours: a night's sleep),
 * reading only bucket times. The walk is bounded: after `maxWalkMs` without a gap it stops there (blocks of an
 * uninterrupted chain longer than that may then differ from a full-history cut).
 */
import type { Database } from 'sql.js';
import { BLOCK_MS } from '../core/report/blocks';

const QUARTER_MS = 900_000;
/** How far before `fromMs` the walk looks for a gap at most. */
export const BLOCK_CHAIN_MAX_WALK_MS = 14 * 24 * 3_600_000;

/**
 * A 15-minute bucket start ≤ `fromMs` from which Claude blocks cut over the facts of buckets ≥ it equal the
 * full-history blocks: the bucket of the first entry after the last idle gap of more than 5 h before `fromMs`
 * (`fromMs`'s bucket when that gap reaches it), the oldest bucket when the history starts without one, or the oldest
 * bucket within `maxWalkMs` when activity went on that long without one.
 */
export function claudeBlockChainStart(db: Database, fromMs: number, maxWalkMs = BLOCK_CHAIN_MAX_WALK_MS): number {
  const from = Math.floor(fromMs / QUARTER_MS) * QUARTER_MS;
  const stmt = db.prepare(`
    SELECT u.bucket, u.first_ms, u.last_ms FROM usage u JOIN dims d ON d.id = u.dim
    WHERE d.source = 'claude' AND d.model <> '<synthetic>' AND u.bucket < ? AND u.bucket >= ?
    ORDER BY u.bucket DESC`);
  try {
    stmt.bind([from, from - maxWalkMs]);
    // `next` is at most the earliest entry at or after `nextBucket` (`from` itself before any bucket is read: the
    // next entry is at or after it), so a gap of more than 5 h before `next` is at least as long before that entry.
    let next = from;
    let nextBucket = from;
    let bucket = NaN;
    let bucketFirst = Infinity;
    let bucketLast = -Infinity;
    while (stmt.step()) {
      const [b, first, last] = stmt.get().map(Number);
      if (b !== bucket) {
        if (!Number.isNaN(bucket)) {
          if (next - bucketLast > BLOCK_MS) return nextBucket;
          next = bucketFirst;
          nextBucket = bucket;
        }
        bucket = b;
        bucketFirst = Infinity;
        bucketLast = -Infinity;
      }
      if (first < bucketFirst) bucketFirst = first;
      if (last > bucketLast) bucketLast = last;
    }
    if (Number.isNaN(bucket) || next - bucketLast > BLOCK_MS) return nextBucket;
    return bucket;
  } finally {
    stmt.free();
  }
}
