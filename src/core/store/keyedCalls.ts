import type { Database, Statement } from 'sql.js';

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
}

const COLS = 'f, dim, ts, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, agent_cost';

/** Reads and writes `keyed_calls` inside the caller's transaction (sources/keyed/keyedApplier.ts). */
export class KeyedCalls {
  private readonly sel: Statement;
  private readonly put: Statement;
  private readonly del: Statement;

  constructor(private readonly db: Database) {
    this.sel = db.prepare(`SELECT ${COLS} FROM keyed_calls WHERE h = ?`);
    this.put = db.prepare(`INSERT OR REPLACE INTO keyed_calls (h, ${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.del = db.prepare('DELETE FROM keyed_calls WHERE h = ?');
  }

  get(h: number): KeyedRow | undefined {
    this.sel.bind([h]);
    try {
      if (!this.sel.step()) return undefined;
      return toRow(this.sel.get() as (number | null)[]);
    } finally {
      this.sel.reset();
    }
  }

  set(h: number, r: KeyedRow): void {
    this.put.run([h, r.f, r.dim, r.ts, r.input, r.output, r.cw5m, r.cw1h, r.cacheRead, r.reasoning, r.webSearch, r.requests, r.agentCost]);
  }

  delete(h: number): void {
    this.del.run([h]);
  }

  /** The keys last read from the file with hash `f`, with what they counted. */
  ofFile(f: number): Map<number, KeyedRow> {
    const out = new Map<number, KeyedRow>();
    const res = this.db.exec(`SELECT h, ${COLS} FROM keyed_calls WHERE f = ?`, [f]);
    for (const [h, ...rest] of res[0]?.values ?? []) out.set(Number(h), toRow(rest as (number | null)[]));
    return out;
  }

  free(): void {
    this.sel.free();
    this.put.free();
    this.del.free();
  }
}

function toRow(v: (number | null)[]): KeyedRow {
  const n = (i: number) => Number(v[i] ?? 0);
  return {
    f: n(0), dim: n(1), ts: n(2), input: n(3), output: n(4), cw5m: n(5), cw1h: n(6), cacheRead: n(7), reasoning: n(8),
    webSearch: n(9), requests: n(10), agentCost: v[11] === null || v[11] === undefined ? null : Number(v[11]),
  };
}

/** The agent's own cost estimates summed per source, for the keyed calls made in [fromMs, toMs). */
export function agentCostBySource(db: Database, fromMs: number, toMs: number): Map<string, number> {
  const res = db.exec(
    `SELECT d.source, sum(k.agent_cost) FROM keyed_calls k JOIN dims d ON d.id = k.dim
     WHERE k.ts >= ? AND k.ts < ? AND k.agent_cost IS NOT NULL GROUP BY d.source`,
    [fromMs, toMs],
  );
  return new Map((res[0]?.values ?? []).map(([s, c]) => [String(s), Number(c)]));
}
