import type { ClaudeCallTokens } from './records';

/** One kept copy of a Claude call (claudeDedup.ts). */
export interface KeptCopy extends ClaudeCallTokens {
  rid: number;
  side: boolean;
  ts: number;
  dim: number;
  /** the call's activity as an act_keys id (store/activityKeys.ts; 0 = unknown) */
  act: number;
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const U32_MAX = 4294967295;
const SIDE = 0x80000000;

/**
 * The kept copies of the Claude calls a refresh has spilled out of the de-dup's in-memory map (claudeDedup.ts), in
 * typed-array columns: ~56 bytes a call (hash table included) instead of ~250 for an object in a Map, and nothing
 * for the garbage collector to trace. Columns are allocated in chunks of 65,536 rows (growing never copies).
 * Exact: a message.id with several kept copies (different requestIds), or a copy whose numbers do not fit the
 * columns (token counts that are not integers below 2^32, web searches, a dims id of 2^31 or more, an activity id of 2^16 or more), is kept as
 * objects instead — rare in real logs.
 */
export class SpilledCalls {
  private rows = 0;
  private readonly mid: Float64Array[] = [];
  private readonly rid: Float64Array[] = [];
  private readonly ts: Float64Array[] = [];
  /** dims id, high bit set for a sidechain copy */
  private readonly dimSide: Uint32Array[] = [];
  /** input, output, cw5m, cw1h, cacheRead per row */
  private readonly tok: Uint32Array[] = [];
  /** activity id (act_keys) per row */
  private readonly act: Uint16Array[] = [];
  /** open-addressing table by message.id hash: row + 1, 0 = empty; at most 70 % full */
  private heads = new Int32Array(1024);
  /** message.ids kept as objects (their row, if any, is stale) */
  private readonly odd = new Map<number, KeptCopy[]>();

  /** Message.ids spilled (an upper bound: one kept first in a row, then as objects, counts twice). */
  get size(): number {
    return this.rows + this.odd.size;
  }

  /** Copies of the kept copies of `mid` in their order, or undefined when it was not spilled. */
  get(mid: number): KeptCopy[] | undefined {
    const o = this.odd.size > 0 ? this.odd.get(mid) : undefined;
    if (o) return o.map((k) => ({ ...k }));
    const h = this.heads[this.slotOf(mid)];
    return h === 0 ? undefined : [this.read(h - 1)];
  }

  /** Stores the whole list of `mid` (replacing what was stored for it). */
  put(mid: number, list: readonly KeptCopy[]): void {
    const slot = this.slotOf(mid);
    if (list.length !== 1 || !fits(list[0]) || (this.odd.size > 0 && this.odd.has(mid))) {
      this.odd.set(mid, list.map((k) => ({ ...k })));
      return;
    }
    let r = this.heads[slot] - 1;
    if (r < 0) {
      r = this.append(mid);
      this.heads[slot] = r + 1;
      if (10 * this.rows > 7 * this.heads.length) this.rehash();
    }
    this.write(r, list[0]);
  }

  /** Calls `f` for every message.id spilled. */
  forEachMid(f: (mid: number) => void): void {
    for (let r = 0; r < this.rows; r++) {
      const mid = this.mid[r >>> CHUNK_BITS][r & MASK];
      if (!this.odd.has(mid)) f(mid);
    }
    for (const mid of this.odd.keys()) f(mid);
  }

  /** The kept copies whose time is at or after `cutoff`, sorted by message.id (then list order). */
  *since(cutoff: number): Generator<[number, KeptCopy]> {
    let n = 0;
    const anyOdd = this.odd.size > 0; // (a lookup boxes each 53-bit key: skipped when there is nothing to find)
    for (let r = 0; r < this.rows; r++) if (this.ts[r >>> CHUNK_BITS][r & MASK] >= cutoff && !(anyOdd && this.odd.has(this.midOf(r)))) n++;
    const picked = new Int32Array(n);
    let i = 0;
    for (let r = 0; r < this.rows; r++) if (this.ts[r >>> CHUNK_BITS][r & MASK] >= cutoff && !(anyOdd && this.odd.has(this.midOf(r)))) picked[i++] = r;
    picked.sort((a, b) => this.midOf(a) - this.midOf(b));
    const odd = [...this.odd].filter(([, list]) => list.some((k) => k.ts >= cutoff)).sort((a, b) => a[0] - b[0]);
    let o = 0;
    for (const r of picked) {
      const mid = this.midOf(r);
      for (; o < odd.length && odd[o][0] < mid; o++) yield* this.oddSince(odd[o], cutoff);
      yield [mid, this.read(r)];
    }
    for (; o < odd.length; o++) yield* this.oddSince(odd[o], cutoff);
  }

