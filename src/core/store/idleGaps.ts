/**
 * The idle cache re-writes of every session, kept in the index (schema 9) so that the dashboard's hint reads a few
 * rows instead of every 15-minute row of its range (issue 14). The rule is core `idleGapsBySession`
 * (limits/cacheEconomics.ts), applied here per session to all of its usage rows — once over all its models (`grp` 0,
 * what a snapshot without a model filter reads) and once per model (`grp` 1, under a model filter):
 *
 * idle_gaps   one row per (dims row, grp, bucket) of each event: the bucket after the idle gap, the bucket before it in
 *             the session (`prev`), the gap (ms) and that dims row's 5-minute and 1-hour writes in the bucket. A range
 *             [since, until) holds the events with `prev >= since` and `bucket < until`: the rule over the range's
 *             facts pairs exactly those buckets, as long as the session's buckets by first entry are in bucket order.
 *             A session where they are not (a retention day row with a later 15-minute row in it) is marked instead by
 *             one row with grp 2 (all models) or 3 (its model), bucket 0: a read that meets one answers null and the
 *             caller applies the rule to the 15-minute rows.
 *             Rows with grp -1 (bucket 0) mark the dims rows whose usage changed since (usage flush, retention): their
 *             sessions are computed again from their usage rows on the next read (`updateIdleGaps`), as the stored
 *             Claude blocks are.
 */
import type { Database } from 'sql.js';
import { inSavepoint } from './savepoint';
import { idleGapsBySession, type SessionIdleGaps } from '../limits/cacheEconomics';
import { loadAllFacts } from '../query/allFacts';
import { committedDims } from '../query/committedDims';
import type { Dim } from '../query/dimTotals';
import type { Fact, Source } from '../types';

/** Marks the dims rows `SELECT dim FROM …` gives as dirty (`from`: the rest of that statement). */
export function markIdleGapsDirty(db: Database, from: string): void {
  db.run(`INSERT OR IGNORE INTO idle_gaps (dim, grp, bucket) SELECT DISTINCT dim, -1, 0 FROM ${from}`);
}

const sessionKey = (d: Pick<Dim, 'source' | 'session'>) => `${d.source}\u0000${d.session}`;

/**
 * The dims rows of each session, per dims map. The map committedDims keeps only grows (rows are only ever added, never
 * removed or replaced): the rows added since the last call are indexed, not all of them again (a new session's dims
 * row made it ~0.15 s of a year's snapshot after each change that added one).
 */
const bySessionKept = new WeakMap<ReadonlyMap<number, Dim>, { size: number; index: Map<string, number[]> }>();
function dimsBySession(dims: ReadonlyMap<number, Dim>): Map<string, number[]> {
  let kept = bySessionKept.get(dims);
  if (kept && kept.size === dims.size) return kept.index;
  if (!kept || kept.size > dims.size) {
    kept = { size: 0, index: new Map() };
    bySessionKept.set(dims, kept);
  }
  let i = 0;
  for (const [id, d] of dims) {
    if (i++ < kept.size) continue;
    const k = sessionKey(d);
    const list = kept.index.get(k);
    if (list) list.push(id);
    else kept.index.set(k, [id]);
  }
  kept.size = dims.size;
  return kept.index;
}

/** Up to this many dims rows to compute again, their usage rows are picked in SQL (`dim IN (…)`). */
const ONLY_DIMS_IN_SQL = 2000;
/**
 * The sessions to compute again are read in groups whose buckets span at most this long (a session longer than that
 * is a group of its own), so that what is in memory at once is a month's facts, not all of them: a first index marks
 * every session of history (a year's ~200k facts were ~18 MB more of the index worker's peak at the refresh's end).
 */
const GROUP_SPAN_MS = 31 * 24 * 3600 * 1000;

/** A row of idle_gaps: dim, grp, bucket, prev, gap, w5, w1. */
export type GapRow = [number, number, number, number, number, number, number];

/** The sessions of the dirty dims rows, computed again: every dims row of those sessions and their rows. */
export interface PendingIdleGaps {
  dims: ReadonlySet<number>;
  rows: readonly GapRow[];
}

/** How many dims rows are marked dirty (their sessions' idle re-writes to compute again). */
export function idleGapMarks(db: Database): number {
  return Number(db.exec('SELECT count(*) FROM idle_gaps WHERE grp = -1')[0]?.values[0]?.[0] ?? 0);
}

