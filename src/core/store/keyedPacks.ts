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
 * - aged (flags = AGED alone, schema 18): the key only, no values — a key counted before the de-dup window (35 days,
 *   docs/DEDUP.md), from no `replace` document and with no agent cost (`ageable`); a read of it again is a duplicate.
 *   1 byte after its low bits where a Gemini key's values took ~19.
 * Exact: every entry is written in the layout that gives its values back bit for bit (a value that is not a
 * non-negative safe integer, which no source writes, is kept in the full layout as a double).
 */
import { isPlainCount, PackReader, PackWriter } from './packBytes';

export const PREFIX_BITS = 12;
export const LO_BITS = 53 - PREFIX_BITS;
const LO = 2 ** LO_BITS;
const LO_BYTES = 6;

/** One counted key of a plug-in source, as the store keeps it (keyed_packs since schema 11; keyed_calls before). */
export interface KeyedRow {
  /**
   * hash of the file it was last read from, when that read was a whole document whose vanished keys are taken back
   * (payload `replace`: Cline's ui_messages.json); null otherwise — no read asks which keys such a file holds
   */
  f: number | null;
  dim: number;
  ts: number;
  input: number;
  output: number;
  cw5m: number;
  cw1h: number;
  cacheRead: number;
  reasoning: number;
  webSearch: number;
  requests: number;
  /** the agent's own cost estimate (USD), null when it logs none */
  agentCost: number | null;
  /** the activity it was counted under (core/activity.ts; '' unknown, also for rows written before schema 6) */
  activity: string;
  /** kept as its key only (aged, schema 18): counted, its figures no longer known (all 0 here, f and agentCost null) */
  aged?: true;
}

/** An entry's values: a keyed row's, its activity as the act_keys id `act`. */
export type PackedEntry = Omit<KeyedRow, 'activity'> & { act: number };

const FIGURES = ['dim', 'ts', 'input', 'output', 'cw5m', 'cw1h', 'cacheRead', 'reasoning', 'webSearch', 'requests', 'act'] as const;
const HAS_COST = 1;
const HAS_FILE = 2;
const AS_DOUBLES = 4;
const SPARSE = 8;
const COST_DECIMAL = 16;
/** an aged entry's flags: COST_DECIMAL without SPARSE, which no other entry has (full: < 8; sparse: SPARSE set) */
const AGED = 16;
/**
 * The sparse layout's bits of the figures written only when they differ from their usual value (0; 1 for requests);
 * dims row and time are always written. Their order in the entry is the order of these bits.
 */
const INPUT = 32;
const OUTPUT = 64;
const CW5M = 128;
const CW1H = 256;
const CACHE_READ = 512;
const REASONING = 1024;
const WEB_SEARCH = 2048;
const REQUESTS = 4096;
const ACT = 8192;
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

/** An aged entry's values (store/keyedCalls.ts reads it as a key counted before the window). */
export const AGED_ENTRY: Readonly<PackedEntry> = Object.freeze({
  f: null, dim: 0, ts: 0, input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0, agentCost: null, act: 0, aged: true,
});

/**
 * Whether an entry is kept as its key only when packed with the window starting at `before` (epoch ms): made before
 * it, read from no `replace` document (those take vanished keys back with their figures) and with no agent cost
 * (agentCostBySource sums them over any period).
 */
