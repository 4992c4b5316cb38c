/**
 * The writer's hourly aggregates as the dashboard reads them — usage_hours (`loadHourFacts(db, { sinceMs })`: its
 * views by time, model and source, ~14.6k rows at a year of heavy use) and usage_acts (`loadActivityFacts`: cost by
 * activity, ~46.5k rows) — kept per database across data changes and brought up to date from the hours written since
 * (store/changeMarks.ts): those hours' rows are read again and merged in, instead of reading every row after each
 * change. The same facts in the same order as a fresh read (keptHours test), an unchanged hourly fact the same object
 * (so its priced row is kept too, app/dashboard/keptRows.ts); a new array each time. Each table is kept from the
 * earliest hour asked (an earlier one reads it again). Nothing is kept from inside an open transaction (it may roll
 * back), and nothing across a schema change (a table made again).
 */
import type { Database } from 'sql.js';
import { hourMarks } from '../store/changeMarks';
import type { Fact } from '../types';
import { ACT_COLS, activityFactsOfRows, hourOf, loadActivityFacts, type ActivityFilter } from './activityFacts';
import { HOUR_COLS, hourFact, hourKeys, loadHourFacts } from './aggregates';
import { inTransaction } from './inTransaction';

/** More changed hours than this (a batch of a first index, a roll-up): read the tables again. */
const MAX_CHANGED = 500;

interface Table {
  sinceMs: number;
  /** rows as read (HOUR_COLS or ACT_COLS), in the table's read order */
  rows: number[][];
  /** usage_hours: each row's fact */
  facts?: Fact[];
}

interface Kept {
  schema: number;
  hours?: Table;
  acts?: Table;
}
const kept = new WeakMap<Database, Kept>();

/** usage_hours rows by `ord` (ord / 2^32 at 12, ord % 2^32 at 13): ord's high part is the bucket, so also by hour */
const byOrd = (a: readonly number[], b: readonly number[]) => a[12] - b[12] || a[13] - b[13];
/** usage_acts rows by primary key */
const byKey = (a: readonly number[], b: readonly number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** `loadHourFacts(db, { sinceMs })` (sinceMs a whole UTC hour), kept. */
export function keptHourFacts(db: Database, sinceMs: number): Fact[] {
  const k = synced(db);
  if (!k) return loadHourFacts(db, { sinceMs });
  if (!k.hours || k.hours.sinceMs > sinceMs) {
    const rows = readRows(db, 'usage_hours', HOUR_COLS, 'hour >= ?', [sinceMs], 'ord');
    const keys = hourKeys(db);
    k.hours = { sinceMs, rows, facts: rows.map((h) => hourFact(h, keys.get(h[1])!)) };
  }
  return k.hours.facts!.slice(firstAtOrAfter(k.hours.rows, sinceMs));
}

/** `loadActivityFacts(db, f)` for a range with a start, from the kept usage_acts rows. */
export function keptActivityFacts(db: Database, f: ActivityFilter & { sinceMs: number }): Fact[] {
  const k = synced(db);
  if (!k) return loadActivityFacts(db, f);
  const since = hourOf(f.sinceMs);
  if (!k.acts || k.acts.sinceMs > since) k.acts = { sinceMs: since, rows: readRows(db, 'usage_acts', ACT_COLS, 'hour >= ?', [since], 'hour, key, act') };
  const rows = k.acts.rows;
  return activityFactsOfRows(db, rows.slice(firstAtOrAfter(rows, since)), f);
}

/** Drops what is kept for `db`. */
export function forgetKeptHours(db: Database): void {
  kept.delete(db);
}

/** What is kept for `db`, with the hours written since merged in; undefined inside a transaction (read afresh). */
function synced(db: Database): Kept | undefined {
  if (inTransaction(db)) {
    kept.delete(db);
    return undefined;
  }
  const schema = Number(db.exec('PRAGMA main.schema_version')[0]?.values[0]?.[0] ?? 0);
  let k = kept.get(db);
  if (!k || k.schema !== schema) {
    hourMarks.reset(db);
    k = { schema };
    kept.set(db, k);
    return k;
  }
  const changed = hourMarks.take(db);
  if (changed?.size === 0) return k;
  if (!changed || changed.size > MAX_CHANGED) {
    if (!changed) hourMarks.reset(db); // (not noting on this database: read whole, noting from now on)
    k.hours = undefined;
    k.acts = undefined;
    return k;
  }
  if (k.hours) {
    const keys = hourKeys(db);
    k.hours = merged(k.hours, changed, readChanged(db, 'usage_hours', HOUR_COLS, k.hours.sinceMs, changed, 'ord'), byOrd, (h) => hourFact(h, keys.get(h[1])!));
  }
  if (k.acts) k.acts = merged(k.acts, changed, readChanged(db, 'usage_acts', ACT_COLS, k.acts.sinceMs, changed, 'hour, key, act'), byKey);
  return k;
}

function readRows(db: Database, table: string, cols: string, where: string, params: number[], order: string): number[][] {
  const out: number[][] = [];
  const stmt = db.prepare(`SELECT ${cols} FROM ${table} WHERE ${where} ORDER BY ${order}`);
  try {
    stmt.bind(params);
    while (stmt.step()) out.push(stmt.get() as number[]);
  } finally {
    stmt.free();
  }
  return out;
}

/** The rows of the changed hours from `sinceMs` on. */
function readChanged(db: Database, table: string, cols: string, sinceMs: number, changed: ReadonlySet<number>, order: string): number[][] {
  const hours = [...changed].filter((h) => h >= sinceMs).map((h) => Math.trunc(h));
  return hours.length ? readRows(db, table, cols, `hour IN (${hours.join(', ')})`, [], order) : [];
}

/** The kept rows without those of the changed hours, merged with those hours' rows read again (same order). */
function merged(t: Table, changed: ReadonlySet<number>, fresh: number[][], cmp: (a: readonly number[], b: readonly number[]) => number, factOf?: (h: number[]) => Fact): Table {
  // the rows before the first changed hour stay as they are (the rows are in hour order, and so is every order here:
  // a fresh row's hour is a changed one); a change is almost always in the last hours
  const from = firstAtOrAfter(t.rows, Math.min(...changed));
  const rows: number[][] = t.rows.slice(0, from);
  const facts: Fact[] | undefined = t.facts?.slice(0, from);
  let j = 0;
  const take = (h: number[], f: Fact | undefined) => {
    rows.push(h);
    if (facts) facts.push(f ?? factOf!(h));
  };
  for (let i = from; i < t.rows.length; i++) {
    const h = t.rows[i];
    if (changed.has(h[0])) continue;
    while (j < fresh.length && cmp(fresh[j], h) < 0) take(fresh[j++], undefined);
    take(h, t.facts?.[i]);
  }
  while (j < fresh.length) take(fresh[j++], undefined);
  return { sinceMs: t.sinceMs, rows, facts };
}

/** The index of the first row (ordered by hour) whose hour is at or after `ms`. */
function firstAtOrAfter(rows: readonly (readonly number[])[], ms: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid][0] < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
