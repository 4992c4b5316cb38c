import type { Database, Statement } from 'sql.js';
import { ActivityKeys } from './activityKeys';

/** One counted key of a plug-in source as stored in `keyed_calls` (schema 5). */
export interface KeyedRow {
  /** hash of the file it was last read from */
  f: number;
  dim: number;
  ts: number;
  input: number;
  output: number;
  cw5m: number;
  cw1h: number;
  cacheRead: number;
  reasoning: number;
  webSearch: number;
  requests: number;
  /** the agent's own cost estimate (USD), null when it logs none */
  agentCost: number | null;
  /** the activity it was counted under (core/activity.ts; '' unknown, also for rows written before schema 6) */
  activity: string;
}

/**
 * v = [input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, agent_cost] (schema.ts, 5), since
 * schema 6 followed by the activity's act_keys id (absent = 0, unknown)
 */
const COLS = 'f, d, t, v';

/** Reads and writes `keyed_calls` inside the caller's transaction (sources/keyed/keyedApplier.ts). */
export class KeyedCalls {
  private readonly sel: Statement;
  private readonly put: Statement;
  private readonly del: Statement;
  private readonly acts: ActivityKeys;

  constructor(private readonly db: Database) {
    this.acts = new ActivityKeys(db);
    this.sel = db.prepare(`SELECT ${COLS} FROM keyed_calls WHERE h = ?`);
    this.put = db.prepare(`INSERT OR REPLACE INTO keyed_calls (h, ${COLS}) VALUES (?, ?, ?, ?, ?)`);
    this.del = db.prepare('DELETE FROM keyed_calls WHERE h = ?');
  }

  get(h: number): KeyedRow | undefined {
    this.sel.bind([h]);
    try {
      if (!this.sel.step()) return undefined;
      return this.toRow(this.sel.get() as (number | string | null)[]);
    } finally {
      this.sel.reset();
    }
  }

  set(h: number, r: KeyedRow): void {
    const v = [r.input, r.output, r.cw5m, r.cw1h, r.cacheRead, r.reasoning, r.webSearch, r.requests, r.agentCost, this.acts.idOf(r.activity)];
    this.put.run([h, r.f, r.dim, r.ts, JSON.stringify(v)]);
  }

  delete(h: number): void {
    this.del.run([h]);
  }

  /** The keys last read from the file with hash `f`, with what they counted. */
  ofFile(f: number): Map<number, KeyedRow> {
    const out = new Map<number, KeyedRow>();
    const res = this.db.exec(`SELECT h, ${COLS} FROM keyed_calls WHERE f = ?`, [f]);
    for (const [h, ...rest] of res[0]?.values ?? []) out.set(Number(h), this.toRow(rest as (number | string | null)[]));
    return out;
  }

  free(): void {
    this.sel.free();
    this.put.free();
    this.del.free();
    this.acts.free();
  }

  private toRow(row: (number | string | null)[]): KeyedRow {
    return { ...toRow(row), activity: this.acts.nameOf(Number(parsedFigures(row)[9] ?? 0) || 0) };
  }
}

function parsedFigures(row: (number | string | null)[]): unknown[] {
  try {
    const v = JSON.parse(String(row[3]));
    return Array.isArray(v) ? v : [];
  } catch {
    return []; // an unreadable row counts nothing (never written so)
  }
}

function toRow(row: (number | string | null)[]): Omit<KeyedRow, 'activity'> {
  const v = parsedFigures(row);
  const n = (i: number) => Number(v[i] ?? 0) || 0;
  return {
    f: Number(row[0]), dim: Number(row[1]), ts: Number(row[2]), input: n(0), output: n(1), cw5m: n(2), cw1h: n(3), cacheRead: n(4),
    reasoning: n(5), webSearch: n(6), requests: n(7), agentCost: typeof v[8] === 'number' ? v[8] : null,
  };
}

/** The agent's own cost estimates summed per source, for the keyed calls made in [fromMs, toMs). */
export function agentCostBySource(db: Database, fromMs: number, toMs: number): Map<string, number> {
  const res = db.exec(
    `SELECT d.source, sum(json_extract(k.v, '$[8]')) FROM keyed_calls k JOIN dims d ON d.id = k.d
     WHERE k.t >= ? AND k.t < ? AND json_extract(k.v, '$[8]') IS NOT NULL GROUP BY d.source`,
    [fromMs, toMs],
  );
  return new Map((res[0]?.values ?? []).map(([s, c]) => [String(s), Number(c)]));
}
