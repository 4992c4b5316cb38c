/**
 * A compact "may contain" set of 53-bit hashes (message.id and Codex event hashes, hash.ts): each hash is kept as a
 * 32-bit fingerprint in a typed-array open-addressing table (4 to 8 bytes a hash, invisible to the garbage
 * collector). `mayHave` is never false for a hash that was added; it is true for a hash never added about once in
 * 2^32 / size, so a caller that gets true confirms with an exact lookup (the store), and one that gets false needs none.
 */
export class HashFilter {
  private slots = new Uint32Array(1024);
  /** fingerprints held (hashes added that share one count once) */
  private count = 0;

  add(h: number): void {
    if (2 * (this.count + 1) > this.slots.length) this.grow();
    if (insert(this.slots, fingerprint(h))) this.count++;
  }

  mayHave(h: number): boolean {
    const fp = fingerprint(h);
    const s = this.slots;
    const mask = s.length - 1;
    for (let i = slotOf(fp, mask); ; i = (i + 1) & mask) {
      const v = s[i];
      if (v === fp) return true;
      if (v === 0) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (const v of old) if (v !== 0) insert(this.slots, v);
  }
}

/** The low 32 bits of the hash, 0 (the empty slot) mapped to 1. */
function fingerprint(h: number): number {
  return h % 4294967296 >>> 0 || 1;
}

function slotOf(fp: number, mask: number): number {
  return (Math.imul(fp, 0x9e3779b1) >>> 0) & mask;
}

/** Linear probing; false when the fingerprint was there already. */
function insert(s: Uint32Array, fp: number): boolean {
  const mask = s.length - 1;
  for (let i = slotOf(fp, mask); ; i = (i + 1) & mask) {
    const v = s[i];
    if (v === fp) return false;
    if (v === 0) {
      s[i] = fp;
      return true;
    }
  }
}
