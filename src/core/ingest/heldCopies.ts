import type { KeptCopy } from './spilledCalls';

/** Numbers per kept copy in `f`: rid, ts, dim, input, output, cw5m, cw1h, cacheRead, webSearch, act, side (1/0). */
const W = 11;
const NONE = -1;

/**
 * The Claude calls the de-dup holds in memory (claudeDedup.ts): their kept copies by message.id hash, calls in the
 * order they were added, each call's copies in the order they were kept — as typed columns, no object per call or
 * copy. (The objects these replace — a call, its list, a copy: ~250 bytes, ~40 k of them alive between flushes —
 * outlived the young generation and were promoted, then dropped at each flush: a year's first index spent seconds
 * of GC on them.) Exact: every number is kept as a double, as the objects kept it.
 *
 * Calls are numbered 0 … size-1 in the order they were added; `keepNewest` drops the oldest and renumbers the rest
 * (the de-dup then holds no call number across it). A message.id is found through an open-addressing table whose
 * slots are chosen by the hash's low bits (message.id hashes are uniform), the keys in a Float64Array: a lookup
 * reads one or two entries and boxes nothing. Calls are only removed in bulk, which rebuilds the table.
 */
export class HeldCopies {
  private calls = 0;
  private rows = 0;
  /** per call: its message.id hash, first and last copy (row), whether it changed since the last flush */
  private mid: Float64Array = new Float64Array(1024);
  private head: Int32Array = new Int32Array(1024);
  private tail: Int32Array = new Int32Array(1024);
  private dirtyFlag: Uint8Array = new Uint8Array(1024);
  /** the calls marked dirty, each once, in the order they were marked */
  private dirty: Int32Array = new Int32Array(1024);
  private dirtyCount = 0;
  /** per copy: W numbers, and the next copy of the same call (-1: the last) */
  private f: Float64Array = new Float64Array(1024 * W);
  private next: Int32Array = new Int32Array(1024);
  /** open-addressing table: call + 1 (0 = empty), and its key; at most half full */
  private slots: Int32Array = new Int32Array(2048);
  private keys: Float64Array = new Float64Array(2048);
  /** the columns before the last trim, reused by the next one when the sizes still match */
  private spare: Cols | undefined;

  /** Calls held. */
  get size(): number {
    return this.calls;
  }

  /** The call of `mid`, or -1 when it is not held. */
  find(mid: number): number {
    const mask = this.slots.length - 1;
    for (let i = slotOf(mid, mask); ; i = (i + 1) & mask) {
      const e = this.slots[i];
      if (e === 0) return NONE;
      if (this.keys[i] === mid) return e - 1;
    }
  }

  /** Adds a call with no copy yet for a message.id not held (the caller looked it up first); returns its number. */
  addCall(mid: number): number {
    const c = this.calls++;
    if (c === this.mid.length) {
      this.mid = grow(this.mid, 2 * c);
      this.head = grow(this.head, 2 * c);
      this.tail = grow(this.tail, 2 * c);
      this.dirtyFlag = grow(this.dirtyFlag, 2 * c);
    }
    this.mid[c] = mid;
    this.head[c] = NONE;
    this.tail[c] = NONE;
    this.dirtyFlag[c] = 0;
    if (2 * this.calls > this.slots.length) this.rebuild(this.slots.length * 2);
    else this.place(mid, c);
    return c;
  }

  /** The message.id hash of call `c`. */
  midOf(c: number): number {
    return this.mid[c];
  }

  /** Appends a copy to call `c`'s copies; returns its row. */
  addCopy(c: number, k: KeptCopy): number {
    const r = this.rows++;
    if (r === this.next.length) {
      this.next = grow(this.next, 2 * r);
      this.f = grow(this.f, 2 * r * W);
    }
    this.next[r] = NONE;
    if (this.tail[c] === NONE) this.head[c] = r;
    else this.next[this.tail[c]] = r;
    this.tail[c] = r;
    this.write(r, k);
    return r;
  }

  /** Call `c`'s first copy (-1: none). */
  first(c: number): number {
    return this.head[c];
  }

  /** The copy after row `r` of the same call (-1: none). */
  after(r: number): number {
    return this.next[r];
  }

  rid(r: number): number {
    return this.f[r * W];
  }

  side(r: number): boolean {
    return this.f[r * W + 10] === 1;
  }

  /** Copies row `r` into `out` (every field). */
  read(r: number, out: KeptCopy): KeptCopy {
    const f = this.f;
    const o = r * W;
    out.rid = f[o];
    out.ts = f[o + 1];
    out.dim = f[o + 2];
    out.input = f[o + 3];
    out.output = f[o + 4];
    out.cw5m = f[o + 5];
    out.cw1h = f[o + 6];
    out.cacheRead = f[o + 7];
    out.webSearch = f[o + 8];
    out.act = f[o + 9];
    out.side = f[o + 10] === 1;
    return out;
  }

