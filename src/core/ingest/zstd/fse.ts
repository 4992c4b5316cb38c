import { type BackwardBits, ForwardBits, ZstdError } from './bits';

/**
 * Finite State Entropy tables of the Zstandard format (RFC 8878 §4.1): a table description read into normalized
 * counts, the decoding table built from them, and one step of a decoder.
 */

/** A decoding table: per state its symbol, how many bits the next state needs and the base they are added to. */
export interface FseTable {
  accuracyLog: number;
  symbol: Uint8Array;
  nbBits: Uint8Array;
  baseline: Uint16Array;
}

/** Reads a table description at b[start…end): the normalized counts, their accuracy log and the index after it. */
export function readFseCounts(b: Uint8Array, start: number, end: number, maxSymbol: number, maxLog: number): { counts: number[]; accuracyLog: number; end: number } {
  const r = new ForwardBits(b, start, end);
  const accuracyLog = (r.peek(4) & 15) + 5;
  r.skip(4);
  if (accuracyLog > maxLog) throw new ZstdError('FSE accuracy log too large');
  let remaining = (1 << accuracyLog) + 1;
  let threshold = 1 << accuracyLog;
  let nbBits = accuracyLog + 1;
  const counts: number[] = [];
  let previousZero = false;
  while (remaining > 1 && counts.length <= maxSymbol) {
    if (previousZero) {
      // 2-bit repeat flags: that many more zero counts; 3 means another flag follows
      let flag: number;
      do {
        flag = r.peek(2);
        r.skip(2);
        for (let i = 0; i < flag; i++) counts.push(0);
      } while (flag === 3);
      if (counts.length > maxSymbol) throw new ZstdError('FSE counts past the last symbol');
    }
    const max = 2 * threshold - 1 - remaining;
    let value = r.peek(nbBits);
    if ((value & (threshold - 1)) < max) {
      value &= threshold - 1;
      r.skip(nbBits - 1);
    } else {
      value &= 2 * threshold - 1;
      if (value >= threshold) value -= max;
      r.skip(nbBits);
    }
    const count = value - 1;
    remaining -= count < 0 ? -count : count;
    counts.push(count);
    previousZero = count === 0;
    while (remaining < threshold) {
      nbBits--;
      threshold >>= 1;
    }
  }
  if (remaining !== 1) throw new ZstdError('FSE counts do not add up');
  return { counts, accuracyLog, end: r.byteEnd() };
}

/** The decoding table of normalized counts (-1: a probability below 1, one cell at the table's end). */
export function buildFseTable(counts: readonly number[], accuracyLog: number): FseTable {
  const size = 1 << accuracyLog;
  const symbol = new Uint8Array(size);
  const nbBits = new Uint8Array(size);
  const baseline = new Uint16Array(size);
  const next = new Array<number>(counts.length);
  let high = size - 1;
  for (let s = 0; s < counts.length; s++) {
    if (counts[s] === -1) {
      symbol[high--] = s;
      next[s] = 1;
    } else next[s] = counts[s];
  }
  const step = (size >> 1) + (size >> 3) + 3;
  const mask = size - 1;
  let pos = 0;
  for (let s = 0; s < counts.length; s++) {
    for (let i = 0; i < counts[s]; i++) {
      symbol[pos] = s;
      do pos = (pos + step) & mask;
      while (pos > high);
    }
  }
  if (pos !== 0) throw new ZstdError('FSE table not filled');
  for (let u = 0; u < size; u++) {
    const s = symbol[u];
    const state = next[s]++;
    const bits = accuracyLog - (31 - Math.clz32(state));
    nbBits[u] = bits;
    baseline[u] = (state << bits) - size;
  }
  return { accuracyLog, symbol, nbBits, baseline };
}

/** A table of one symbol (RLE mode): every state decodes it and reads no bits. */
export function rleFseTable(sym: number): FseTable {
  return { accuracyLog: 0, symbol: Uint8Array.of(sym), nbBits: Uint8Array.of(0), baseline: Uint16Array.of(0) };
}

/** One FSE decoder: its state in a table, moved on by bits of a backward stream. */
export class FseState {
  state = 0;
  constructor(
    readonly table: FseTable,
    bits: BackwardBits,
  ) {
    this.state = bits.read(table.accuracyLog);
  }
  get symbol(): number {
    return this.table.symbol[this.state];
  }
  update(bits: BackwardBits): void {
    const t = this.table;
    this.state = t.baseline[this.state] + bits.read(t.nbBits[this.state]);
  }
}
