import type { Database, Statement } from 'sql.js';
import { ActivityKeys } from './activityKeys';
import { dimText, strIdOf } from './strs';
import { addCosts, ageable, decodePack, encodePack, hashOf, loOf, packOf, type KeyedRow, type PackedEntry } from './keyedPacks';

export type { KeyedRow } from './keyedPacks';

/**
 * Schema 10's rows (one per key, typed columns: f, d dim, t ts, i input, o output, w5 cw5m, w1 cw1h, cr cache_read,
 * r reasoning, ws web_search, n requests, c agent_cost, a act_keys id), still read where an index migrated to 11 holds
 * them: each source's applier moves its own into its packs at its first flush (KeyedCalls.flush).
 */
const LEGACY_COLS = 'f, d, t, i, o, w5, w1, cr, r, ws, n, c, a';

/**
 * One source's keyed state inside the caller's transaction (sources/keyed/keyedApplier.ts): `keyed_packs` rows of the
 * source (store/keyedPacks.ts), read and changed in memory, written at flush(); a row of the source with k < 0 lists
 * the keys the last read of the `replace` document with hash −k held (7 bytes each) — a candidate list, each key's own
 * `f` says where it is now.
 * One instance per source at a time (its packs hold no other source's keys).
 */
export class KeyedCalls {
  private readonly acts: ActivityKeys;
  private readonly packs = new Map<number, Map<number, PackedEntry>>();
  private readonly dirty = new Set<number>();
  private readonly fileKeysAdded = new Map<number, number[]>();
  /** the entries of the packs held in memory (decoded, or added since) */
  private held = 0;
  private selPack: Statement | undefined;
  private legacyLeft: boolean;
  private legacySel: Statement | undefined;
  /**
   * The start of the de-dup window (epoch ms): the packs flush() writes keep the entries `ageable` before it as their
   * keys only (store/keyedPacks.ts); none by default.
   */
  agedBefore = Number.NEGATIVE_INFINITY;
  /** the source had no packs when this instance was made: every pack is written by it */
  readonly startedEmpty: boolean;
  /**
   * packs flush() wrote without aging (a refresh's flushes before its last: a key read again later in the same refresh
   * is compared with its figures, whenever the refresh flushed), for `ageAll` at the refresh's end
   */
  readonly unaged = new Set<number>();

  constructor(private readonly db: Database, private readonly source: string) {
    this.acts = new ActivityKeys(db);
    this.legacyLeft = Number(db.exec('SELECT EXISTS (SELECT 1 FROM keyed_calls)')[0]?.values[0]?.[0] ?? 0) === 1;
    this.startedEmpty = !this.hasPacks();
  }

  get(h: number): KeyedRow | undefined {
    const e = this.pack(packOf(h)).get(loOf(h));
    if (e) return this.toRow(e);
    return this.legacyLeft ? this.legacyGet(h) : undefined;
  }

  set(h: number, r: KeyedRow): void {
    const k = packOf(h);
    const pack = this.pack(k);
    if (!pack.has(loOf(h))) this.held++;
    pack.set(loOf(h), {
      f: r.f, dim: r.dim, ts: r.ts, input: r.input, output: r.output, cw5m: r.cw5m, cw1h: r.cw1h, cacheRead: r.cacheRead, reasoning: r.reasoning,
      webSearch: r.webSearch, requests: r.requests, agentCost: r.agentCost, act: this.acts.idOf(r.activity),
    });
    this.dirty.add(k);
    if (this.legacyLeft) this.db.run('DELETE FROM keyed_calls WHERE h = ?', [h]);
  }

  delete(h: number): void {
    const k = packOf(h);
    if (this.pack(k).delete(loOf(h))) {
      this.dirty.add(k);
      this.held--;
    }
    if (this.legacyLeft) this.db.run('DELETE FROM keyed_calls WHERE h = ?', [h]);
  }