  /** Replaces row `r` with `k` (it keeps its place among its call's copies). */
  write(r: number, k: KeptCopy): void {
    const f = this.f;
    const o = r * W;
    f[o] = k.rid;
    f[o + 1] = k.ts;
    f[o + 2] = k.dim;
    f[o + 3] = k.input;
    f[o + 4] = k.output;
    f[o + 5] = k.cw5m;
    f[o + 6] = k.cw1h;
    f[o + 7] = k.cacheRead;
    f[o + 8] = k.webSearch;
    f[o + 9] = k.act;
    f[o + 10] = k.side ? 1 : 0;
  }

  /** Sets row `r`'s activity id. */
  setAct(r: number, act: number): void {
    this.f[r * W + 9] = act;
  }

  /** Marks call `c` as changed since the last flush (`takeDirty` visits it once). */
  markDirty(c: number): void {
    if (this.dirtyFlag[c] === 1) return;
    this.dirtyFlag[c] = 1;
    if (this.dirtyCount === this.dirty.length) this.dirty = grow(this.dirty, 2 * this.dirtyCount);
    this.dirty[this.dirtyCount++] = c;
  }

  /** Visits the calls marked dirty, in the order they were marked, and clears the marks. */
  takeDirty(f: (c: number) => void): void {
    for (let i = 0; i < this.dirtyCount; i++) {
      const c = this.dirty[i];
      this.dirtyFlag[c] = 0;
      f(c);
    }
    this.dirtyCount = 0;
  }

  /**
   * Keeps the `n` calls added last (the others go, oldest first), in their order, renumbered from 0; their copies
   * are packed in call order. Marks of dropped calls go with them. The columns are copied into a second set of the
   * same size, kept from the previous trim (no new buffers in a run's steady state: buffers made at each trim were
   * counted as external memory and brought on major GCs), and the table is rebuilt in place.
   */
  keepNewest(n: number): void {
    if (n >= this.calls) return;
    const keep = Math.max(0, n);
    const from = this.calls - keep;
    const cur: Cols = { mid: this.mid, head: this.head, tail: this.tail, dirtyFlag: this.dirtyFlag, f: this.f, next: this.next };
    const spare = this.spare;
    const to: Cols =
      spare && spare.mid.length === cur.mid.length && spare.next.length === cur.next.length
        ? spare
        : { mid: new Float64Array(cur.mid.length), head: new Int32Array(cur.mid.length), tail: new Int32Array(cur.mid.length), dirtyFlag: new Uint8Array(cur.mid.length), f: new Float64Array(cur.f.length), next: new Int32Array(cur.next.length) };
    const { mid, head, tail, dirtyFlag, f, next } = to;
    const { head: curHead, next: curNext, f: curF } = cur;
    let rows = 0;
    for (let c = from; c < this.calls; c++) {
      const d = c - from;
      mid[d] = cur.mid[c];
      dirtyFlag[d] = cur.dirtyFlag[c];
      head[d] = tail[d] = NONE;
      for (let r = curHead[c]; r !== NONE; r = curNext[r]) {
        for (let j = 0; j < W; j++) f[rows * W + j] = curF[r * W + j]; // (a subarray per copy: an object each)
        next[rows] = NONE;
        if (tail[d] === NONE) head[d] = rows;
        else next[tail[d]] = rows;
        tail[d] = rows;
        rows++;
      }
    }
    let dirtyCount = 0;
    for (let i = 0; i < this.dirtyCount; i++) if (this.dirty[i] >= from) this.dirty[dirtyCount++] = this.dirty[i] - from;
    this.dirtyCount = dirtyCount;
    this.mid = mid;
    this.head = head;
    this.tail = tail;
    this.dirtyFlag = dirtyFlag;
    this.f = f;
    this.next = next;
    this.spare = cur;
    this.calls = keep;
    this.rows = rows;
    this.rebuild(this.slots.length);
  }

  /** Drops every call (and the spare columns). */
  clear(): void {
    this.calls = 0;
    this.rows = 0;
    this.dirtyCount = 0;
    this.mid = new Float64Array(1024);
    this.head = new Int32Array(1024);
    this.tail = new Int32Array(1024);
    this.dirtyFlag = new Uint8Array(1024);
    this.dirty = new Int32Array(1024);
    this.f = new Float64Array(1024 * W);
    this.next = new Int32Array(1024);
    this.spare = undefined;
    this.rebuild(2048);
  }

  private place(mid: number, c: number): void {
    const mask = this.slots.length - 1;
    let i = slotOf(mid, mask);
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = c + 1;
    this.keys[i] = mid;
  }

  private rebuild(size: number): void {
    if (size === this.slots.length) this.slots.fill(0);
    else {
      this.slots = new Int32Array(size);
      this.keys = new Float64Array(size);
    }
    for (let c = 0; c < this.calls; c++) this.place(this.mid[c], c);
  }
}

interface Cols {
  mid: Float64Array;
  head: Int32Array;
  tail: Int32Array;
  dirtyFlag: Uint8Array;
  f: Float64Array;
  next: Int32Array;
}

/** The low 32 bits of a message.id hash (an integer below 2^53), masked to the table. */
function slotOf(mid: number, mask: number): number {
  return (mid % 4294967296 >>> 0) & mask;
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
