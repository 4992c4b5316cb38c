import type { Database, SqlValue, Statement } from 'sql.js';
import { insertRows } from './batchInsert';
import type { TimeSlicer } from './timeSlice';
import { riceDecode, riceEncode, riceHas } from './ricePack';

/**
 * A set of hash53 values (0 ≤ h < 2^53, hash.ts) packed in a `(k INTEGER PRIMARY KEY, h BLOB)` table: per k = the
 * hash's top bits, the hash's low `loBits` bits as `bytes` big-endian bytes each, sorted. A lookup reads one row and
 * binary-searches it; an addition reads and rewrites the rows it touches. Exact: the same membership as one row per
 * hash, in a fraction of the space (a row per hash costs its key, a record header and a cell pointer).
 *   claude_seen_packs (store/seenCalls.ts): 16-bit prefixes, 37 bits in 5 bytes (1.35 M hashes at a year).
 *   codex_event_packs (sources/codex/applier.ts): 12-bit prefixes, 41 bits in 6 bytes (~150 k hashes at a year: a
 *     shorter prefix keeps a few dozen hashes per row).
 */
export interface PackLayout {
  table: string;
  /** low bits kept per hash (53 − the prefix's bits) */
  loBits: number;
  /** bytes per entry (≥ loBits / 8); unused with `rice` */
  bytes: number;
  /** the pack Rice-coded instead (store/ricePack.ts: the gaps between the sorted low bits, ~4.3 bytes a hash) */
  rice?: boolean;
}

function loAt(b: Uint8Array, i: number, bytes: number): number {
  let v = 0;
  for (let x = 0; x < bytes; x++) v = v * 256 + b[i + x];
  return v;
}

function putLo(b: Uint8Array, i: number, v: number, bytes: number): void {
  let r = v;
  for (let x = bytes - 1; x >= 0; x--) {
    b[i + x] = r % 256;
    r = Math.floor(r / 256);
  }
}

/** Index of `lo` in a pack, or -(insertion point) - 1. */
function search(pack: Uint8Array, lo: number, bytes: number): number {
  let a = 0;
  let z = pack.length / bytes - 1;
  while (a <= z) {
    const m = (a + z) >>> 1;
    const v = loAt(pack, m * bytes, bytes);
    if (v === lo) return m;
    if (v < lo) a = m + 1;
    else z = m - 1;
  }
  return -a - 1;
}

/** Whether the set holds any hash. */
export function anyPacked(db: Database, l: PackLayout): boolean {
  return Number(db.exec(`SELECT EXISTS (SELECT 1 FROM ${l.table})`)[0]?.values[0]?.[0] ?? 0) === 1;
}

/** Every hash of the set, ascending (tests and checks). */
export function allPacked(db: Database, l: PackLayout): number[] {
  const lo = 2 ** l.loBits;
  const out: number[] = [];
  const stmt = db.prepare(`SELECT k, h FROM ${l.table} ORDER BY k`);
  try {
    while (stmt.step()) {
      const [k, h] = stmt.get() as [number, Uint8Array];
      if (l.rice) for (const v of riceDecode(h)) out.push(k * lo + v);
      else for (let i = 0; i < h.length; i += l.bytes) out.push(k * lo + loAt(h, i, l.bytes));
    }
  } finally {
    stmt.free();
  }
  return out;
}

/** How a HashPacks keeps what it read (both off: every lookup and addition reads its pack from the table). */
export interface PackMemo {
  /**
   * Keep each pack read or written (a Map of at most 2^prefix-bits packs), so a later lookup or a later batch's
   * addition does not read it again: only this object may write the table while it lives (one ingest run's applier).
   * Codex (4096 packs, ~1 MB at a year of events): each batch of a first index read and rewrote nearly every pack.
   */
  keep?: boolean;
  /** with `keep`: the table is empty now (a first index), so a pack not kept is empty and nothing is read */
  startsEmpty?: boolean;
}

/** Packs written per multi-row statement (450 rows: 900 values, batchInsert's bound; only so many held at once). */
const ROWS_PER_WRITE = 450;

/** Lookups and additions, with their prepared statements (free() them). */
export class HashPacks {
  private sel: Statement | undefined;
  private readonly lo: number;
  /** with memo.keep: packs as they are in the table now (absent: not read yet; empty array: none) */
  private readonly kept: Map<number, Uint8Array> | undefined;