  /** The keys last read from the `replace` document with hash `f`, with what they counted. */
  ofFile(f: number): Map<number, KeyedRow> {
    const candidates = new Set<number>(this.fileKeys(f));
    for (const h of this.fileKeysAdded.get(f) ?? []) candidates.add(h);
    if (this.legacyLeft) for (const [h] of this.db.exec('SELECT h FROM keyed_calls WHERE f = ?', [f])[0]?.values ?? []) candidates.add(Number(h));
    const out = new Map<number, KeyedRow>();
    for (const h of [...candidates].sort((a, b) => a - b)) {
      const row = this.get(h);
      if (row && row.f === f) out.set(h, row);
    }
    return out;
  }

  /** The keys the `replace` document with hash `f` holds now (after a read of it). */
  setFileKeys(f: number, hashes: Iterable<number>): void {
    this.fileKeysAdded.delete(f);
    const sorted = [...new Set(hashes)].sort((a, b) => a - b);
    if (sorted.length === 0) this.db.run('DELETE FROM keyed_packs WHERE s = ? AND k = ?', [this.source, -f]);
    else this.db.run('INSERT OR REPLACE INTO keyed_packs (s, k, p) VALUES (?, ?, ?)', [this.source, -f, hashList(sorted)]);
  }

  /** Every key of the source (packs and rows not moved yet), ascending. */
  keys(): number[] {
    const out: number[] = [];
    for (const [k, p] of this.db.exec('SELECT k, p FROM keyed_packs WHERE s = ? AND k >= 0', [this.source])[0]?.values ?? []) {
      if (!this.packs.has(Number(k))) for (const lo of decodePack(p as Uint8Array).keys()) out.push(hashOf(Number(k), lo));
    }
    for (const [k, entries] of this.packs) for (const lo of entries.keys()) out.push(hashOf(k, lo));
    if (this.legacyLeft) {
      const res = this.db.exec(`SELECT k.h FROM keyed_calls k JOIN dims d ON d.id = k.d WHERE d.source_id = ${strIdOf('?')}`, [this.source]);
      for (const [h] of res[0]?.values ?? []) out.push(Number(h));
    }
    return [...new Set(out)].sort((a, b) => a - b);
  }

  /** Forgets which keys each `replace` document of the source held (its keys all taken back: sourceVersions.ts). */
  clearFileLists(): void {
    this.fileKeysAdded.clear();
    this.db.run('DELETE FROM keyed_packs WHERE s = ? AND k < 0', [this.source]);
  }

  /**
   * Writes the changed packs and lets go of what it holds (memory stays bounded by the work between flushes); with
   * `age`, the entries `ageable` before `agedBefore` as their keys only. Rows an index migrated from schema 10 still
   * holds for this source are moved into its packs first, the same values.
   */
  flush(age = false): void {
    if (this.legacyLeft) this.adoptLegacy();
    const put = this.db.prepare('INSERT OR REPLACE INTO keyed_packs (s, k, p) VALUES (?, ?, ?)');
    const del = this.db.prepare('DELETE FROM keyed_packs WHERE s = ? AND k = ?');
    try {
      for (const k of [...this.dirty].sort((a, b) => a - b)) {
        const entries = this.packs.get(k);
        if (!entries?.size) del.run([this.source, k]);
        else put.run([this.source, k, encodePack(entries, age ? this.agedBefore : Number.NEGATIVE_INFINITY)]);
        if (age || !entries?.size) this.unaged.delete(k);
        else this.unaged.add(k);
      }
    } finally {
      put.free();
      del.free();
    }
    for (const [f, hashes] of this.fileKeysAdded) this.setFileKeys(f, [...this.fileKeys(f), ...hashes]);
    this.fileKeysAdded.clear();
    this.dirty.clear();
    this.packs.clear();
    this.held = 0;
  }

  /** Whether the source has packs (after flush(): written ones). */
  hasPacks(): boolean {
    return Number(this.db.exec('SELECT EXISTS (SELECT 1 FROM keyed_packs WHERE s = ? AND k >= 0)', [this.source])[0]?.values[0]?.[0] ?? 0) === 1;
  }

