/**
 * The keyed state of a plug-in source packed per hash prefix (schema 11, `keyed_packs (s, k, p)`): per source `s` and
 * k = the key hash's top 12 bits, one blob `p` of its keys sorted by their low 41 bits. 12 bits keep a pack under ~1,000
 * bytes (a year of Gemini CLI: 60k keys, ~420 bytes a pack), what a row of a WITHOUT ROWID table holds on its page: a
 * longer one spills its rest into an overflow page of its own (with 10 bits, 1.7 KB packs took 11.6 MB for 5 MB). Each entry: the low bits (6
 * bytes, big-endian), a flags varint, the figures as varints, then the agent's cost (8 bytes, a double) and the file
 * hash (7 bytes) when flagged. The same values as a row of `keyed_calls` each (store/keyedCalls.ts), in ~30 bytes where
 * a row took ~50 (its 53-bit rowid, a record header of 14 columns, a cell pointer). Exact: a value that is not a
 * non-negative safe integer (no source writes one; the store keeps whatever it is handed) is kept as a double.
 */
import type { KeyedRow } from './keyedCalls';
export const PREFIX_BITS = 12;
export const LO_BITS = 53 - PREFIX_BITS;
const LO = 2 ** LO_BITS;
const LO_BYTES = 6;

/** An entry's values: a keyed row's (store/keyedCalls.ts), its activity as the act_keys id `act`. */
export type PackedEntry = Omit<KeyedRow, 'activity'> & { act: number };

const FIGURES = ['dim', 'ts', 'input', 'output', 'cw5m', 'cw1h', 'cacheRead', 'reasoning', 'webSearch', 'requests', 'act'] as const;
const HAS_COST = 1;
const HAS_FILE = 2;
const AS_DOUBLES = 4;

export function packOf(h: number): number {
  return Math.floor(h / LO);
}

export function loOf(h: number): number {
  return h % LO;
}

export function hashOf(k: number, lo: number): number {
  return k * LO + lo;
}

class Writer {
  buf = new Uint8Array(256);
  n = 0;
  private room(x: number): void {
    if (this.n + x <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + x));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
  fixed(v: number, bytes: number): void {
    this.room(bytes);
    let r = v;
    for (let x = bytes - 1; x >= 0; x--) {
      this.buf[this.n + x] = r % 256;
      r = Math.floor(r / 256);
    }
    this.n += bytes;
  }
  varint(v: number): void {
    this.room(8);
    let r = v;
    while (r >= 128) {
      this.buf[this.n++] = (r % 128) + 128;
      r = Math.floor(r / 128);
    }
    this.buf[this.n++] = r;
  }
  double(v: number): void {
    this.room(8);
    new DataView(this.buf.buffer, this.n, 8).setFloat64(0, v);
    this.n += 8;
  }
}

class Reader {
  at = 0;
  constructor(readonly b: Uint8Array) {}
  fixed(bytes: number): number {
    let v = 0;
    for (let x = 0; x < bytes; x++) v = v * 256 + this.b[this.at + x];
    this.at += bytes;
    return v;
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const c = this.b[this.at++];
      if (c === undefined) throw new Error('truncated keyed pack');
      v += (c & 127) * mul;
      if (c < 128) return v;
      mul *= 128;
    }
  }
  skipVarint(): void {
    while (this.b[this.at++] >= 128);
  }
  double(): number {
    const v = new DataView(this.b.buffer, this.b.byteOffset + this.at, 8).getFloat64(0);
    this.at += 8;
    return v;
  }
}

const plain = (v: number) => Number.isSafeInteger(v) && v >= 0 && !Object.is(v, -0);

/** A pack's bytes from its entries by low bits (any order: written sorted). */
export function encodePack(entries: ReadonlyMap<number, PackedEntry>): Uint8Array {
  const w = new Writer();
  for (const lo of [...entries.keys()].sort((a, b) => a - b)) {
    const e = entries.get(lo)!;
    const doubles = !FIGURES.every((k) => plain(e[k]));
    const flags = (e.agentCost !== null ? HAS_COST : 0) | (e.f !== null ? HAS_FILE : 0) | (doubles ? AS_DOUBLES : 0);
    w.fixed(lo, LO_BYTES);
    w.varint(flags);
    for (const k of FIGURES) {
      if (doubles) w.double(e[k]);
      else w.varint(e[k]);
    }
    if (e.agentCost !== null) w.double(e.agentCost);
    if (e.f !== null) w.fixed(e.f, 7);
  }
  return w.buf.slice(0, w.n);
}

/** A pack's entries by low bits (ascending). Throws on bytes that are not a pack. */
export function decodePack(p: Uint8Array): Map<number, PackedEntry> {
  const out = new Map<number, PackedEntry>();
  const r = new Reader(p);
  while (r.at < p.length) {
    const lo = r.fixed(LO_BYTES);
    const flags = r.varint();
    const v = (): number => (flags & AS_DOUBLES ? r.double() : r.varint());
    const e: PackedEntry = {
      f: null, dim: v(), ts: v(), input: v(), output: v(), cw5m: v(), cw1h: v(), cacheRead: v(), reasoning: v(), webSearch: v(), requests: v(), act: v(), agentCost: null,
    };
    if (flags & HAS_COST) e.agentCost = r.double();
    if (flags & HAS_FILE) e.f = r.fixed(7);
    out.set(lo, e);
  }
  return out;
}

/**
 * Adds the agent's costs of a pack's entries made in [fromMs, toMs) to `acc.sum` (and their number to `acc.n`), in
 * the entries' order (what decodePack would give, read without building them: agentCostBySource reads every pack).
 */
export function addCosts(p: Uint8Array, fromMs: number, toMs: number, acc: { sum: number; n: number }): void {
  const r = new Reader(p);
  while (r.at < p.length) {
    r.at += LO_BYTES;
    const flags = r.varint();
    let ts: number;
    if (flags & AS_DOUBLES) {
      r.at += 8;
      ts = r.double();
      r.at += 8 * (FIGURES.length - 2);
    } else {
      r.skipVarint();
      ts = r.varint();
      for (let i = 2; i < FIGURES.length; i++) r.skipVarint();
    }
    if (flags & HAS_COST) {
      const c = r.double();
      if (ts >= fromMs && ts < toMs) {
        acc.sum += c;
        acc.n++;
      }
    }
    if (flags & HAS_FILE) r.at += 7;
  }
}