export function ageable(e: PackedEntry, before: number): boolean {
  return e.aged !== true && e.ts < before && e.f === null && e.agentCost === null;
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

const plain = isPlainCount;

/**
 * A pack's bytes from its entries by low bits (any order: written sorted); the entries `ageable` before `agedBefore`
 * (epoch ms; none by default) written aged.
 */
export function encodePack(entries: ReadonlyMap<number, PackedEntry>, agedBefore = Number.NEGATIVE_INFINITY): Uint8Array {
  const w = new PackWriter();
  for (const lo of [...entries.keys()].sort((a, b) => a - b)) {
    const e = entries.get(lo)!;
    w.fixed(lo, LO_BYTES);
    if (e.aged || ageable(e, agedBefore)) w.varint(AGED);
    else if (allPlain(e)) writeSparse(w, e);
    else writeFull(w, e);
  }
  return w.bytes();
}

function allPlain(e: PackedEntry): boolean {
  for (const k of FIGURES) if (!plain(e[k])) return false;
  return true;
}

function writeSparse(w: PackWriter, e: PackedEntry): void {
  const decimal = e.agentCost === null ? undefined : decimalOf(e.agentCost);
  const flags = SPARSE | (e.agentCost !== null ? HAS_COST : 0) | (e.f !== null ? HAS_FILE : 0) | (decimal ? COST_DECIMAL : 0) |
    (e.input !== 0 ? INPUT : 0) | (e.output !== 0 ? OUTPUT : 0) | (e.cw5m !== 0 ? CW5M : 0) | (e.cw1h !== 0 ? CW1H : 0) |
    (e.cacheRead !== 0 ? CACHE_READ : 0) | (e.reasoning !== 0 ? REASONING : 0) | (e.webSearch !== 0 ? WEB_SEARCH : 0) |
    (e.requests !== 1 ? REQUESTS : 0) | (e.act !== 0 ? ACT : 0);
  w.varint(flags);
  w.varint(e.dim);
  w.varint(e.ts);
  if (flags & INPUT) w.varint(e.input);
  if (flags & OUTPUT) w.varint(e.output);
  if (flags & CW5M) w.varint(e.cw5m);
  if (flags & CW1H) w.varint(e.cw1h);
  if (flags & CACHE_READ) w.varint(e.cacheRead);
  if (flags & REASONING) w.varint(e.reasoning);
  if (flags & WEB_SEARCH) w.varint(e.webSearch);
  if (flags & REQUESTS) w.varint(e.requests);
  if (flags & ACT) w.varint(e.act);
  if (decimal) {
    w.varint(decimal[0]);
    w.fixed(decimal[1], 1);
  } else if (e.agentCost !== null) w.double(e.agentCost);
  if (e.f !== null) w.fixed(e.f, 7);
}

function writeFull(w: PackWriter, e: PackedEntry): void {
  const doubles = !allPlain(e);
  w.varint((e.agentCost !== null ? HAS_COST : 0) | (e.f !== null ? HAS_FILE : 0) | (doubles ? AS_DOUBLES : 0));
  for (const k of FIGURES) {
    if (doubles) w.double(e[k]);
    else w.varint(e[k]);
  }
  if (e.agentCost !== null) w.double(e.agentCost);
  if (e.f !== null) w.fixed(e.f, 7);
}

/** An entry's values, in either layout (the reader just past its low bits). */
function readEntry(r: PackReader): PackedEntry {
  const flags = r.varint();
  if (flags === AGED) return AGED_ENTRY;
  let e: PackedEntry;
  if (flags & SPARSE) {
    const dim = r.varint();
    const ts = r.varint();
    e = {
      f: null, dim, ts, input: flags & INPUT ? r.varint() : 0, output: flags & OUTPUT ? r.varint() : 0, cw5m: flags & CW5M ? r.varint() : 0,
      cw1h: flags & CW1H ? r.varint() : 0, cacheRead: flags & CACHE_READ ? r.varint() : 0, reasoning: flags & REASONING ? r.varint() : 0,
      webSearch: flags & WEB_SEARCH ? r.varint() : 0, requests: flags & REQUESTS ? r.varint() : 1, act: flags & ACT ? r.varint() : 0, agentCost: null,
    };
    if (flags & COST_DECIMAL) {
      const m = r.varint();
      e.agentCost = m / POW10[r.fixed(1)];
    } else if (flags & HAS_COST) e.agentCost = r.double();
  } else {
    const v = (): number => (flags & AS_DOUBLES ? r.double() : r.varint());
    e = {
      f: null, dim: v(), ts: v(), input: v(), output: v(), cw5m: v(), cw1h: v(), cacheRead: v(), reasoning: v(), webSearch: v(), requests: v(), act: v(), agentCost: null,
    };
    if (flags & HAS_COST) e.agentCost = r.double();
  }
  if (flags & HAS_FILE) e.f = r.fixed(7);
  return e;
}

/** A pack's entries by low bits (ascending). Throws on bytes that are not a pack. */
export function decodePack(p: Uint8Array): Map<number, PackedEntry> {
  const out = new Map<number, PackedEntry>();
  const r = new PackReader(p, 'keyed pack');
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
  const r = new PackReader(p, 'keyed pack');
  while (r.at < p.length) {
    r.at += LO_BYTES;
    const e = readEntry(r);
    if (e.agentCost !== null && e.ts >= fromMs && e.ts < toMs) {
      acc.sum += e.agentCost;
      acc.n++;
    }
  }
}
