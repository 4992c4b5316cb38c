import type { Database } from 'sql.js';
import { allPacked, anyPacked, HashPacks, type PackLayout } from './hashPacks';

/**
 * The message.id hashes of compacted Claude calls (older than the correction window, claudeDedup.ts), packed:
 * `claude_seen_packs (k INTEGER PRIMARY KEY, h BLOB)` holds, per k = the hash's top 16 bits, the low 37 bits of each
 * hash in the pack as 5 big-endian bytes, sorted. A year of heavy use (1.35 M compacted calls) takes ~7.5 MB this way
 * against ~17.7 MB as one row per hash: the index file shrinks by that, and a first index writes 65,536 rows
 * instead of 1.35 M. A lookup reads one row and binary-searches it.
 * The hashes are hash53 values (0 < h < 2^53), so k < 65,536 and the packing is exact.
 */
const CLAUDE_SEEN: PackLayout = { table: 'claude_seen_packs', loBits: 37, bytes: 5 };

/** Whether any call was compacted yet. */
export function anySeenCalls(db: Database): boolean {
  return anyPacked(db, CLAUDE_SEEN);
}

/** Every compacted hash, ascending (tests and checks; a year holds ~1.35 M). */
export function allSeenCalls(db: Database): number[] {
  return allPacked(db, CLAUDE_SEEN);
}

/** Lookups and additions of compacted calls' message.id hashes (store/hashPacks.ts). */
export class SeenCalls extends HashPacks {
  constructor(db: Database) {
    super(db, CLAUDE_SEEN);
  }
}
