import { BackwardBits, ZstdError } from './bits';
import { buildFseTable, FseState, readFseCounts } from './fse';

/**
 * Huffman-coded literals of the Zstandard format (RFC 8878 §4.2.1, §3.1.1.3.1): the tree description (weights, raw or
 * FSE-compressed) into a decoding table, and the decoding of one or four streams.
 */

const MAX_BITS = 11;

/** Indexed by the next `maxBits` bits of a stream: the symbol and how many of those bits its code has. */
export interface HuffmanTable {
  maxBits: number;
  symbol: Uint8Array;
  nbBits: Uint8Array;
}

/** Reads a tree description at b[start…end): the table and the index after the description. */
export function readHuffmanTable(b: Uint8Array, start: number, end: number): { table: HuffmanTable; end: number } {
  if (start >= end) throw new ZstdError('missing Huffman tree description');
  const header = b[start];
  let weights: number[];
  let next: number;
  if (header < 128) {
    // FSE-compressed weights: two interleaved states over one backward stream
    next = start + 1 + header;
    if (next > end) throw new ZstdError('Huffman weights past the block');
    const c = readFseCounts(b, start + 1, next, 255, 6);
    const table = buildFseTable(c.counts, c.accuracyLog);
    const bits = new BackwardBits(b, c.end, next);
    const s1 = new FseState(table, bits);
    const s2 = new FseState(table, bits);
    weights = [];
    for (;;) {
      weights.push(s1.symbol);
      s1.update(bits);
      if (bits.overflowed) {
        weights.push(s2.symbol);
        break;
      }
      weights.push(s2.symbol);
      s2.update(bits);
      if (bits.overflowed) {
        weights.push(s1.symbol);
        break;
      }
      if (weights.length > 255) throw new ZstdError('too many Huffman weights');
    }
  } else {
    // 4-bit weights, two a byte (the first in the high half)
    const n = header - 127;
    next = start + 1 + ((n + 1) >> 1);
    if (next > end) throw new ZstdError('Huffman weights past the block');
    weights = [];
    for (let i = 0; i < n; i++) {
      const byte = b[start + 1 + (i >> 1)];
      weights.push(i % 2 === 0 ? byte >> 4 : byte & 15);
    }
  }
  return { table: tableOfWeights(weights), end: next };
}

/** The decoding table of the given weights; the last symbol's weight is implied (it completes a power of 2). */
function tableOfWeights(weights: number[]): HuffmanTable {
  let total = 0;
  for (const w of weights) {
    if (w > MAX_BITS) throw new ZstdError('Huffman weight too large');
    if (w > 0) total += 1 << (w - 1);
  }
  if (total === 0) throw new ZstdError('Huffman weights all zero');
  const maxBits = 32 - Math.clz32(total);
  const left = (1 << maxBits) - total;
  if (left === 0 || (left & (left - 1)) !== 0) throw new ZstdError('Huffman weights do not complete a tree');
  const all = [...weights, 32 - Math.clz32(left)];
  if (maxBits > MAX_BITS) throw new ZstdError('Huffman code too long');
  const size = 1 << maxBits;
  const symbol = new Uint8Array(size);
  const nbBits = new Uint8Array(size);
  // codes by weight, lowest first; within a weight by symbol
  const rank = new Array<number>(MAX_BITS + 2).fill(0);
  for (const w of all) if (w > 0) rank[w] += 1 << (w - 1);
  let at = 0;
  for (let w = 1; w <= MAX_BITS + 1; w++) {
    const n = rank[w];
    rank[w] = at;
    at += n;
  }
  for (let s = 0; s < all.length; s++) {
    const w = all[s];
    if (w === 0) continue;
    const len = 1 << (w - 1);
    const from = rank[w];
    symbol.fill(s, from, from + len);
    nbBits.fill(maxBits + 1 - w, from, from + len);
    rank[w] += len;
  }
  return { maxBits, symbol, nbBits };
}

/** Decodes `count` literals of one stream b[lo…hi) into out at `at`. */
function decodeStream(t: HuffmanTable, b: Uint8Array, lo: number, hi: number, out: Uint8Array, at: number, count: number): void {
  const bits = new BackwardBits(b, lo, hi);
  for (let i = 0; i < count; i++) {
    const k = bits.peek(t.maxBits);
    out[at + i] = t.symbol[k];
    bits.skip(t.nbBits[k]);
  }
  if (bits.pos !== 0) throw new ZstdError('Huffman stream not fully read');
}

/** The `size` literals of b[lo…hi): one stream, or four after a 6-byte jump table. */
export function decodeLiterals(t: HuffmanTable, b: Uint8Array, lo: number, hi: number, size: number, fourStreams: boolean): Uint8Array {
  const out = new Uint8Array(size);
  if (!fourStreams) {
    decodeStream(t, b, lo, hi, out, 0, size);
    return out;
  }
  if (hi - lo < 10) throw new ZstdError('four Huffman streams too short');
  const s1 = b[lo] | (b[lo + 1] << 8);
  const s2 = b[lo + 2] | (b[lo + 3] << 8);
  const s3 = b[lo + 4] | (b[lo + 5] << 8);
  const start1 = lo + 6;
  const start2 = start1 + s1;
  const start3 = start2 + s2;
  const start4 = start3 + s3;
  if (start4 > hi) throw new ZstdError('Huffman jump table past the block');
  const seg = Math.floor((size + 3) / 4);
  if (3 * seg > size) throw new ZstdError('too few literals for four streams');
  decodeStream(t, b, start1, start2, out, 0, seg);
  decodeStream(t, b, start2, start3, out, seg, seg);
  decodeStream(t, b, start3, start4, out, 2 * seg, seg);
  decodeStream(t, b, start4, hi, out, 3 * seg, size - 3 * seg);
  return out;
}
