import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaudeCallTokens } from './records';

/** One kept copy of a Claude call (claudeDedup.ts). */
export interface KeptCopy extends ClaudeCallTokens {
  rid: number;
  side: boolean;
  ts: number;
  dim: number;
  /** the call's activity as an act_keys id (store/activityKeys.ts; 0 = unknown) */
  act: number;
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const U32_MAX = 4294967295;
const SIDE = 0x80000000;
/**
 * Bytes of one record: rid (f64) at 0, ts (f64) at 8, dims id with the sidechain bit (u32) at 16, input, output,
 * cw5m, cw1h, cacheRead (u32 each) at 20–39, act (u16) at 40; padded to keep the f64s aligned.
 */
const REC = 48;
const CHUNK_BYTES = CHUNK * REC;

/** Where the full chunks of records go (a temp file read back once at the end of the run); tests give their own. */
export interface SpillFile {
  write(buf: Uint8Array, position: number): void;
  read(buf: Uint8Array, position: number): void;
  close(): void;
}

/**
 * A temp file of the OS's temp folder, removed as soon as it is open where the OS allows it (POSIX: it then goes
 * with the process, whatever happens), else at close(). Undefined when none can be made (the records stay in
 * memory).
 */
export function tempSpillFile(): SpillFile | undefined {
  const path = join(tmpdir(), `agentmeter-spill-${process.pid}-${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(path, 'wx+', 0o600);
  } catch {
    return undefined;
  }
  let removed = false;
  try {
    unlinkSync(path);
    removed = true;
  } catch {
    /* Windows: an open file cannot be removed; close() does */
  }
  return {
    write(buf, position) {
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, position + off);
    },
    read(buf, position) {
      let off = 0;
      while (off < buf.length) {
        const n = readSync(fd, buf, off, buf.length - off, position + off);
        if (n === 0) throw new Error('spilled calls: temp file shorter than written');
        off += n;
      }
    },
    close() {
      closeSync(fd);
      if (!removed) rmSync(path, { force: true });
    },
  };
}

/** One chunk's records with typed views (a record's f64s at 6 r, u32s at 12 r, u16s at 24 r). */
class Records {
  readonly bytes: Uint8Array;
  readonly f64: Float64Array;
  readonly u32: Uint32Array;
  readonly u16: Uint16Array;
  constructor(rows: number) {
    const buf = new ArrayBuffer(rows * REC);
    this.bytes = new Uint8Array(buf);
    this.f64 = new Float64Array(buf);
    this.u32 = new Uint32Array(buf);
    this.u16 = new Uint16Array(buf);
  }

  ts(i: number): number {
    return this.f64[6 * i + 1];
  }

  read(i: number): KeptCopy {
    const f = 6 * i;
    const u = 12 * i;
    const tok = this.u32;
    const ds = tok[u + 4];
    return { rid: this.f64[f], side: ds >= SIDE, ts: this.f64[f + 1], dim: ds & ~SIDE, input: tok[u + 5], output: tok[u + 6], cw5m: tok[u + 7], cw1h: tok[u + 8], cacheRead: tok[u + 9], webSearch: 0, act: this.u16[24 * i + 20] };
  }

  write(i: number, k: KeptCopy): void {
    const f = 6 * i;
    const u = 12 * i;
    const tok = this.u32;
    this.f64[f] = k.rid;
    this.f64[f + 1] = k.ts;
    tok[u + 4] = k.side ? (k.dim | SIDE) >>> 0 : k.dim;
    tok[u + 5] = k.input;
    tok[u + 6] = k.output;
    tok[u + 7] = k.cw5m;
    tok[u + 8] = k.cw1h;
    tok[u + 9] = k.cacheRead;
    this.u16[24 * i + 20] = k.act;
  }
}

/**
 * The kept copies of the Claude calls a refresh has spilled out of the de-dup's in-memory map (claudeDedup.ts), as
 * fixed-size records (48 bytes) in chunks of 65,536 rows. In memory stay the message.id column and an
 * open-addressing table (~19 bytes a call at 1.5 M calls); each full chunk of records goes to a temp file (`tempSpillFile`), from
 * which a later copy of one of its calls reads one record back, and the end of the run reads every chunk once
 * (`since`, `midsBefore`). A first index of a year (1.5 M calls) thus keeps ~28 MB in memory instead of ~85 MB.
 * Without a temp file the chunks stay in memory. Exact: a message.id with several kept copies (different
 * requestIds), or a copy whose numbers do not fit the record (token counts that are not integers below 2^32, web
 * searches, a dims id of 2^31 or more, an activity id of 2^16 or more), is kept as objects instead — rare in real
 * logs. Call close() when done (the end of the run, or its failure).
 */
export class SpilledCalls {
  private rows = 0;
  private readonly mid: Float64Array[] = [];
  /** records by chunk; undefined once the chunk is in the file */
  private readonly recs: (Records | undefined)[] = [];
  /** the table: per slot (row + 1, low 32 bits of the message.id); row + 1 = 0 is an empty slot; at most 3/4 full */
  private slots = new Int32Array(2 * 1024);
  /** message.ids kept as objects (their row, if any, is stale) */
  private readonly odd = new Map<number, KeptCopy[]>();
  private file: SpillFile | undefined;
  /** the file was asked for (made when the first chunk is full) */
  private fileTried = false;
  /** a chunk could not be written (a full disk): the chunks from there on stay in memory */
  private fileFailed = false;
  private readonly one = new Records(1);

  /** `makeFile`: where full chunks go (default: a temp file, made when the first chunk is full); one that returns undefined keeps them in memory */
  constructor(private readonly makeFile: () => SpillFile | undefined = tempSpillFile) {}

  /** Message.ids spilled (an upper bound: one kept first in a row, then as objects, counts twice). */
  get size(): number {
    return this.rows + this.odd.size;
  }

  /** Chunks of records in the file. */
  get chunksInFile(): number {
    return this.recs.filter((r) => r === undefined).length;
  }

  /** Copies of the kept copies of `mid` in their order, or undefined when it was not spilled. */
  get(mid: number): KeptCopy[] | undefined {
    const o = this.odd.size > 0 ? this.odd.get(mid) : undefined;
    if (o) return o.map((k) => ({ ...k }));
    const s = this.slotOf(mid);
    const h = this.slots[s];
    return h === 0 ? undefined : [this.read(h - 1)];
  }

  /** Stores the whole list of `mid` (replacing what was stored for it). */
  put(mid: number, list: readonly KeptCopy[]): void {
    if (list.length !== 1 || !fits(list[0]) || (this.odd.size > 0 && this.odd.has(mid))) {
      this.odd.set(mid, list.map((k) => ({ ...k })));
      return;
    }
    const slot = this.slotOf(mid);
    let r = this.slots[slot] - 1;
    if (r < 0) {
      r = this.append(mid);
      this.slots[slot] = r + 1;
      this.slots[slot + 1] = lo32(mid);
      if (4 * this.rows > 3 * (this.slots.length >>> 1)) this.rehash();
    }
    this.write(r, list[0]);
  }

  /** Calls `f` for every message.id spilled. */
  forEachMid(f: (mid: number) => void): void {
    for (let r = 0; r < this.rows; r++) {
      const mid = this.mid[r >>> CHUNK_BITS][r & MASK];
      if (!this.odd.has(mid)) f(mid);
    }
    for (const mid of this.odd.keys()) f(mid);
  }

  /** The kept copies whose time is at or after `cutoff`, sorted by message.id (then list order). */
  *since(cutoff: number): Generator<[number, KeptCopy]> {
    const anyOdd = this.odd.size > 0; // (a lookup boxes each 53-bit key: skipped when there is nothing to find)
    // the picked records copied out in row order (each chunk read once), then visited by message.id
    let picked = new Records(1024);
    let n = 0;
    const mids: number[] = [];
    this.forEachChunk((recs, c, rows) => {
      const m = this.mid[c];
      for (let i = 0; i < rows; i++) {
        if (recs.ts(i) < cutoff || (anyOdd && this.odd.has(m[i]))) continue;
        if (n === picked.f64.length / 6) {
          const more = new Records(2 * n);
          more.bytes.set(picked.bytes);
          picked = more;
        }
        picked.bytes.set(recs.bytes.subarray(i * REC, (i + 1) * REC), n * REC);
        mids.push(m[i]);
        n++;
      }
    });
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => mids[a] - mids[b]);
    const odd = [...this.odd].filter(([, list]) => list.some((k) => k.ts >= cutoff)).sort((a, b) => a[0] - b[0]);
    let o = 0;
    for (const i of order) {
      const mid = mids[i];
      for (; o < odd.length && odd[o][0] < mid; o++) yield* this.oddSince(odd[o], cutoff);
      yield [mid, picked.read(i)];
    }
    for (; o < odd.length; o++) yield* this.oddSince(odd[o], cutoff);
  }

  private *oddSince([mid, list]: [number, KeptCopy[]], cutoff: number): Generator<[number, KeptCopy]> {
    for (const k of list) if (k.ts >= cutoff) yield [mid, { ...k }];
  }

  /** Message.id hashes of the kept copies older than `cutoff`, sorted (one per copy). */
  midsBefore(cutoff: number): Float64Array {
    const anyOdd = this.odd.size > 0;
    // one array as long as every copy could make it (no growing copies: ~12 MB at a year's 1.5 M calls, not ~28)
    let most = this.rows;
    for (const list of this.odd.values()) most += list.length;
    const out = new Float64Array(most);
    let n = 0;
    this.forEachChunk((recs, c, rows) => {
      const m = this.mid[c];
      for (let i = 0; i < rows; i++) if (recs.ts(i) < cutoff && !(anyOdd && this.odd.has(m[i]))) out[n++] = m[i];
    });
    for (const [mid, list] of this.odd) for (const k of list) if (k.ts < cutoff) out[n++] = mid;
    return out.subarray(0, n).sort();
  }

  /** Closes (and so removes) the temp file; the spilled calls are gone. */
  close(): void {
    this.file?.close();
    this.file = undefined;
  }

  /** Calls `f` with each chunk's records in order (a chunk in the file read back into one buffer). */
  private forEachChunk(f: (recs: Records, c: number, rows: number) => void): void {
    let buf: Records | undefined;
    for (let c = 0; c < this.mid.length; c++) {
      const rows = Math.min(CHUNK, this.rows - c * CHUNK);
      let recs = this.recs[c];
      if (!recs) {
        buf ??= new Records(CHUNK);
        this.file!.read(buf.bytes.subarray(0, rows * REC), c * CHUNK_BYTES);
        recs = buf;
      }
      f(recs, c, rows);
    }
  }

  private midOf(r: number): number {
    return this.mid[r >>> CHUNK_BITS][r & MASK];
  }

  private read(r: number): KeptCopy {
    const recs = this.recs[r >>> CHUNK_BITS];
    if (recs) return recs.read(r & MASK);
    this.file!.read(this.one.bytes, r * REC);
    return this.one.read(0);
  }

  private write(r: number, k: KeptCopy): void {
    const recs = this.recs[r >>> CHUNK_BITS];
    if (recs) {
      recs.write(r & MASK, k);
      return;
    }
    this.one.write(0, k);
    this.file!.write(this.one.bytes, r * REC);
  }

  private append(mid: number): number {
    const r = this.rows++;
    const c = r >>> CHUNK_BITS;
    if (c === this.mid.length) {
      this.mid.push(new Float64Array(CHUNK));
      this.recs.push(this.moveToFile(c - 1) ?? new Records(CHUNK));
    }
    this.mid[c][r & MASK] = mid;
    return r;
  }

  /** Writes full chunk `c` to the file; returns its buffer for reuse, or undefined (none, or no file: it stays). */
  private moveToFile(c: number): Records | undefined {
    const recs = c >= 0 ? this.recs[c] : undefined;
    if (!recs) return undefined;
    if (!this.fileTried) {
      this.fileTried = true;
      this.file = this.makeFile();
    }
    if (!this.file || this.fileFailed) return undefined;
    try {
      this.file.write(recs.bytes, c * CHUNK_BYTES);
    } catch {
      // (a full disk): this chunk and the next ones stay in memory; the ones written before are read from the file
      this.fileFailed = true;
      return undefined;
    }
    this.recs[c] = undefined;
    return recs;
  }

  /** Index in `slots` of `mid`'s slot: its own, or the empty one where it would go (linear probing). */
  private slotOf(mid: number): number {
    const slots = this.slots;
    const mask = slots.length - 2;
    const lo = lo32(mid);
    for (let i = (lo << 1) & mask; ; i = (i + 2) & mask) {
      const h = slots[i];
      if (h === 0 || (slots[i + 1] === lo && this.midOf(h - 1) === mid)) return i;
    }
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 2;
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j];
      if (h === 0) continue;
      const lo = old[j + 1];
      let i = (lo << 1) & mask;
      while (slots[i] !== 0) i = (i + 2) & mask;
      slots[i] = h;
      slots[i + 1] = lo;
    }
    this.slots = slots;
  }
}

/** The hashes are uniform (hash.ts): their low 32 bits pick the slot (as an int32). */
function lo32(mid: number): number {
  return mid % 4294967296 | 0;
}

/** Whether a copy fits the compact columns exactly. */
function fits(k: KeptCopy): boolean {
  return k.webSearch === 0 && u32(k.input) && u32(k.output) && u32(k.cw5m) && u32(k.cw1h) && u32(k.cacheRead) && Number.isInteger(k.dim) && k.dim >= 0 && k.dim < SIDE && Number.isInteger(k.act) && k.act >= 0 && k.act < 65536;
}

function u32(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= U32_MAX;
}
