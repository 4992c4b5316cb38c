import type { Database, SqlValue, Statement } from 'sql.js';
import type { KeptCopy } from '../ingest/spilledCalls';
import { insertRowsSliced } from './batchInsert';
import type { TimeSlicer } from './timeSlice';
import { isPlainCount, PackReader, PackWriter } from './packBytes';

/**
 * The de-dup state of recent Claude calls (claudeDedup.ts), packed (schema 14, `claude_packs (k INTEGER PRIMARY KEY,
 * p BLOB)`; one row per kept copy in `claude_calls` before): per k = the message.id hash's top 14 bits, one blob of
 * the kept copies of its calls, sorted by the hash's low 39 bits (the copies of one call in their order). A year's
 * 143k recent calls: ~30 bytes a copy where a claude_calls row took ~57 (its hashes were stored as 8-byte REALs);
 * ~9 calls a pack, a few hundred bytes, so a page holds a dozen packs and a change rewrites little.
 *
 * Blob: a varint header, 2 × the pack's base time (the least time of its plain copies) + 1 when it holds an
 * AS_DOUBLES copy (the daily compaction skips a pack whose base is recent without decoding it), then per copy: the low bits (5 bytes,
 * big-endian), a flags byte, then
 * - plain (every value a non-negative safe integer, as the parser gives them): the requestId key (4 bytes, when
 *   flagged), time − base, dims row, input, output (varints), then cw5m, cw1h, cache reads, web searches and the
 *   activity id, each only when flagged (non-zero);
 * - AS_DOUBLES otherwise (none in real logs): requestId key, time, dims row and the seven figures as 8-byte doubles.
 * The requestId is kept as `ridKey` (0 none, else 1..2^32−1): de-dup only compares the requestIds of copies of one
 * message.id, and claudeDedup.ts compares keys on both sides.
 */
export const PREFIX_BITS = 14;
const LO_BITS = 53 - PREFIX_BITS;
const LO = 2 ** LO_BITS;
const LO_BYTES = 5;
const U32 = 4294967295;

const SIDE = 1;
const RID = 2;
const CW5M = 4;
const CW1H = 8;
const CACHE_READ = 16;
const WEB_SEARCH = 32;
const ACT = 64;
const AS_DOUBLES = 128;

/**
 * The stored form of a requestId hash: 0 for none, else 1..2^32−1 (what a kept copy holds, claudeDedup.ts). A key
 * is its own key (a value up to 2^32−1 stays as it is).
 */
export function ridKey(rid: number): number {
  return rid <= U32 ? rid : (rid % U32) + 1;
}

export function packOf(mid: number): number {
  return Math.floor(mid / LO);
}

/** One kept copy with its message.id hash. */
export type StoredCall = [mid: number, copy: KeptCopy];

const plain = isPlainCount;
const isPlain = (k: KeptCopy) =>
  plain(k.ts) && plain(k.dim) && plain(k.input) && plain(k.output) && plain(k.cw5m) && plain(k.cw1h) && plain(k.cacheRead) &&
  plain(k.webSearch) && plain(k.act) && plain(k.rid) && k.rid <= U32;

/** A pack's bytes from its copies, sorted by message.id (a call's copies in their order), all of pack `packOf`. */
export function encodeCalls(calls: readonly StoredCall[]): Uint8Array {
  const w = new PackWriter(512);
  let base = Number.POSITIVE_INFINITY;
  for (const [, k] of calls) if (k.ts < base && isPlain(k)) base = k.ts;
  if (base === Number.POSITIVE_INFINITY) base = 0;
  w.varint(2 * base + (calls.some(([, k]) => !isPlain(k)) ? 1 : 0));
  for (const [mid, k] of calls) {
    w.fixed(mid % LO, LO_BYTES);
    if (!isPlain(k)) {
      w.fixed(AS_DOUBLES | (k.side ? SIDE : 0), 1);
      for (const v of [k.rid, k.ts, k.dim, k.input, k.output, k.cw5m, k.cw1h, k.cacheRead, k.webSearch, k.act]) w.double(v);
      continue;
    }
    const flags = (k.side ? SIDE : 0) | (k.rid !== 0 ? RID : 0) | (k.cw5m !== 0 ? CW5M : 0) | (k.cw1h !== 0 ? CW1H : 0) |
      (k.cacheRead !== 0 ? CACHE_READ : 0) | (k.webSearch !== 0 ? WEB_SEARCH : 0) | (k.act !== 0 ? ACT : 0);
    w.fixed(flags, 1);
    if (flags & RID) w.fixed(k.rid - 1, 4);
    w.varint(k.ts - base);
    w.varint(k.dim);
    w.varint(k.input);
    w.varint(k.output);
    if (flags & CW5M) w.varint(k.cw5m);
    if (flags & CW1H) w.varint(k.cw1h);
    if (flags & CACHE_READ) w.varint(k.cacheRead);
    if (flags & WEB_SEARCH) w.varint(k.webSearch);
    if (flags & ACT) w.varint(k.act);
  }
  return w.bytes();
}

