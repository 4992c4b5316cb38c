/**
 * The keyed state of a plug-in source packed per hash prefix (schema 11, `keyed_packs (s, k, p)`): per source `s` and
 * k = the key hash's top 12 bits, one blob `p` of its keys sorted by their low 41 bits. 12 bits keep a pack under ~1,000
 * bytes (a year of Gemini CLI: 60k keys, ~420 bytes a pack), what a row of a WITHOUT ROWID table holds on its page: a
 * longer one spills its rest into an overflow page of its own (with 10 bits, 1.7 KB packs took 11.6 MB for 5 MB).
 *
 * Each entry: the low bits (6 bytes, big-endian), a flags varint, then its values. Two layouts, told apart by the flags
 * (a pack may hold both; each is read as it was written):
 * - full (flags < 8, what schema 11 wrote first): the eleven figures as varints (or all as doubles, AS_DOUBLES), then
 *   the agent's cost (8 bytes, a double) and the file hash (7 bytes) when flagged;
 * - sparse (SPARSE, written since): dims row and time as varints, then only the figures that differ from their usual
 *   value (0; 1 for requests), each flagged by a bit of its own; the agent's cost as a decimal (COST_DECIMAL: varint
 *   m and one byte e, the cost is m / 10^e — the double that decimal reads as, checked when written) or else a double;
 *   the file hash (7 bytes) when flagged. ~25 bytes a Gemini key where the full layout took ~29; a cost such as
 *   0.037246 in 4 bytes instead of 8.
 * Exact: every entry is written in the layout that gives its values back bit for bit (a value that is not a
 * non-negative safe integer, which no source writes, is kept in the full layout as a double).
 */
import type { KeyedRow } from './keyedCalls';
export const PREFIX_BITS = 12;
export const LO_BITS = 53 - PREFIX_BITS;
const LO = 2 ** LO_BITS;
const LO_BYTES = 6;

/** An entry's values: a keyed row's (store/keyedCalls.ts), its activity as the act_keys id `act`. */
export type PackedEntry = Omit<KeyedRow, 'activity'> & { act: number };

const FIGURES = ['dim', 'ts', 'input', 'output', 'cw5m', 'cw1h', 'cacheRead', 'reasoning', 'webSearch', 'requests', 'act'] as const;
/** The figures the sparse layout writes only when they differ from their usual value (dims row and time always). */
const OPTIONAL = ['input', 'output', 'cw5m', 'cw1h', 'cacheRead', 'reasoning', 'webSearch', 'requests', 'act'] as const;
const USUAL: Record<(typeof OPTIONAL)[number], number> = { input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 1, act: 0 };
const HAS_COST = 1;
const HAS_FILE = 2;
const AS_DOUBLES = 4;
const SPARSE = 8;
const COST_DECIMAL = 16;
/** flags bit of OPTIONAL[i]: FIRST_FIGURE << i */
const FIRST_FIGURE = 32;
const POW10 = Array.from({ length: 23 }, (_, e) => 10 ** e);

/** The shortest m, e with m / 10^e === cost (m a safe integer, e ≤ 22), or undefined. */
function decimalOf(cost: number): [number, number] | undefined {
  if (!(cost >= 0) || Object.is(cost, -0) || cost > Number.MAX_SAFE_INTEGER) return undefined;
  for (let e = 0; e < POW10.length; e++) {
    const m = Math.round(cost * POW10[e]);
    if (m > Number.MAX_SAFE_INTEGER) return undefined;
    if (m / POW10[e] === cost) return [m, e];
  }
  return undefined;
}

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
    w.fixed(lo, LO_BYTES);
    if (FIGURES.every((k) => plain(e[k]))) writeSparse(w, e);
    else writeFull(w, e);
  }
  return w.buf.slice(0, w.n);
}

function writeSparse(w: Writer, e: PackedEntry): void {
  const decimal = e.agentCost === null ? undefined : decimalOf(e.agentCost);
  let flags = SPARSE | (e.agentCost !== null ? HAS_COST : 0) | (e.f !== null ? HAS_FILE : 0) | (decimal ? COST_DECIMAL : 0);
  OPTIONAL.forEach((k, i) => {
    if (e[k] !== USUAL[k]) flags |= FIRST_FIGURE << i;
  });
  w.varint(flags);
  w.varint(e.dim);
  w.varint(e.ts);
  OPTIONAL.forEach((k, i) => {
    if (flags & (FIRST_FIGURE << i)) w.varint(e[k]);
  });
  if (decimal) {
    w.varint(decimal[0]);
    w.fixed(decimal[1], 1);
  } else if (e.agentCost !== null) w.double(e.agentCost);
  if (e.f !== null) w.fixed(e.f, 7);
}

function writeFull(w: Writer, e: PackedEntry): void {
  const doubles = !FIGURES.every((k) => plain(e[k]));
  w.varint((e.agentCost !== null ? HAS_COST : 0) | (e.f !== null ? HAS_FILE : 0) | (doubles ? AS_DOUBLES : 0));
  for (const k of FIGURES) {
    if (doubles) w.double(e[k]);
    else w.varint(e[k]);
  }
  if (e.agentCost !== null) w.double(e.agentCost);
  if (e.f !== null) w.fixed(e.f, 7);
}

/** An entry's values, in either layout (the reader just past its low bits). */
function readEntry(r: Reader): PackedEntry {
  const flags = r.varint();
  const e: PackedEntry = {
    f: null, dim: 0, ts: 0, input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 1, act: 0, agentCost: null,
  };
  if (flags & SPARSE) {
    e.dim = r.varint();
    e.ts = r.varint();
    OPTIONAL.forEach((k, i) => {
      e[k] = flags & (FIRST_FIGURE << i) ? r.varint() : USUAL[k];
    });
    if (flags & COST_DECIMAL) {
      const m = r.varint();
      e.agentCost = m / POW10[r.fixed(1)];
    } else if (flags & HAS_COST) e.agentCost = r.double();
  } else {
    const v = (): number => (flags & AS_DOUBLES ? r.double() : r.varint());
    for (const k of FIGURES) e[k] = v();
    if (flags & HAS_COST) e.agentCost = r.double();
  }
  if (flags & HAS_FILE) e.f = r.fixed(7);
  return e;
}

/** A pack's entries by low bits (ascending). Throws on bytes that are not a pack. */
export function decodePack(p: Uint8Array): Map<number, PackedEntry> {
  const out = new Map<number, PackedEntry>();
  const r = new Reader(p);
  while (r.at < p.length) {
    const lo = r.fixed(LO_BYTES);
    out.set(lo, readEntry(r));
  }
  return out;
}

/**
 * Adds the agent's costs of a pack's entries made in [fromMs, toMs) to `acc.sum` (and their number to `acc.n`), in
 * the entries' order (what decodePack would give; agentCostBySource reads every pack).
 */
export function addCosts(p: Uint8Array, fromMs: number, toMs: number, acc: { sum: number; n: number }): void {
  const r = new Reader(p);
  while (r.at < p.length) {
    r.at += LO_BYTES;
    const e = readEntry(r);
    if (e.agentCost !== null && e.ts >= fromMs && e.ts < toMs) {
      acc.sum += e.agentCost;
      acc.n++;
    }
  }
}
