/** Table rows of the dashboard (sessions, projects, models), from enriched facts in the selected range. */
import { SOURCE_IDS } from '../../core/sources/registry';
import type { Source } from '../../core/types';
import type { ModelRow, ProjectRow, SessionRow } from '../../shared/protocol';
import { addRow, costOrNull, zeroSum, type Labeler, type Row, type Sum } from './enrich';

/**
 * One row per session (source + session id: Claude = file stem or parent session of subagent files, Codex =
 * rollout stem). Start/end are the earliest/latest entry times; the newest `limit` sessions are kept.
 */
export function sessionRows(rows: Row[], label: Labeler, limit: number): { sessions: SessionRow[]; sessionsTotal: number } {
  const by = new Map<string, { source: Source; session: string; project: string; branches: Set<string>; models: Set<string>; start: number; end: number; sum: Sum }>();
  for (const r of rows) {
    const key = `${r.f.source}\u0000${r.f.session}`;
    let s = by.get(key);
    if (!s) {
      s = { source: r.f.source, session: r.f.session, project: r.f.project, branches: new Set(), models: new Set(), start: r.f.firstMs, end: r.f.lastMs, sum: zeroSum() };
      by.set(key, s);
    }
    if (r.f.branch) s.branches.add(r.f.branch);
    s.models.add(r.f.model);
    if (r.f.firstMs < s.start) s.start = r.f.firstMs;
    if (r.f.lastMs > s.end) s.end = r.f.lastMs;
    addRow(s.sum, r);
  }
  const sessions = [...by.values()]
    .sort((a, b) => b.start - a.start)
    .slice(0, Math.max(0, limit))
    .map((s): SessionRow => {
      const cost = costOrNull(s.sum);
      return {
        source: s.source, session: s.session, project: s.project, projectLabel: label(s.project, s.source),
        branches: [...s.branches].sort(), startMs: s.start, endMs: s.end, durationMs: Math.max(0, s.end - s.start),
        models: [...s.models].sort(), tokens: s.sum.tokens, requests: s.sum.requests, costUSD: cost,
        costPerRequestUSD: cost !== null && s.sum.requests > 0 ? cost / s.sum.requests : null,
      };
    });
  return { sessions, sessionsTotal: by.size };
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
