import type { Database } from 'sql.js';
import { allPacked, anyPacked, HashPacks, type PackLayout } from './hashPacks';
import { riceEncode } from './ricePack';

/**
 * The message.id hashes of compacted Claude calls (older than the correction window, claudeDedup.ts), packed:
 * `claude_seen_packs (k INTEGER PRIMARY KEY, h BLOB)` holds, per k = the hash's top 14 bits, the low 39 bits of the
 * pack's hashes Rice-coded (schema 15, store/ricePack.ts: ~86 hashes a pack at a year, ~4.3 bytes each; per 16-bit
 * prefix, 37 bits as 5 big-endian bytes each before). A year of heavy use (1.35 M compacted calls) takes ~6 MB
 * this way (7.55 MB at schema 14, ~17.7 MB as one row per hash). A lookup reads one row and decodes it up to the hash.
 * The hashes are hash53 values (0 < h < 2^53), so k < 16,384 and the packing is exact.
 */
export const CLAUDE_SEEN: PackLayout = { table: 'claude_seen_packs', loBits: 39, bytes: 0, rice: true };
/** The layout schema 3 to 14 wrote (migration 15 codes its packs again). */
export const CLAUDE_SEEN_V3: PackLayout = { table: 'claude_seen_packs', loBits: 37, bytes: 5 };

/**
 * Schema 15's conversion (schema.ts): every hash of the schema-3 packs, packed again in the current layout (the same
 * set of hashes).
 */
export function recodeSeenPacks(db: Database): void {
  const all = allPacked(db, CLAUDE_SEEN_V3);
  db.run('DELETE FROM claude_seen_packs');
  const lo = 2 ** CLAUDE_SEEN.loBits;
  const ins = db.prepare('INSERT INTO claude_seen_packs (k, h) VALUES (?, ?)');
  try {
    for (let i = 0; i < all.length; ) {
      const k = Math.floor(all[i] / lo);
      let j = i;
      while (j < all.length && Math.floor(all[j] / lo) === k) j++;
      ins.run([k, riceEncode(all.slice(i, j).map((h) => h % lo), CLAUDE_SEEN.loBits)]);
      i = j;
    }
  } finally {
    ins.free();
  }
}

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
