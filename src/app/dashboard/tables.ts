/** Table rows of the dashboard (sessions, projects, models), from enriched facts in the selected range. */
import { SOURCE_IDS } from '../../core/sources/registry';
import type { Source } from '../../core/types';
import type { ModelRow, ProjectRow, SessionRow } from '../../shared/protocol';
import { addRow, costOrNull, zeroSum, type Labeler, type Row, type Sum } from './enrich';
import { sessionRowOf } from './sessionTable';

/** A session's rows summed (source + session id: Claude = file stem or parent session of subagent files, Codex =
 * rollout stem): the sessions table and the unusual sessions read the same pass over the range's rows. */
export interface SessionGroup {
  source: Source;
  session: string;
  /** the project of its first row */
  project: string;
  /** distinct, in the order first seen */
  branches: string[];
  models: string[];
  /** earliest / latest entry time */
  start: number;
  end: number;
  /** its rows summed in their order */
  sum: Sum;
  /** some row has no price (its cost is unknown) */
  unpriced: boolean;
}

/** The sessions of the rows, in the order of their first rows. */
export function sessionGroups(rows: readonly Row[]): SessionGroup[] {
  // per source, then session id: no key string built per row
  const bySource = new Map<Source, Map<string, SessionGroup>>();
  const out: SessionGroup[] = [];
  for (const r of rows) {
    const f = r.f;
    let by = bySource.get(f.source);
    if (!by) {
      by = new Map();
      bySource.set(f.source, by);
    }
    let s = by.get(f.session);
    if (!s) {
      s = { source: f.source, session: f.session, project: f.project, branches: [], models: [], start: f.firstMs, end: f.lastMs, sum: zeroSum(), unpriced: false };
      by.set(f.session, s);
      out.push(s);
    }
    if (f.branch && !s.branches.includes(f.branch)) s.branches.push(f.branch);
    if (!s.models.includes(f.model)) s.models.push(f.model);
    if (f.firstMs < s.start) s.start = f.firstMs;
    if (f.lastMs > s.end) s.end = f.lastMs;
    if (r.cost === null) s.unpriced = true;
    addRow(s.sum, r);
  }
  return out;
}

/** One row per session (`sessionGroups`); the newest `limit` sessions are kept. */
export function sessionRows(groups: readonly SessionGroup[], label: Labeler, limit: number): { sessions: SessionRow[]; sessionsTotal: number } {
  const sessions = [...groups]
    .sort((a, b) => b.start - a.start)
    .slice(0, Math.max(0, limit))
    .map((s) => sessionRowOf(s, label));
  return { sessions, sessionsTotal: groups.length };
}

/** One row per project key, most expensive first. */
export function projectRows(rows: Row[], label: Labeler): ProjectRow[] {
  // sessions per source (a session id is unique within its source): no key string built per row
  const by = new Map<string, { sessions: Map<Source, Set<string>>; sum: Sum; last: number; label: string }>();
  for (const r of rows) {
    let p = by.get(r.f.project);
    if (!p) {
      p = { sessions: new Map(), sum: zeroSum(), last: 0, label: label(r.f.project, r.f.source) };
      by.set(r.f.project, p);
    }
    let ids = p.sessions.get(r.f.source);
    if (!ids) {
      ids = new Set();
      p.sessions.set(r.f.source, ids);
    }
    ids.add(r.f.session);
    if (r.f.lastMs > p.last) p.last = r.f.lastMs;
    addRow(p.sum, r);
  }
  return [...by].map(([project, p]): ProjectRow => ({
    project, label: p.label, sources: SOURCE_IDS.filter((s) => p.sessions.has(s)),
    sessions: [...p.sessions.values()].reduce((n, ids) => n + ids.size, 0), requests: p.sum.requests, tokens: p.sum.tokens, costUSD: costOrNull(p.sum), lastMs: p.last,
  })).sort((a, b) => (b.costUSD ?? -1) - (a.costUSD ?? -1) || b.tokens - a.tokens);
}

/** One row per (source, model). A model without a price is flagged `unpriced` and its cost is null, never 0. */
export function modelRows(rows: Row[]): ModelRow[] {
  const by = new Map<string, { source: Source; model: string; sum: Sum }>();
  for (const r of rows) {
    const key = `${r.f.source}\u0000${r.f.model}`;
    let m = by.get(key);
    if (!m) {
      m = { source: r.f.source, model: r.f.model, sum: zeroSum() };
      by.set(key, m);
    }
    addRow(m.sum, r);
  }
  return [...by.values()].map((m): ModelRow => ({
    model: m.model, source: m.source, requests: m.sum.requests, input: m.sum.input, output: m.sum.output,
    cacheWrite: m.sum.cacheWrite5m + m.sum.cacheWrite1h, cacheRead: m.sum.cacheRead, tokens: m.sum.tokens,
    costUSD: costOrNull(m.sum), unpriced: m.sum.unpricedTokens > 0,
  })).sort((a, b) => (b.costUSD ?? -1) - (a.costUSD ?? -1) || b.tokens - a.tokens);
}