/** The copies of pack `k` in their stored order. Throws on bytes that are not a pack. */
export function decodeCalls(k: number, p: Uint8Array): StoredCall[] {
  const out: StoredCall[] = [];
  const r = new PackReader(p, 'claude pack');
  const base = Math.floor(r.varint() / 2);
  while (r.at < p.length) {
    const mid = k * LO + r.fixed(LO_BYTES);
    const flags = r.fixed(1);
    let c: KeptCopy;
    if (flags & AS_DOUBLES) {
      c = {
        side: (flags & SIDE) !== 0, rid: r.double(), ts: r.double(), dim: r.double(), input: r.double(), output: r.double(), cw5m: r.double(),
        cw1h: r.double(), cacheRead: r.double(), webSearch: r.double(), act: r.double(),
      };
    } else {
      const rid = flags & RID ? r.fixed(4) + 1 : 0;
      const ts = base + r.varint();
      c = {
        side: (flags & SIDE) !== 0, rid, ts, dim: r.varint(), input: r.varint(), output: r.varint(),
        cw5m: flags & CW5M ? r.varint() : 0, cw1h: flags & CW1H ? r.varint() : 0, cacheRead: flags & CACHE_READ ? r.varint() : 0,
        webSearch: flags & WEB_SEARCH ? r.varint() : 0, act: flags & ACT ? r.varint() : 0,
      };
    }
    out.push([mid, c]);
  }
  return out;
}

/** Whether a pack may hold a copy older than `day`, from its header alone (one with an AS_DOUBLES copy: always). */
function mayHoldBefore(p: Uint8Array, day: number): boolean {
  const h = new PackReader(p, 'claude pack').varint();
  return h % 2 === 1 || Math.floor(h / 2) < day;
}

/** Packs written per multi-row statement (450 rows: 900 values, batchInsert's bound). */
const ROWS_PER_WRITE = 450;

/** Every stored copy, by message.id (tests and checks). */
export function allClaudeCalls(db: Database): StoredCall[] {
  const out: StoredCall[] = [];
  for (const [k, p] of db.exec('SELECT k, p FROM claude_packs ORDER BY k')[0]?.values ?? []) out.push(...decodeCalls(Number(k), p as Uint8Array));
  return out;
}

/** Reads and writes of the packed recent calls (free() when done). */
export class ClaudePacks {
  private sel: Statement | undefined;

  constructor(private readonly db: Database) {}

  /** Whether any call is stored. */
  any(): boolean {
    return Number(this.db.exec('SELECT EXISTS (SELECT 1 FROM claude_packs)')[0]?.values[0]?.[0] ?? 0) === 1;
  }

  private read(k: number): StoredCall[] {
    this.sel ??= this.db.prepare('SELECT p FROM claude_packs WHERE k = ?');
    this.sel.bind([k]);
    const p = this.sel.step() ? (this.sel.get()[0] as Uint8Array) : undefined;
    this.sel.reset();
    return p ? decodeCalls(k, p) : [];
  }

  /** The kept copies of call `mid` in their order ([] when none is stored). */
  get(mid: number): KeptCopy[] {
    const out: KeptCopy[] = [];
    for (const [m, c] of this.read(packOf(mid))) if (m === mid) out.push(c);
    return out;
  }

