/**
 * The Claude calls the de-dup holds in memory (claudeDedup.ts), by message.id hash, in the order they were added.
 *
 * A Map keyed by 53-bit numbers boxes each key (a heap number the lookup follows); here the keys sit in a
 * Float64Array of an open-addressing table whose slots are chosen by the hash's low bits (message.id hashes are
 * uniform), so a lookup reads one or two array entries. Entries are only removed in bulk (keepNewest, at a flush),
 * which rebuilds the table: no tombstones.
 */
export class HeldCalls<T> {
  /** entries in the order they were added */
  private entries: T[] = [];
  private mids: number[] = [];
  /** open-addressing table: entry index + 1, 0 = empty; at most half full */
  private slots = new Int32Array(1024);
  private keys = new Float64Array(1024);

  get size(): number {
    return this.entries.length;
  }

  get(mid: number): T | undefined {
    const mask = this.slots.length - 1;
    for (let i = slotOf(mid, mask); ; i = (i + 1) & mask) {
      const e = this.slots[i];
      if (e === 0) return undefined;
      if (this.keys[i] === mid) return this.entries[e - 1];
    }
  }

  /** Adds an entry for a message.id not held (the caller looked it up first). */
  add(mid: number, entry: T): void {
    this.entries.push(entry);
    this.mids.push(mid);
    if (2 * this.entries.length > this.slots.length) this.rebuild(this.slots.length * 2);
    else this.place(mid, this.entries.length);
  }

  /** Keeps the `n` entries added last (the others go, oldest first), in their order. */
  keepNewest(n: number): void {
    if (n >= this.entries.length) return;
    const from = this.entries.length - Math.max(0, n);
    this.entries = this.entries.slice(from);
    this.mids = this.mids.slice(from);
    // room for as many again (the de-dup trims to half its bound): no doubling before the next trim
    let size = 1024;
    while (size < 4 * this.entries.length) size *= 2;
    this.rebuild(size);
  }

  clear(): void {
    this.entries = [];
    this.mids = [];
    this.rebuild(1024);
  }

  private place(mid: number, index1: number): void {
    const mask = this.slots.length - 1;
    let i = slotOf(mid, mask);
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = index1;
    this.keys[i] = mid;
  }

  private rebuild(size: number): void {
    this.slots = new Int32Array(size);
    this.keys = new Float64Array(size);
    for (let j = 0; j < this.mids.length; j++) this.place(this.mids[j], j + 1);
  }
}

/** The low 32 bits of a message.id hash (an integer below 2^53), masked to the table. */
function slotOf(mid: number, mask: number): number {
  return (mid % 4294967296 >>> 0) & mask;
}
