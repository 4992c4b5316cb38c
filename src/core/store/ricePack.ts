/**
 * A sorted set of distinct integers below 2^bits (bits ≤ 48) Rice-coded (store/hashPacks.ts, layouts with `rice`):
 * varint n, one byte k, then per value its gap from the previous one (g = v − prev − 1, prev = −1 first) as
 * ⌊g / 2^k⌋ one-bits, a zero-bit and g's low k bits, most significant bit first, the last byte padded with zeros.
 * For uniformly spread hashes (n values over 2^bits), k ≈ log2(2^bits / n) gives ~k + 2 bits a value: the 39 low
 * bits of ~86 compacted message.id hashes a pack take ~4.3 bytes each instead of 5 in fixed width.
 * Exact: every value comes back; k is chosen per pack and any k decodes.
 */
const POW2 = Array.from({ length: 54 }, (_, i) => 2 ** i);

class BitWriter {
  buf: Uint8Array;
  n = 0;
  private acc = 0;
  private accBits = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(Math.max(16, size));
  }
  /** v < 2^bits, bits ≤ 24 */
  private put24(v: number, bits: number): void {
    // at most 7 bits held before: 31 bits, within int32
    this.acc = (this.acc << bits) | v;
    this.accBits += bits;
    while (this.accBits >= 8) {
      this.accBits -= 8;
      if (this.n === this.buf.length) this.grow();
      this.buf[this.n++] = (this.acc >>> this.accBits) & 255;
      this.acc &= (1 << this.accBits) - 1;
    }
  }
  put(v: number, bits: number): void {
    if (bits > 24) {
      const lo = v % POW2[24];
      this.put24((v - lo) / POW2[24], bits - 24);
      this.put24(lo, 24);
    } else if (bits > 0) this.put24(v, bits);
  }
  ones(q: number): void {
    let left = q;
    while (left >= 24) {
      this.put24(POW2[24] - 1, 24);
      left -= 24;
    }
    if (left > 0) this.put24(POW2[left] - 1, left);
  }
  finish(): Uint8Array {
    if (this.accBits > 0) this.put24(0, 8 - this.accBits);
    return this.buf.slice(0, this.n);
  }
  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }
}

class BitReader {
  private at: number;
  /** bits of the current byte not read yet (from its most significant) */
  private left = 0;
  private byte = 0;
  constructor(private readonly b: Uint8Array, at: number) {
    this.at = at;
  }
  bit(): number {
    if (this.left === 0) {
      if (this.at >= this.b.length) throw new Error('truncated rice pack');
      this.byte = this.b[this.at++];
      this.left = 8;
    }
    this.left--;
    return (this.byte >>> this.left) & 1;
  }
  bits(count: number): number {
    let v = 0;
    let rest = count;
    while (rest > 0) {
      if (this.left === 0) {
        if (this.at >= this.b.length) throw new Error('truncated rice pack');
        this.byte = this.b[this.at++];
        this.left = 8;
      }
      const take = Math.min(rest, this.left);
      this.left -= take;
      v = v * POW2[take] + ((this.byte >>> this.left) & ((1 << take) - 1));
      rest -= take;
    }
    return v;
  }
  /** the one-bits before the next zero-bit */
  unary(): number {
    let q = 0;
    while (this.bit() === 1) q++;
    return q;
  }
}

/** The header: n and k, and where the bits start. */
function header(p: Uint8Array): { n: number; k: number; at: number } {
  let n = 0;
  let mul = 1;
  let at = 0;
  for (;;) {
    const c = p[at++];
    if (c === undefined) throw new Error('truncated rice pack');
    n += (c & 127) * mul;
    if (c < 128) break;
    mul *= 128;
  }
  const k = p[at++];
  if (k === undefined || k > 48) throw new Error('not a rice pack');
  return { n, k, at };
}

/** The pack of `values` (ascending, distinct, each below 2^bits; throws otherwise). Each run of one-bits is at most ~1.5 n long. */
export function riceEncode(values: ArrayLike<number>, bits: number): Uint8Array {
  const n = values.length;
  const span = n > 0 ? values[n - 1] + 1 : 1;
  const k = n > 0 ? Math.max(0, Math.min(bits, Math.floor(Math.log2((span / n) * Math.LN2)))) : 0;
  const w = new BitWriter(8 + Math.ceil((n * (k + 3)) / 8));
  const hdr: number[] = [];
  for (let r = n; ; r = Math.floor(r / 128)) {
    if (r < 128) {
      hdr.push(r);
      break;
    }
    hdr.push((r % 128) | 128);
  }
  hdr.push(k);
  for (const b of hdr) w.put(b, 8);
  let prev = -1;
  const unit = POW2[k];
  const limit = POW2[bits];
  for (let i = 0; i < n; i++) {
    const g = values[i] - prev - 1;
    if (!(g >= 0) || !(values[i] < limit) || !Number.isInteger(values[i])) throw new Error('rice pack: values must be ascending, distinct integers below 2^bits');
    const q = Math.floor(g / unit);
    const rem = g - q * unit;
    if (k >= 24 && q + 1 + k - 24 <= 24) {
      // one-bits, the zero-bit and the remainder's high bits in one write, then its low 24 bits
      const lo = rem % POW2[24];
      w.put(((POW2[q + 1] - 2) * POW2[k - 24]) + (rem - lo) / POW2[24], q + 1 + k - 24);
      w.put(lo, 24);
    } else {
      w.ones(q);
      w.put(0, 1);
      w.put(rem, k);
    }
    prev = values[i];
  }
  return w.finish();
}

/** Every value of a pack, ascending. Throws on bytes that are not a pack. */
export function riceDecode(p: Uint8Array): number[] {
  const { n, k, at } = header(p);
  const r = new BitReader(p, at);
  const unit = POW2[k];
  const out = new Array<number>(n);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const q = r.unary();
    prev += 1 + q * unit + r.bits(k);
    out[i] = prev;
  }
  return out;
}

/** Whether a pack holds `v` (decoded up to it). */
export function riceHas(p: Uint8Array, v: number): boolean {
  const { n, k, at } = header(p);
  const r = new BitReader(p, at);
  const unit = POW2[k];
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const q = r.unary();
    prev += 1 + q * unit + r.bits(k);
    if (prev >= v) return prev === v;
  }
  return false;
}
