import type { Database, Statement } from 'sql.js';
import type { TimeSlicer } from './timeSlice';

/**
 * The message.id hashes of compacted Claude calls (older than the correction window, claudeDedup.ts), packed:
 * `claude_seen_packs (k INTEGER PRIMARY KEY, h BLOB)` holds, per k = the hash's top 16 bits, the low 37 bits of each
 * hash in the pack as 5 big-endian bytes, sorted. A year of heavy use (1.35 M compacted calls) takes ~7.5 MB this way
 * against ~17.7 MB as one row per hash: the index file shrinks by that, and a first index writes 65,536 rows
 * instead of 1.35 M. A lookup reads one row and binary-searches it.
 * The hashes are hash53 values (0 < h < 2^53), so k < 65,536 and the packing is exact.
 */
const LO = 2 ** 37;
const ENTRY = 5;

const packOf = (mid: number) => Math.floor(mid / LO);

function loAt(b: Uint8Array, i: number): number {
  return b[i] * 2 ** 32 + b[i + 1] * 2 ** 24 + b[i + 2] * 2 ** 16 + b[i + 3] * 2 ** 8 + b[i + 4];
}

function putLo(b: Uint8Array, i: number, v: number): void {
  b[i] = Math.floor(v / 2 ** 32);
  const r = v % 2 ** 32;
  b[i + 1] = r >>> 24;
  b[i + 2] = (r >>> 16) & 0xff;
  b[i + 3] = (r >>> 8) & 0xff;
  b[i + 4] = r & 0xff;
}

/** Index of `lo` in a pack, or -(insertion point) - 1. */
function search(pack: Uint8Array, lo: number): number {
  let a = 0;
  let z = pack.length / ENTRY - 1;
  while (a <= z) {
    const m = (a + z) >>> 1;
    const v = loAt(pack, m * ENTRY);
    if (v === lo) return m;
    if (v < lo) a = m + 1;
    else z = m - 1;
  }
  return -a - 1;
}

/** Whether any call was compacted yet. */
export function anySeenCalls(db: Database): boolean {
  return Number(db.exec('SELECT EXISTS (SELECT 1 FROM claude_seen_packs)')[0]?.values[0]?.[0] ?? 0) === 1;
}

/** Every compacted hash, ascending (tests and checks; a year holds ~1.35 M). */
export function allSeenCalls(db: Database): number[] {
  const out: number[] = [];
  const stmt = db.prepare('SELECT k, h FROM claude_seen_packs ORDER BY k');
  try {
    while (stmt.step()) {
      const [k, h] = stmt.get() as [number, Uint8Array];
      for (let i = 0; i < h.length; i += ENTRY) out.push(k * LO + loAt(h, i));
    }
  } finally {
    stmt.free();
  }
  return out;
}

/** Lookups and additions, with their prepared statements (free() them). */
export class SeenCalls {
  private sel: Statement | undefined;

  constructor(private readonly db: Database) {}

  private pack(k: number): Uint8Array | undefined {
    this.sel ??= this.db.prepare('SELECT h FROM claude_seen_packs WHERE k = ?');
    this.sel.bind([k]);
    const h = this.sel.step() ? (this.sel.get()[0] as Uint8Array) : undefined;
    this.sel.reset();
    return h;
  }

  has(mid: number): boolean {
    const pack = this.pack(packOf(mid));
    return !!pack && search(pack, mid % LO) >= 0;
  }

  /** Adds hashes (any order, repeats and known ones allowed): each pack touched is read once and written once. */
  async addAll(mids: ArrayLike<number>, slicer?: TimeSlicer): Promise<void> {
    if (mids.length === 0) return;
    const sorted = Float64Array.from(mids).sort();
    const put = this.db.prepare('INSERT OR REPLACE INTO claude_seen_packs (k, h) VALUES (?, ?)');
    try {
      for (let i = 0; i < sorted.length; ) {
        const k = packOf(sorted[i]);
        let j = i;
        while (j < sorted.length && packOf(sorted[j]) === k) j++;
        const merged = merge(this.pack(k), sorted, i, j);
        if (merged) put.run([k, merged]);
        i = j;
        const turn = slicer?.tick();
        if (turn) await turn;
      }
    } finally {
      put.free();
    }
  }

  free(): void {
    this.sel?.free();
    this.sel = undefined;
  }
}

/** The pack with sorted[i..j) added (all of pack k), or undefined when nothing new. */
function merge(pack: Uint8Array | undefined, sorted: Float64Array, i: number, j: number): Uint8Array | undefined {
  const old = pack ?? new Uint8Array(0);
  const out = new Uint8Array(old.length + (j - i) * ENTRY);
  let a = 0;
  let n = 0;
  let last = -1;
  const push = (v: number) => {
    if (v === last) return;
    putLo(out, n * ENTRY, v);
    n++;
    last = v;
  };
  for (let x = i; x < j; x++) {
    const v = sorted[x] % LO;
    for (; a < old.length && loAt(old, a) < v; a += ENTRY) push(loAt(old, a));
    push(v);
  }
  for (; a < old.length; a += ENTRY) push(loAt(old, a));
  if (n * ENTRY === old.length) return undefined;
  return out.slice(0, n * ENTRY);
}
