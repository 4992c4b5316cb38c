import { BackwardBits, ZstdError } from './bits';
import { buildFseTable, type FseTable, FseState, readFseCounts, rleFseTable } from './fse';
import { decodeLiterals, type HuffmanTable, readHuffmanTable } from './huffman';

/**
 * A Zstandard decompressor (RFC 8878) for whole files, in plain TypeScript: Node 20 (and the VS Code host's Node) has
 * no zstd in `zlib`. Codex compresses rollouts that have not changed for 7 days into `.jsonl.zst` (openai/codex
 * codex-rs/rollout/src/compression.rs, level 3, no dictionary): frames, skippable frames, raw / RLE / compressed
 * blocks, Huffman and FSE coding. Dictionaries are not supported (Codex uses none); the content checksum is skipped.
 */

const MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE = 0x184d2a50;

// RFC 8878 §3.1.1.3.2.1.1: baselines and extra bits of the literal-length and match-length codes
const LL_BASE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];
const LL_BITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const ML_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051,
  4099, 8195, 16387, 32771, 65539,
];
const ML_BITS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];
// §3.1.1.3.2.2: the predefined distributions
const LL_DEFAULT = buildFseTable([4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1], 6);
const ML_DEFAULT = buildFseTable(
  [1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1],
  6,
);
const OF_DEFAULT = buildFseTable([1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1], 5);

/** Whether the bytes start with a Zstandard frame. */
export function isZstd(b: Uint8Array): boolean {
  return b.length >= 4 && u32(b, 0) === MAGIC;
}

/** The decompressed content of every frame in `b`, one after the other. */
export function zstdDecompress(b: Uint8Array): Buffer {
  const out = new Output(Math.max(1024, b.length * 4));
  let p = 0;
  while (p < b.length) {
    if (b.length - p < 4) throw new ZstdError('truncated frame');
    const magic = u32(b, p);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE) {
      if (b.length - p < 8) throw new ZstdError('truncated skippable frame');
      p += 8 + u32(b, p + 4);
      if (p > b.length) throw new ZstdError('truncated skippable frame');
      continue;
    }
    if (magic !== MAGIC) throw new ZstdError('not a Zstandard frame');
    p = readFrame(b, p + 4, out);
  }
  return out.result();
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/** The growing output; a match copies from what was written earlier in its frame. */
class Output {
  buf: Uint8Array;
  len = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  push(src: Uint8Array, from: number, to: number): void {
    this.reserve(to - from);
    this.buf.set(src.subarray(from, to), this.len);
    this.len += to - from;
  }
  result(): Buffer {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.len);
  }
}

/** What carries from one block of a frame to the next. */
interface FrameState {
  frameStart: number;
  huffman?: HuffmanTable;
  ll?: FseTable;
  of?: FseTable;
  ml?: FseTable;
  rep: [number, number, number];
}

/** A frame from its header (after the magic number): its blocks into `out`; returns the index after the frame. */
function readFrame(b: Uint8Array, p: number, out: Output): number {
  if (p >= b.length) throw new ZstdError('truncated frame header');
  const d = b[p++];
  const fcsFlag = d >> 6;
  const singleSegment = (d >> 5) & 1;
  const checksum = (d >> 2) & 1;
  const dictFlag = d & 3;
  if (d & 8) throw new ZstdError('reserved frame header bit set');
  if (!singleSegment) p++; // window descriptor: the whole output is kept, so the window does not matter
  const dictBytes = [0, 1, 2, 4][dictFlag];
  let dictId = 0;
  for (let i = 0; i < dictBytes; i++) dictId += b[p + i] * 2 ** (8 * i);
  if (dictId !== 0) throw new ZstdError('dictionaries are not supported');
  p += dictBytes;
  p += fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag];
  const st: FrameState = { frameStart: out.len, rep: [1, 4, 8] };
  for (;;) {
    if (p + 3 > b.length) throw new ZstdError('truncated block header');
    const h = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16);
    p += 3;
    const last = h & 1;
    const type = (h >> 1) & 3;
    const size = h >>> 3;
    if (type === 0) {
      if (p + size > b.length) throw new ZstdError('truncated raw block');
      out.push(b, p, p + size);
      p += size;
    } else if (type === 1) {
      if (p >= b.length) throw new ZstdError('truncated RLE block');
      out.reserve(size);
      out.buf.fill(b[p], out.len, out.len + size);
      out.len += size;
      p += 1;
    } else if (type === 2) {
      if (p + size > b.length) throw new ZstdError('truncated compressed block');
      readCompressedBlock(b, p, p + size, out, st);
      p += size;
    } else throw new ZstdError('reserved block type');
    if (last) break;
  }
  if (checksum) p += 4;
  if (p > b.length) throw new ZstdError('truncated frame');
  return p;
}

