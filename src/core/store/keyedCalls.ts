import type { Database, Statement } from 'sql.js';
import { ActivityKeys } from './activityKeys';

/** One counted key of a plug-in source as stored in `keyed_calls` (schema 10). */
export interface KeyedRow {
  /**
   * hash of the file it was last read from, when that read was a whole document whose vanished keys are taken back
   * (payload `replace`: Cline's ui_messages.json); null otherwise — no read asks which keys such a file holds
   */
  f: number | null;
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
 * Since schema 10 one typed column per figure (schema.ts, 10): i input, o output, w5 cw5m, w1 cw1h, cr cache_read,
 * r reasoning, ws web_search, n requests, c agent_cost (REAL or NULL), a the activity's act_keys id. The index on f
 * holds only the rows that have one (the keys of `replace` documents).
 */
const COLS = 'f, d, t, i, o, w5, w1, cr, r, ws, n, c, a';

/** Reads and writes `keyed_calls` inside the caller's transaction (sources/keyed/keyedApplier.ts). */
export class KeyedCalls {
  private readonly sel: Statement;
  private readonly put: Statement;
  private readonly del: Statement;
  private readonly acts: ActivityKeys;

  constructor(private readonly db: Database) {
    this.acts = new ActivityKeys(db);
    this.sel = db.prepare(`SELECT ${COLS} FROM keyed_calls WHERE h = ?`);
    this.put = db.prepare(`INSERT OR REPLACE INTO keyed_calls (h, ${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.del = db.prepare('DELETE FROM keyed_calls WHERE h = ?');
  }

  get(h: number): KeyedRow | undefined {
    this.sel.bind([h]);
    try {
      if (!this.sel.step()) return undefined;
      return this.toRow(this.sel.get() as (number | null)[]);
    } finally {
      this.sel.reset();
    }
  }

  set(h: number, r: KeyedRow): void {
    this.put.run([
      h, r.f, r.dim, r.ts, r.input, r.output, r.cw5m, r.cw1h, r.cacheRead, r.reasoning, r.webSearch, r.requests, r.agentCost, this.acts.idOf(r.activity),
    ]);
  }

  delete(h: number): void {
    this.del.run([h]);
  }

  /** The keys last read from the `replace` document with hash `f`, with what they counted. */
  ofFile(f: number): Map<number, KeyedRow> {
    const out = new Map<number, KeyedRow>();
    const res = this.db.exec(`SELECT h, ${COLS} FROM keyed_calls WHERE f = ?`, [f]);
    for (const [h, ...rest] of res[0]?.values ?? []) out.set(Number(h), this.toRow(rest as (number | null)[]));
    return out;
  }

  free(): void {
    this.sel.free();
    this.put.free();
    this.del.free();
    this.acts.free();
  }

  private toRow(row: (number | null)[]): KeyedRow {
    const n = (i: number) => Number(row[i] ?? 0) || 0;
    return {
      f: row[0] === null ? null : Number(row[0]), dim: n(1), ts: n(2), input: n(3), output: n(4), cw5m: n(5), cw1h: n(6), cacheRead: n(7),
      reasoning: n(8), webSearch: n(9), requests: n(10), agentCost: typeof row[11] === 'number' ? row[11] : null, activity: this.acts.nameOf(n(12)),
    };
  }
}

/** The agent's own cost estimates summed per source, for the keyed calls made in [fromMs, toMs). */
export function agentCostBySource(db: Database, fromMs: number, toMs: number): Map<string, number> {
  const res = db.exec(
    `SELECT d.source, sum(k.c) FROM keyed_calls k JOIN dims d ON d.id = k.d
     WHERE k.t >= ? AND k.t < ? AND k.c IS NOT NULL GROUP BY d.source`,
    [fromMs, toMs],
  );
  return new Map((res[0]?.values ?? []).map(([s, c]) => [String(s), Number(c)]));
}