  /**
   * Writes again, with the entries `ageable` before `before` as their keys only, every pack of the source holding such
   * an entry, or only those of `only` (sources/keyed/keyedApplier.ts: once a day, and the packs written `unaged`).
   * Returns how many entries aged; the packs held in memory are let go of (read again as aged).
   */
  ageAll(before: number, only?: ReadonlySet<number>): number {
    if (this.dirty.size > 0) this.flush();
    this.packs.clear();
    this.held = 0;
    // only those packs' rows read when given (a long refresh's earlier flushes: not every pack of the source)
    const rows = (only
      ? this.db.exec('SELECT k, p FROM keyed_packs WHERE s = ? AND k >= 0 AND k IN (SELECT value FROM json_each(?))', [this.source, JSON.stringify([...only])])
      : this.db.exec('SELECT k, p FROM keyed_packs WHERE s = ? AND k >= 0', [this.source]))[0]?.values ?? [];
    this.unaged.clear();
    const changed: [number, Uint8Array][] = [];
    let aged = 0;
    for (const [k, p] of rows) {
      const entries = decodePack(p as Uint8Array);
      let n = 0;
      for (const e of entries.values()) if (ageable(e, before)) n++;
      if (n === 0) continue;
      changed.push([Number(k), encodePack(entries, before)]);
      aged += n;
    }
    // deleted, then inserted in key order: a source's rows are one run of the table's keys, so the shorter packs fill
    // their pages again (replaced in place, each page kept the room its pack gave up: a first index of a year of Gemini
    // CLI and OpenCode left 30 % of keyed_packs' pages unused)
    const del = this.db.prepare('DELETE FROM keyed_packs WHERE s = ? AND k = ?');
    const put = this.db.prepare('INSERT INTO keyed_packs (s, k, p) VALUES (?, ?, ?)');
    try {
      for (const [k] of changed) del.run([this.source, k]);
      for (const [k, p] of changed) put.run([this.source, k, p]);
    } finally {
      del.free();
      put.free();
    }
    return aged;
  }

  /** How many keys the packs held in memory have: what flush() would let go of. */
  get heldKeys(): number {
    return this.held;
  }

  free(): void {
    this.selPack?.free();
    this.legacySel?.free();
  }

  private pack(k: number): Map<number, PackedEntry> {
    let p = this.packs.get(k);
    if (p) return p;
    this.selPack ??= this.db.prepare('SELECT p FROM keyed_packs WHERE s = ? AND k = ?');
    this.selPack.bind([this.source, k]);
    p = this.selPack.step() ? decodePack(this.selPack.get()[0] as Uint8Array) : new Map();
    this.selPack.reset();
    this.held += p.size;
    this.packs.set(k, p);
    return p;
  }

  private fileKeys(f: number): number[] {
    const b = this.db.exec('SELECT p FROM keyed_packs WHERE s = ? AND k = ?', [this.source, -f])[0]?.values[0]?.[0] as Uint8Array | undefined;
    const out: number[] = [];
    if (b) for (let i = 0; i + 7 <= b.length; i += 7) out.push(readHash(b, i));
    return out;
  }

  private legacyGet(h: number): KeyedRow | undefined {
    this.legacySel ??= this.db.prepare(`SELECT ${LEGACY_COLS} FROM keyed_calls WHERE h = ?`);
    this.legacySel.bind([h]);
    try {
      return this.legacySel.step() ? this.toRow(legacyEntry(this.legacySel.get() as (number | null)[])) : undefined;
    } finally {
      this.legacySel.reset();
    }
  }