/** A session to compute again: its key, its dims rows and the buckets they span. */
interface PendingSession {
  key: string;
  ids: number[];
  lo: number;
  hi: number;
}

/**
 * The rows of the sessions marked dirty, computed again from all their usage rows (per group of sessions, one scan of
 * `usage` over the buckets the group spans); null when none is marked. Reads only.
 */
export function pendingIdleGaps(db: Database): PendingIdleGaps | null {
  const dirty = db.exec('SELECT dim FROM idle_gaps WHERE grp = -1')[0]?.values.map((v) => Number(v[0])) ?? [];
  if (dirty.length === 0) return null;
  const dims = committedDims(db);
  const index = dimsBySession(dims);
  const keys = new Set<string>();
  for (const id of dirty) {
    const d = dims.get(id);
    if (d) keys.add(sessionKey(d));
  }
  const ids = new Set<number>(dirty);
  for (const k of keys) for (const id of index.get(k) ?? []) ids.add(id);
  // the buckets each of those dims rows spans, in one statement (the ids as a JSON array: one lookup per id from JS
  // cost ~0.4 s for the ~29k dims rows a first index marks)
  const spanOf = new Map<number, [number, number]>();
  for (const v of db.exec('SELECT dim, first_bucket, last_bucket FROM session_totals WHERE dim IN (SELECT value FROM json_each(?))', [JSON.stringify([...ids])])[0]?.values ?? []) {
    spanOf.set(Number(v[0]), [Number(v[1]), Number(v[2])]);
  }
  const sessions: PendingSession[] = [];
  for (const key of keys) {
    const s: PendingSession = { key, ids: [], lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY };
    for (const id of index.get(key) ?? []) {
      s.ids.push(id);
      const span = spanOf.get(id);
      if (span) {
        if (span[0] < s.lo) s.lo = span[0];
        if (span[1] > s.hi) s.hi = span[1];
      }
    }
    if (s.lo <= s.hi) sessions.push(s);
  }
  const rows: GapRow[] = [];
  for (const group of spanGroups(sessions)) addGroupRows(db, group, dims, index, rows);
  return { dims: ids, rows };
}

