/**
 * Bit readers of the Zstandard format (RFC 8878 §4.1 / §4.2): a forward one for FSE table descriptions, and the
 * backward one of entropy-coded streams (Huffman literals, FSE sequences), which are read from their last byte
 * towards their first, after a 1-bit end mark in the last byte.
 */

export class ZstdError extends Error {
  constructor(what: string) {
    super(`zstd: ${what}`);
  }
}

/** Four bytes from `i` as an unsigned little-endian number; bytes outside [lo, hi) read as 0. */
function word(b: Uint8Array, i: number, lo: number, hi: number): number {
  if (i >= lo && i + 4 <= hi) return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
  let v = 0;
  for (let k = 3; k >= 0; k--) {
    const j = i + k;
    v = v * 256 + (j >= lo && j < hi ? b[j] : 0);
  }
  return v;
}

/** Reads `n` ≤ 24 bits starting at bit `bit` of b[lo…hi) (bit 0 = lowest bit of b[lo]); bits before lo read as 0. */
function bitsAt(b: Uint8Array, lo: number, hi: number, bit: number, n: number): number {
  if (n === 0) return 0;
  const byte = lo + (bit >> 3); // floor, also for negative bits
  const v = word(b, byte, lo, hi) >>> (bit & 7);
  return v & ((1 << n) - 1);
}

/** Forward reader (FSE table descriptions): bits are taken from the lowest of the first byte upwards. */
export class ForwardBits {
  bit = 0;
  constructor(
    private readonly b: Uint8Array,
    readonly start: number,
    private readonly end: number,
  ) {}
  peek(n: number): number {
    return bitsAt(this.b, this.start, this.end, this.bit, n);
  }
  skip(n: number): void {
    this.bit += n;
    if (this.start + ((this.bit + 7) >> 3) > this.end) throw new ZstdError('table description past its end');
  }
  /** the index after the last byte touched */
  byteEnd(): number {
    return this.start + ((this.bit + 7) >> 3);
  }
}

/** Backward reader over b[lo…hi): starts under the end mark (the highest set bit of the last byte). */
export class BackwardBits {
  /** bits not yet read: the next read takes the bits just below this position */
  pos: number;
  constructor(
    private readonly b: Uint8Array,
    private readonly lo: number,
    private readonly hi: number,
  ) {
    if (hi <= lo) throw new ZstdError('empty bitstream');
    const last = b[hi - 1];
    if (last === 0) throw new ZstdError('bitstream without end mark');
    this.pos = (hi - lo - 1) * 8 + (31 - Math.clz32(last));
  }
  /** `n` bits (any n ≤ 32); past the stream's start they read as 0 (`overflowed` then tells) */
  read(n: number): number {
    if (n <= 24) {
      this.pos -= n;
      return bitsAt(this.b, this.lo, this.hi, this.pos, n);
    }
    const hiPart = this.read(n - 16);
    return hiPart * 65536 + this.read(16);
  }
  peek(n: number): number {
    return bitsAt(this.b, this.lo, this.hi, this.pos - n, n);
  }
  skip(n: number): void {
    this.pos -= n;
  }
  get overflowed(): boolean {
    return this.pos < 0;
  }
}