  /** This source's schema-10 rows into its packs (the same values), their files' key lists written; the rows deleted. */
  private adoptLegacy(): void {
    const res = this.db.exec(`SELECT k.h, ${LEGACY_COLS.split(', ').map((c) => `k.${c}`).join(', ')} FROM keyed_calls k JOIN dims d ON d.id = k.d WHERE d.source_id = ${strIdOf('?')}`, [this.source]);
    for (const [h, ...rest] of res[0]?.values ?? []) {
      const k = packOf(Number(h));
      const pack = this.pack(k);
      if (pack.has(loOf(Number(h)))) continue;
      const e = legacyEntry(rest as (number | null)[]);
      pack.set(loOf(Number(h)), e);
      this.dirty.add(k);
      if (e.f !== null) {
        const list = this.fileKeysAdded.get(e.f) ?? [];
        list.push(Number(h));
        this.fileKeysAdded.set(e.f, list);
      }
    }
    this.db.run(`DELETE FROM keyed_calls WHERE d IN (SELECT id FROM dims WHERE source_id = ${strIdOf('?')})`, [this.source]);
    this.legacyLeft = Number(this.db.exec('SELECT EXISTS (SELECT 1 FROM keyed_calls)')[0]?.values[0]?.[0] ?? 0) === 1;
  }

  private toRow(e: PackedEntry): KeyedRow {
    const row: KeyedRow = {
      f: e.f, dim: e.dim, ts: e.ts, input: e.input, output: e.output, cw5m: e.cw5m, cw1h: e.cw1h, cacheRead: e.cacheRead, reasoning: e.reasoning,
      webSearch: e.webSearch, requests: e.requests, agentCost: e.agentCost, activity: this.acts.nameOf(e.act),
    };
    if (e.aged) row.aged = true;
    return row;
  }
}

/** A schema-10 row's values as schema 10 read them (missing = 0; the agent cost a number or null). */
function legacyEntry(row: (number | null)[]): PackedEntry {
  const n = (i: number) => Number(row[i] ?? 0) || 0;
  return {
    f: row[0] === null ? null : Number(row[0]), dim: n(1), ts: n(2), input: n(3), output: n(4), cw5m: n(5), cw1h: n(6), cacheRead: n(7),
    reasoning: n(8), webSearch: n(9), requests: n(10), agentCost: typeof row[11] === 'number' ? row[11] : null, act: n(12),
  };
}

function hashList(sorted: number[]): Uint8Array {
  const b = new Uint8Array(sorted.length * 7);
  sorted.forEach((h, i) => {
    let r = h;
    for (let x = 6; x >= 0; x--) {
      b[i * 7 + x] = r % 256;
      r = Math.floor(r / 256);
    }
  });
  return b;
}

function readHash(b: Uint8Array, i: number): number {
  let v = 0;
  for (let x = 0; x < 7; x++) v = v * 256 + b[i + x];
  return v;
}

/**
 * The agent's own cost estimates summed per source, for the keyed calls made in [fromMs, toMs): over each source's
 * packs in key order, then the rows an index migrated from schema 10 still holds.
 */
export function agentCostBySource(db: Database, fromMs: number, toMs: number): Map<string, number> {
  const acc = new Map<string, { sum: number; n: number }>();
  const stmt = db.prepare('SELECT s, p FROM keyed_packs WHERE k >= 0 ORDER BY s, k');
  try {
    while (stmt.step()) {
      const [s, p] = stmt.get() as [string, Uint8Array];
      const a = acc.get(s) ?? { sum: 0, n: 0 };
      acc.set(s, a);
      addCosts(p, fromMs, toMs, a);
    }
  } finally {
    stmt.free();
  }
  const out = new Map([...acc].filter(([, a]) => a.n > 0).map(([s, a]) => [s, a.sum]));
  const res = db.exec(
    `SELECT ${dimText('d', 'source')}, sum(k.c) FROM keyed_calls k JOIN dims d ON d.id = k.d
     WHERE k.t >= ? AND k.t < ? AND k.c IS NOT NULL GROUP BY d.source_id`,
    [fromMs, toMs],
  );
  for (const [s, c] of res[0]?.values ?? []) out.set(String(s), (out.get(String(s)) ?? 0) + Number(c));
  return out;
}
