/**
 * Byte writer and reader of the store's packed blobs (claudePacks.ts, keyedPacks.ts): fixed-width big-endian
 * unsigned integers, LEB128-style varints of non-negative safe integers, and big-endian doubles for values that are
 * not plain (`isPlainCount`).
 */

/** A value a varint can hold exactly: a non-negative safe integer (not -0). */
export const isPlainCount = (v: number): boolean => Number.isSafeInteger(v) && v >= 0 && !Object.is(v, -0);

const scratch = new DataView(new ArrayBuffer(8));

export class PackWriter {
  buf: Uint8Array;
  n = 0;
  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
  }
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
    while (r >= 2147483648) {
      this.buf[this.n++] = (r % 128) + 128;
      r = Math.floor(r / 128);
    }
    while (r >= 128) {
      this.buf[this.n++] = (r & 127) | 128;
      r >>>= 7;
    }
    this.buf[this.n++] = r;
  }
  /** big-endian, as DataView writes it */
  double(v: number): void {
    this.room(8);
    scratch.setFloat64(0, v);
    for (let x = 0; x < 8; x++) this.buf[this.n + x] = scratch.getUint8(x);
    this.n += 8;
  }
  /** the bytes written (a copy) */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/** Reads what a PackWriter wrote; a read past the end throws `truncated <what>`. */
export class PackReader {
  at = 0;
  constructor(
    readonly b: Uint8Array,
    private readonly what: string,
  ) {}
  fixed(bytes: number): number {
    if (this.at + bytes > this.b.length) throw new Error(`truncated ${this.what}`);
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
      if (c === undefined) throw new Error(`truncated ${this.what}`);
      v += (c & 127) * mul;
      if (c < 128) return v;
      mul *= 128;
    }
  }
  double(): number {
    if (this.at + 8 > this.b.length) throw new Error(`truncated ${this.what}`);
    for (let x = 0; x < 8; x++) scratch.setUint8(x, this.b[this.at + x]);
    this.at += 8;
    return scratch.getFloat64(0);
  }
}