  private *oddSince([mid, list]: [number, KeptCopy[]], cutoff: number): Generator<[number, KeptCopy]> {
    for (const k of list) if (k.ts >= cutoff) yield [mid, { ...k }];
  }

  /** Message.id hashes of the kept copies older than `cutoff`, sorted (one per copy). */
  midsBefore(cutoff: number): Float64Array {
    let n = 0;
    const anyOdd = this.odd.size > 0;
    for (let r = 0; r < this.rows; r++) if (this.ts[r >>> CHUNK_BITS][r & MASK] < cutoff && !(anyOdd && this.odd.has(this.midOf(r)))) n++;
    for (const list of this.odd.values()) for (const k of list) if (k.ts < cutoff) n++;
    const out = new Float64Array(n);
    let i = 0;
    for (let r = 0; r < this.rows; r++) {
      if (this.ts[r >>> CHUNK_BITS][r & MASK] >= cutoff) continue;
      const mid = this.midOf(r);
      if (!(anyOdd && this.odd.has(mid))) out[i++] = mid;
    }
    for (const [mid, list] of this.odd) for (const k of list) if (k.ts < cutoff) out[i++] = mid;
    return out.sort();
  }

  private midOf(r: number): number {
    return this.mid[r >>> CHUNK_BITS][r & MASK];
  }

  private read(r: number): KeptCopy {
    const c = r >>> CHUNK_BITS;
    const i = r & MASK;
    const t = 5 * i;
    const tok = this.tok[c];
    const ds = this.dimSide[c][i];
    return { rid: this.rid[c][i], side: ds >= SIDE, ts: this.ts[c][i], dim: ds & ~SIDE, input: tok[t], output: tok[t + 1], cw5m: tok[t + 2], cw1h: tok[t + 3], cacheRead: tok[t + 4], webSearch: 0, act: this.act[c][i] };
  }

  private write(r: number, k: KeptCopy): void {
    const c = r >>> CHUNK_BITS;
    const i = r & MASK;
    this.rid[c][i] = k.rid;
    this.ts[c][i] = k.ts;
    this.dimSide[c][i] = k.side ? (k.dim | SIDE) >>> 0 : k.dim;
    const t = 5 * i;
    const tok = this.tok[c];
    tok[t] = k.input;
    tok[t + 1] = k.output;
    tok[t + 2] = k.cw5m;
    tok[t + 3] = k.cw1h;
    tok[t + 4] = k.cacheRead;
    this.act[c][i] = k.act;
  }

  private append(mid: number): number {
    const r = this.rows++;
    const c = r >>> CHUNK_BITS;
    if (c === this.mid.length) {
      this.mid.push(new Float64Array(CHUNK));
      this.rid.push(new Float64Array(CHUNK));
      this.ts.push(new Float64Array(CHUNK));
      this.dimSide.push(new Uint32Array(CHUNK));
      this.tok.push(new Uint32Array(5 * CHUNK));
      this.act.push(new Uint16Array(CHUNK));
    }
    this.mid[c][r & MASK] = mid;
    return r;
  }

  /** Slot of `mid` in heads: its own, or the empty one where it would go (linear probing). */
  private slotOf(mid: number): number {
    const heads = this.heads;
    const mask = heads.length - 1;
    for (let i = hashSlot(mid, mask); ; i = (i + 1) & mask) {
      const h = heads[i];
      if (h === 0 || this.midOf(h - 1) === mid) return i;
    }
  }

  private rehash(): void {
    const old = this.heads;
    const heads = new Int32Array(old.length * 2);
    const mask = heads.length - 1;
    for (const h of old) {
      if (h === 0) continue;
      let i = hashSlot(this.midOf(h - 1), mask);
      while (heads[i] !== 0) i = (i + 1) & mask;
      heads[i] = h;
    }
    this.heads = heads;
  }
}

/** The hashes are uniform (hash.ts): their low 32 bits pick the slot. */
function hashSlot(mid: number, mask: number): number {
  return (mid % 4294967296 >>> 0) & mask;
}

/** Whether a copy fits the compact columns exactly. */
function fits(k: KeptCopy): boolean {
  return k.webSearch === 0 && u32(k.input) && u32(k.output) && u32(k.cw5m) && u32(k.cw1h) && u32(k.cacheRead) && Number.isInteger(k.dim) && k.dim >= 0 && k.dim < SIDE && Number.isInteger(k.act) && k.act >= 0 && k.act < 65536;
}

function u32(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= U32_MAX;
}