  /**
   * Replaces the stored copies of the calls `replaced` names (every message.id the run spilled; undefined: none stored
   * before, a first index) with `recent` (sorted by message.id, a call's copies together and in order). Each pack
   * touched is read once and written once (deleted when left empty).
   */
  async replace(recent: Iterable<StoredCall>, replaced: ReadonlySet<number> | undefined, slicer: TimeSlicer): Promise<void> {
    const touched = replaced ? [...new Set([...replaced].map(packOf))].sort((a, b) => a - b) : [];
    let t = 0;
    let rows: SqlValue[] = [];
    const gone: number[] = [];
    const write = async (k: number, fresh: StoredCall[]): Promise<void> => {
      const kept = replaced ? this.read(k).filter(([mid]) => !replaced.has(mid)) : [];
      const all = kept.length === 0 ? fresh : mergeByMid(kept, fresh);
      if (all.length === 0) gone.push(k);
      else rows.push(k, encodeCalls(all));
      if (rows.length >= 2 * ROWS_PER_WRITE) {
        await insertRowsSliced(this.db, 'INSERT OR REPLACE INTO claude_packs (k, p)', 2, rows, slicer);
        rows = [];
      }
    };
    let k = -1;
    let group: StoredCall[] = [];
    for (const call of recent) {
      const ck = packOf(call[0]);
      if (ck !== k) {
        if (group.length > 0) await write(k, group);
        for (; t < touched.length && touched[t] < ck; t++) if (touched[t] !== k) await write(touched[t], []);
        k = ck;
        group = [];
      }
      group.push([call[0], { ...call[1] }]);
    }
    if (group.length > 0) await write(k, group);
    for (; t < touched.length; t++) if (touched[t] !== k) await write(touched[t], []);
    await this.writePacks(rows, gone, slicer);
  }

  /** Writes the packs `rows` holds (k, p, k, p, …) and deletes the packs `gone` names (left with no copy). */
  private async writePacks(rows: SqlValue[], gone: readonly number[], slicer: TimeSlicer): Promise<void> {
    await insertRowsSliced(this.db, 'INSERT OR REPLACE INTO claude_packs (k, p)', 2, rows, slicer);
    if (gone.length === 0) return;
    const del = this.db.prepare('DELETE FROM claude_packs WHERE k = ?');
    try {
      for (const g of gone) del.run([g]);
    } finally {
      del.free();
    }
  }

  /** Removes the copies older than `day` and returns their message.id hashes (one per copy, ascending by pack). */
  async compactBefore(day: number, slicer: TimeSlicer): Promise<number[]> {
    const aged: number[] = [];
    const rows: SqlValue[] = [];
    const gone: number[] = [];
    const stmt = this.db.prepare('SELECT k, p FROM claude_packs');
    try {
      while (stmt.step()) {
        const [kv, pv] = stmt.get();
        const k = Number(kv);
        const p = pv as Uint8Array;
        if (!mayHoldBefore(p, day)) continue;
        const calls = decodeCalls(k, p);
        const keep = calls.filter(([mid, c]) => {
          if (c.ts < day) aged.push(mid);
          return !(c.ts < day);
        });
        if (keep.length === calls.length) continue;
        if (keep.length === 0) gone.push(k);
        else rows.push(k, encodeCalls(keep));
      }
    } finally {
      stmt.free();
    }
    await this.writePacks(rows, gone, slicer);
    return aged;
  }

  free(): void {
    this.sel?.free();
    this.sel = undefined;
  }
}

/** Two lists sorted by message.id merged (`a`'s copies first on equal ids; none are shared here). */
function mergeByMid(a: StoredCall[], b: StoredCall[]): StoredCall[] {
  const out: StoredCall[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i][0] <= b[j][0])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/**
 * Schema 14's conversion (schema.ts): the rows of the old `claude_calls` (copied to temp.c13 by the migration's SQL)
 * into packs, each call's copies in the order the old table gave them (by requestId hash), requestIds as their keys.
 * Values are copied as they are (the old columns had no type: a hash bound from JS was stored as a REAL).
 */
export function packOldClaudeCalls(db: Database): void {
  const rows = db.exec('SELECT mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search, act FROM temp.c13 ORDER BY mid, rid')[0]?.values ?? [];
  const calls: StoredCall[] = rows.map((r) => {
    const [mid, rid, side, ts, dim, input, output, cw5m, cw1h, cacheRead, webSearch, act] = r.map((v) => Number(v ?? 0));
    return [mid, { rid: ridKey(rid), side: side === 1, ts, dim, input, output, cw5m, cw1h, cacheRead, webSearch, act }];
  });
  const ins = db.prepare('INSERT INTO claude_packs (k, p) VALUES (?, ?)');
  try {
    for (let i = 0; i < calls.length; ) {
      const k = packOf(calls[i][0]);
      let j = i;
      while (j < calls.length && packOf(calls[j][0]) === k) j++;
      ins.run([k, encodeCalls(calls.slice(i, j))]);
      i = j;
    }
  } finally {
    ins.free();
  }
  db.exec('DROP TABLE temp.c13');
}