/** The sessions in groups (by first bucket) whose buckets span at most GROUP_SPAN_MS, or one longer session each. */
function spanGroups(sessions: PendingSession[]): PendingSession[][] {
  sessions.sort((a, b) => a.lo - b.lo);
  const groups: PendingSession[][] = [];
  let group: PendingSession[] = [];
  let lo = 0;
  let hi = 0;
  for (const s of sessions) {
    if (group.length > 0 && Math.max(hi, s.hi) - lo > GROUP_SPAN_MS) {
      groups.push(group);
      group = [];
    }
    if (group.length === 0) {
      lo = s.lo;
      hi = s.hi;
    } else if (s.hi > hi) hi = s.hi;
    group.push(s);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The idle_gaps rows of a group of sessions, from all their usage rows (the rule per session: core cacheEconomics.ts). */
function addGroupRows(db: Database, group: readonly PendingSession[], dims: ReadonlyMap<number, Dim>, index: Map<string, number[]>, rows: GapRow[]): void {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const keys = new Set<string>();
  const ids: number[] = [];
  for (const s of group) {
    keys.add(s.key);
    for (const id of s.ids) ids.push(id);
    if (s.lo < lo) lo = s.lo;
    if (s.hi > hi) hi = s.hi;
  }
  // the rows of those sessions' dims rows only (filtered in SQL: the span of a long or resumed session holds many
  // other sessions' rows); many dims rows: the span's rows, filtered here
  const only = ids.length <= ONLY_DIMS_IN_SQL ? ids : undefined;
  const facts = loadAllFacts(db, lo, dims, hi + 1, (d) => keys.has(sessionKey(d)), undefined, only);
  const idOf = (f: Fact) => dimIdOf(f, index, dims);
  const add = (gaps: readonly (SessionIdleGaps & { model?: string })[], grp: 0 | 1) => {
    for (const g of gaps) {
      if (!g.ordered) {
        const any = g.events[0]?.facts[0];
        const dim = any ? idOf(any) : firstDimOf(g, grp, index, dims);
        if (dim !== undefined) rows.push([dim, grp + 2, 0, 0, 0, 0, 0]);
        continue;
      }
      for (const e of g.events) for (const f of e.facts) rows.push([idOf(f), grp, e.bucketMs, e.prevBucketMs, e.gapMs, f.cacheWrite5m, f.cacheWrite1h]);
    }
  };
  add(idleGapsBySession(facts), 0);
  const byModel = new Map<string, Fact[]>();
  for (const f of facts) {
    const list = byModel.get(f.model);
    if (list) list.push(f);
    else byModel.set(f.model, [f]);
  }
  for (const [model, list] of byModel) add(idleGapsBySession(list).map((g) => ({ ...g, model })), 1);
}

/**
 * Brings idle_gaps up to date (the writer: a write, as `updateClaudeBlocks`): the rows of the dirty sessions replaced
 * by `pendingIdleGaps`, the marks removed. Returns how many dims rows were computed again.
 */
export function updateIdleGaps(db: Database): number {
  const pending = pendingIdleGaps(db);
  if (!pending) return 0;
  inSavepoint(db, 'idle_gaps_update', () => {
    db.run('CREATE TEMP TABLE IF NOT EXISTS idle_dims (dim INTEGER PRIMARY KEY)');
    db.run('DELETE FROM temp.idle_dims');
    const put = db.prepare('INSERT INTO temp.idle_dims (dim) VALUES (?)');
    try {
      for (const id of pending.dims) put.run([id]);
    } finally {
      put.free();
    }
    db.run('DELETE FROM idle_gaps WHERE grp = -1 OR dim IN (SELECT dim FROM temp.idle_dims)');
    db.run('DELETE FROM temp.idle_dims');
    const row = db.prepare('INSERT INTO idle_gaps (dim, grp, bucket, prev, gap, w5, w1) VALUES (?, ?, ?, ?, ?, ?, ?)');
    try {
      for (const r of pending.rows) row.run(r);
    } finally {
      row.free();
    }
  });
  const log = markLog(db);
  log.entries.push(pending.dims);
  if (log.entries.length > MARK_LOG_ENTRIES) {
    log.entries.shift();
    log.first++;
  }
  return pending.dims.size;
}

/**
 * The dims rows whose marks `updateIdleGaps` removed, per database, in the order it did (the last 256 updates): what
 * the writer's kept reads (query/keptDimTotals.ts, keptFacts.ts) follow, with the marks still in the table.
 */
interface MarkLog {
  /** the position of entries[0] */
  first: number;
  entries: ReadonlySet<number>[];
}
const MARK_LOG_ENTRIES = 256;
const markLogs = new WeakMap<Database, MarkLog>();
function markLog(db: Database): MarkLog {
  let log = markLogs.get(db);
  if (!log) {
    log = { first: 0, entries: [] };
    markLogs.set(db, log);
  }
  return log;
}

/** The current position in the log of consumed marks (for `dimsChangedSince`). */
export function idleMarksCursor(db: Database): number {
  const log = markLog(db);
  return log.first + log.entries.length;
}

/**
 * The dims rows whose usage may have changed since `cursor` (from `idleMarksCursor`): the marks consumed since and
 * the marks in the table now. Null when the log no longer reaches back to `cursor`.
 */
export function dimsChangedSince(db: Database, cursor: number): Set<number> | null {
  const log = markLog(db);
  if (cursor < log.first || cursor > log.first + log.entries.length) return null;
  const out = new Set<number>();
  for (let i = cursor - log.first; i < log.entries.length; i++) for (const id of log.entries[i]) out.add(id);
  for (const v of db.exec('SELECT dim FROM idle_gaps WHERE grp = -1')[0]?.values ?? []) out.add(Number(v[0]));
  return out;
}

/** The dims row of a fact (its six strings), among its session's dims rows. */
function dimIdOf(f: Fact, index: Map<string, number[]>, dims: ReadonlyMap<number, Dim>): number {
  for (const id of index.get(sessionKey(f)) ?? []) {
    const d = dims.get(id)!;
    if (d.model === f.model && d.project === f.project && d.branch === f.branch && d.tier === f.tier) return id;
  }
  throw new Error(`idle gaps: no dims row for a fact of session ${f.session}`);
}

/** Some dims row of the session (of the session's model for grp 1), for an unordered session's mark. */
function firstDimOf(s: SessionIdleGaps & { model?: string }, grp: 0 | 1, index: Map<string, number[]>, dims: ReadonlyMap<number, Dim>): number | undefined {
  return (index.get(sessionKey(s)) ?? []).find((id) => grp === 0 || dims.get(id)!.model === s.model);
}

export interface IdleGapFilter {
  source: Source | 'all';
  /** null: every model (grp 0); else the events of that model's own buckets (grp 1) */
  model: string | null;
}

/**
 * The events of the range [sinceMs, untilMs) under the filter, per session, in the shape `priceIdleGaps` prices: the
 * same events `idleGapsBySession` finds in the range's 15-minute facts (facts holding only the 5-minute and 1-hour
 * writes that count). Null when a session under the filter is marked unordered (the caller reads the 15-minute rows).
 * The writer calls `updateIdleGaps` first; a reader passes `pendingIdleGaps` (its rows in place of the stored ones of
 * the dirty sessions).
 */
export function loadIdleGaps(
  db: Database, sinceMs: number, untilMs: number, filter: IdleGapFilter, dims: ReadonlyMap<number, Dim>, pending: PendingIdleGaps | null = null,
): SessionIdleGaps[] | null {
  const grp = filter.model === null ? 0 : 1;
  // the stored rows, but those of the sessions computed again (`pending`: a reader's copy, which never writes them)
  const stored = (sql: string, params: number[]) =>
    (db.exec(sql, params)[0]?.values ?? []).map((v) => v.map(Number) as GapRow).filter((r) => !pending?.dims.has(r[0]));
  const fresh = pending?.rows ?? [];
  const marks = [...stored('SELECT dim, grp, bucket, prev, gap, w5, w1 FROM idle_gaps WHERE grp = ?', [grp + 2]), ...fresh.filter((r) => r[1] === grp + 2)];
  const rows = [
    ...stored('SELECT dim, grp, bucket, prev, gap, w5, w1 FROM idle_gaps WHERE grp = ? AND bucket < ? AND prev >= ?', [grp, untilMs, sinceMs]),
    ...fresh.filter((r) => r[1] === grp && r[2] < untilMs && r[3] >= sinceMs),
  ].sort(byBucketThenDim);
  return idleGapsOfRows(rows, marks, filter, dims, idleFactOf);
}

/** Rows of idle_gaps in the order a range's events are grouped in: by bucket, then dims row. */
export const byBucketThenDim = (a: GapRow, b: GapRow): number => a[2] - b[2] || a[0] - b[0];

/** The fact of an event row: its dims row's strings and its 5-minute and 1-hour writes in the bucket. */
export function idleFactOf(v: GapRow, d: Dim): Fact {
  return {
    bucketStartMs: v[2], firstMs: v[2], lastMs: v[2], ...d,
    input: 0, output: 0, cacheWrite5m: v[5], cacheWrite1h: v[6], cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0,
  };
}

/**
 * `loadIdleGaps` of rows already read: `rows` the event rows of the range and group in `byBucketThenDim` order,
 * `marks` the unordered sessions' mark rows of the group (grp + 2); `factOf` makes (or keeps) the fact of a row.
 */
export function idleGapsOfRows(
  rows: readonly GapRow[], marks: readonly GapRow[], filter: IdleGapFilter, dims: ReadonlyMap<number, Dim>, factOf: (v: GapRow, d: Dim) => Fact,
): SessionIdleGaps[] | null {
  const matches = (d: Dim | undefined): d is Dim =>
    d !== undefined && (filter.source === 'all' || d.source === filter.source) && (filter.model === null || d.model === filter.model);
  for (const [dim] of marks) if (matches(dims.get(dim))) return null;
  const sessions = new Map<string, SessionIdleGaps>();
  // the dims row and its session of each dims row met (a number key: no key string built per row)
  const byDim = new Map<number, { d: Dim; s: SessionIdleGaps }>();
  for (const v of rows) {
    let met = byDim.get(v[0]);
    if (!met) {
      const d = dims.get(v[0]);
      if (!matches(d)) continue;
      const k = sessionKey(d);
      let s = sessions.get(k);
      if (!s) {
        s = { source: d.source, session: d.session, project: d.project, events: [], ordered: true };
        sessions.set(k, s);
      }
      met = { d, s };
      byDim.set(v[0], met);
    }
    const { d, s } = met;
    let e = s.events[s.events.length - 1];
    if (!e || e.bucketMs !== v[2]) {
      e = { bucketMs: v[2], prevBucketMs: v[3], gapMs: v[4], facts: [], tokens: 0 };
      s.events.push(e);
    }
    const f = factOf(v, d);
    (e.facts as Fact[]).push(f);
    e.tokens += f.cacheWrite5m + (e.gapMs > 3_600_000 ? f.cacheWrite1h : 0);
  }
  return [...sessions.values()];
}
