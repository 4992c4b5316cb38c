/**
 * OpenCode opens its store in WAL mode (packages/opencode/src/storage/db.ts: `PRAGMA journal_mode = WAL`), so the
 * newest transactions live in `opencode.db-wal` until a checkpoint copies them into `opencode.db` (SQLite's automatic
 * checkpoint runs after ~1000 pages, OpenCode asks for a passive one when it starts). sql.js reads only the bytes it is
 * given: a copy of `opencode.db` alone misses every message not yet checkpointed (checked: a WAL-mode file with five
 * rows in its -wal reads as if they did not exist).
 *
 * `mergeWal` applies the committed frames of a copy of the `-wal` file to a copy of the database's bytes, as SQLite's
 * own recovery does (https://www.sqlite.org/fileformat2.html §4 "The Write-Ahead Log"): a 32-byte header (magic
 * 0x377f0682/3 = checksums little/big-endian, page size, salts, checksum), then frames of a 24-byte header (page
 * number, database size in pages for a commit frame, salts, cumulative checksum) and one page. Frames are valid while
 * their salts match the header and the checksum chain holds; pages of valid frames up to the last commit frame are
 * written over the database copy, which is cut or grown to that commit's size. Anything else (no WAL, a WAL from
 * before the last reset, a torn last frame) leaves the bytes as they were, so the result is always a committed state.
 * Pure: nothing is written anywhere but the returned copy.
 */
export function mergeWal(db: Uint8Array, wal: Uint8Array | undefined): Uint8Array {
  const w = walPages(db, wal);
  if (!w) return db;
  const out = new Uint8Array(w.dbPages * w.pageSize);
  out.set(db.subarray(0, Math.min(db.length, out.length)));
  for (const [pgno, page] of w.pages) out.set(page, (pgno - 1) * w.pageSize);
  // the copy is read alone: mark it as a rollback-journal file so nothing looks for a -wal beside it
  out[18] = 1;
  out[19] = 1;
  return out;
}

/** The committed state a `-wal` file holds over a database: its page size, the database's size in pages, the pages. */
export interface WalPages {
  pageSize: number;
  dbPages: number;
  /** page number (1-based) → that page's newest committed bytes (views into the -wal copy), pages ≤ dbPages only */
  pages: Map<number, Uint8Array>;
}

/**
 * The committed frames of a `-wal` copy over a database whose first bytes (≥ 100: its header) are `dbHead`, as
 * mergeWal applies them; undefined when they change nothing (no WAL, another page size, a WAL from before the last
 * reset, a damaged header, no commit frame).
 */
export function walPages(dbHead: Uint8Array, wal: Uint8Array | undefined): WalPages | undefined {
  if (!wal || wal.length < 32 || dbHead.length < 100) return undefined;
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return undefined;
  const bigEndian = magic === 0x377f0683;
  const pageSize = view.getUint32(8);
  const dbPageSize = ((dbHead[16] << 8) | dbHead[17]) === 1 ? 65536 : (dbHead[16] << 8) | dbHead[17];
  if (pageSize !== dbPageSize || pageSize < 512) return undefined;
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  let [s0, s1] = checksum(wal, 0, 24, 0, 0, bigEndian);
  if (s0 !== view.getUint32(24) || s1 !== view.getUint32(28)) return undefined;

  const frames: { pgno: number; offset: number }[] = [];
  let committed = 0;
  let dbPages = 0;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
    if (view.getUint32(off + 8) !== salt1 || view.getUint32(off + 12) !== salt2) break;
    [s0, s1] = checksum(wal, off, 8, s0, s1, bigEndian);
    [s0, s1] = checksum(wal, off + 24, pageSize, s0, s1, bigEndian);
    if (s0 !== view.getUint32(off + 16) || s1 !== view.getUint32(off + 20)) break;
    const pgno = view.getUint32(off);
    if (pgno === 0) break;
    frames.push({ pgno, offset: off + 24 });
    const commitSize = view.getUint32(off + 4);
    if (commitSize > 0) {
      committed = frames.length;
      dbPages = commitSize;
    }
  }
  if (committed === 0) return undefined;
  const pages = new Map<number, Uint8Array>();
  for (let i = 0; i < committed; i++) {
    const { pgno, offset } = frames[i];
    if (pgno <= dbPages) pages.set(pgno, wal.subarray(offset, offset + pageSize));
  }
  return { pageSize, dbPages, pages };
}

/** SQLite's WAL checksum over `len` bytes (a multiple of 8) from `start`, continuing from (s0, s1). */
function checksum(buf: Uint8Array, start: number, len: number, s0: number, s1: number, bigEndian: boolean): [number, number] {
  const view = new DataView(buf.buffer, buf.byteOffset + start, len);
  for (let i = 0; i < len; i += 8) {
    const x0 = view.getUint32(i, !bigEndian);
    const x1 = view.getUint32(i + 4, !bigEndian);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