  constructor(private readonly db: Database, private readonly l: PackLayout, private readonly memo: PackMemo = {}) {
    this.lo = 2 ** l.loBits;
    this.kept = memo.keep ? new Map() : undefined;
  }

  private packOf(h: number): number {
    return Math.floor(h / this.lo);
  }

  private pack(k: number): Uint8Array | undefined {
    const kept = this.kept?.get(k);
    if (kept !== undefined || (this.kept && this.memo.startsEmpty)) return kept;
    this.sel ??= this.db.prepare(`SELECT h FROM ${this.l.table} WHERE k = ?`);
    this.sel.bind([k]);
    const h = this.sel.step() ? (this.sel.get()[0] as Uint8Array) : undefined;
    this.sel.reset();
    this.kept?.set(k, h ?? new Uint8Array(0));
    return h;
  }

  has(h: number): boolean {
    const pack = this.pack(this.packOf(h));
    if (!pack || pack.length === 0) return false;
    return this.l.rice ? riceHas(pack, h % this.lo) : search(pack, h % this.lo, this.l.bytes) >= 0;
  }

  /**
   * Adds hashes (any order, repeats and known ones allowed): each pack touched is read (unless kept) and written once,
   * in multi-row statements (a first index's batch writes nearly all 4096 Codex packs).
   */
  async addAll(hashes: ArrayLike<number>, slicer?: TimeSlicer): Promise<void> {
    if (hashes.length === 0) return;
    const sorted = Float64Array.from(hashes).sort();
    const head = `INSERT OR REPLACE INTO ${this.l.table} (k, h)`;
    let rows: SqlValue[] = [];
    for (let i = 0; i < sorted.length; ) {
      const k = this.packOf(sorted[i]);
      let j = i;
      while (j < sorted.length && this.packOf(sorted[j]) === k) j++;
      const merged = this.merge(this.pack(k), sorted, i, j);
      if (merged) {
        rows.push(k, merged);
        this.kept?.set(k, merged);
        if (rows.length === 2 * ROWS_PER_WRITE) {
          insertRows(this.db, head, 2, rows);
          rows = [];
        }
      }
      i = j;
      const turn = slicer?.tick();
      if (turn) await turn;
    }
    insertRows(this.db, head, 2, rows);
  }

  /** The pack with sorted[i..j) added (all of one pack), or undefined when nothing new. */
  private merge(pack: Uint8Array | undefined, sorted: Float64Array, i: number, j: number): Uint8Array | undefined {
    if (this.l.rice) return this.mergeRice(pack, sorted, i, j);
    const { bytes } = this.l;
    const old = pack ?? new Uint8Array(0);
    const out = new Uint8Array(old.length + (j - i) * bytes);
    let a = 0;
    let n = 0;
    let last = -1;
    const push = (v: number) => {
      if (v === last) return;
      putLo(out, n * bytes, v, bytes);
      n++;
      last = v;
    };
    for (let x = i; x < j; x++) {
      const v = sorted[x] % this.lo;
      for (; a < old.length && loAt(old, a, bytes) < v; a += bytes) push(loAt(old, a, bytes));
      push(v);
    }
    for (; a < old.length; a += bytes) push(loAt(old, a, bytes));
    if (n * bytes === old.length) return undefined;
    return out.slice(0, n * bytes);
  }

  /** merge() for a Rice-coded pack: decoded, merged, coded again. */
  private mergeRice(pack: Uint8Array | undefined, sorted: Float64Array, i: number, j: number): Uint8Array | undefined {
    const old = pack && pack.length > 0 ? riceDecode(pack) : [];
    const out: number[] = [];
    let a = 0;
    let last = -1;
    const push = (v: number) => {
      if (v === last) return;
      out.push(v);
      last = v;
    };
    for (let x = i; x < j; x++) {
      const v = sorted[x] % this.lo;
      for (; a < old.length && old[a] < v; a++) push(old[a]);
      push(v);
    }
    for (; a < old.length; a++) push(old[a]);
    if (out.length === old.length) return undefined;
    return riceEncode(out, this.l.loBits);
  }

  free(): void {
    this.sel?.free();
    this.sel = undefined;
  }
}