/** A compressed block b[p…end): its literals section, then its sequences executed into `out`. */
function readCompressedBlock(b: Uint8Array, p: number, end: number, out: Output, st: FrameState): void {
  const lit = readLiteralsSection(b, p, end, st);
  p = lit.end;
  // number of sequences
  if (p >= end) throw new ZstdError('missing sequences section');
  let n = b[p++];
  if (n >= 128) {
    if (n < 255) n = ((n - 128) << 8) + b[p++];
    else {
      n = b[p] + (b[p + 1] << 8) + 0x7f00;
      p += 2;
    }
  }
  const literals = lit.literals;
  if (n === 0) {
    out.push(literals, 0, literals.length);
    return;
  }
  const modes = b[p++];
  if (modes & 3) throw new ZstdError('reserved sequence mode bits');
  let t = readSeqTable(b, p, end, modes >> 6, LL_DEFAULT, st.ll, 35, 9);
  st.ll = t.table;
  t = readSeqTable(b, t.end, end, (modes >> 4) & 3, OF_DEFAULT, st.of, 31, 8);
  st.of = t.table;
  t = readSeqTable(b, t.end, end, (modes >> 2) & 3, ML_DEFAULT, st.ml, 52, 9);
  st.ml = t.table;
  const bits = new BackwardBits(b, t.end, end);
  const ll = new FseState(st.ll, bits);
  const of = new FseState(st.of, bits);
  const ml = new FseState(st.ml, bits);
  const rep = st.rep;
  let litPos = 0;
  for (let i = 0; i < n; i++) {
    const ofCode = of.symbol;
    const mlCode = ml.symbol;
    const llCode = ll.symbol;
    if (ofCode > 31 || mlCode > 52 || llCode > 35) throw new ZstdError('bad sequence code');
    const ofValue = 2 ** ofCode + bits.read(ofCode);
    const matchLen = ML_BASE[mlCode] + bits.read(ML_BITS[mlCode]);
    const litLen = LL_BASE[llCode] + bits.read(LL_BITS[llCode]);
    let offset: number;
    if (ofValue > 3) {
      offset = ofValue - 3;
      rep[2] = rep[1];
      rep[1] = rep[0];
      rep[0] = offset;
    } else {
      const idx = ofValue - 1 + (litLen === 0 ? 1 : 0);
      if (idx === 0) offset = rep[0];
      else {
        offset = idx === 3 ? rep[0] - 1 : rep[idx];
        if (idx !== 1) rep[2] = rep[1];
        rep[1] = rep[0];
        rep[0] = offset;
      }
    }
    if (i < n - 1) {
      ll.update(bits);
      ml.update(bits);
      of.update(bits);
    }
    // execute: the literals, then the match (it may overlap what it writes)
    if (litPos + litLen > literals.length) throw new ZstdError('sequence past the literals');
    out.push(literals, litPos, litPos + litLen);
    litPos += litLen;
    if (offset <= 0 || offset > out.len - st.frameStart) throw new ZstdError('match offset before the frame start');
    out.reserve(matchLen);
    const o = out.buf;
    let from = out.len - offset;
    let to = out.len;
    if (offset >= matchLen) o.copyWithin(to, from, from + matchLen);
    else for (let k = 0; k < matchLen; k++) o[to++] = o[from++];
    out.len += matchLen;
  }
  if (bits.pos !== 0) throw new ZstdError('sequence bitstream not fully read');
  out.push(literals, litPos, literals.length);
}

/** One table of the sequences section, by its mode: predefined, RLE, FSE-described, or the previous block's. */
function readSeqTable(b: Uint8Array, p: number, end: number, mode: number, predefined: FseTable, previous: FseTable | undefined, maxSymbol: number, maxLog: number): { table: FseTable; end: number } {
  if (mode === 0) return { table: predefined, end: p };
  if (mode === 1) {
    if (p >= end || b[p] > maxSymbol) throw new ZstdError('bad RLE sequence symbol');
    return { table: rleFseTable(b[p]), end: p + 1 };
  }
  if (mode === 2) {
    const c = readFseCounts(b, p, end, maxSymbol, maxLog);
    return { table: buildFseTable(c.counts, c.accuracyLog), end: c.end };
  }
  if (!previous) throw new ZstdError('repeated sequence table without a previous one');
  return { table: previous, end: p };
}

/** The literals section at b[p…end): the literals and the index after the section. */
function readLiteralsSection(b: Uint8Array, p: number, end: number, st: FrameState): { literals: Uint8Array; end: number } {
  const b0 = b[p];
  const type = b0 & 3;
  const sizeFormat = (b0 >> 2) & 3;
  if (type === 0 || type === 1) {
    let size: number;
    let h: number;
    if (sizeFormat === 0 || sizeFormat === 2) {
      size = b0 >> 3;
      h = 1;
    } else if (sizeFormat === 1) {
      size = (b0 >> 4) + (b[p + 1] << 4);
      h = 2;
    } else {
      size = (b0 >> 4) + (b[p + 1] << 4) + (b[p + 2] << 12);
      h = 3;
    }
    p += h;
    if (type === 0) {
      if (p + size > end) throw new ZstdError('raw literals past the block');
      return { literals: b.subarray(p, p + size), end: p + size };
    }
    if (p >= end) throw new ZstdError('missing RLE literal');
    return { literals: new Uint8Array(size).fill(b[p]), end: p + 1 };
  }
  // Huffman-coded: sizes of 10, 14 or 18 bits; four streams except for size format 0
  const hLen = sizeFormat <= 1 ? 3 : sizeFormat === 2 ? 4 : 5;
  const bits = sizeFormat <= 1 ? 10 : sizeFormat === 2 ? 14 : 18;
  let h = 0;
  for (let i = hLen - 1; i >= 0; i--) h = h * 256 + b[p + i];
  const regenerated = Math.floor(h / 16) % 2 ** bits;
  const compressed = Math.floor(h / 2 ** (4 + bits)) % 2 ** bits;
  p += hLen;
  const streamsEnd = p + compressed;
  if (streamsEnd > end) throw new ZstdError('compressed literals past the block');
  let q = p;
  if (type === 2) {
    const t = readHuffmanTable(b, p, streamsEnd);
    st.huffman = t.table;
    q = t.end;
  } else if (!st.huffman) throw new ZstdError('treeless literals without a previous tree');
  return { literals: decodeLiterals(st.huffman, b, q, streamsEnd, regenerated, sizeFormat !== 0), end: streamsEnd };
}
