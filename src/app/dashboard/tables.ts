/** Table rows of the dashboard (sessions, projects, models), from enriched facts in the selected range. */
import { SOURCE_IDS } from '../../core/sources/registry';
import type { Fact, Source } from '../../core/types';
import type { ModelRow, ProjectRow } from '../../shared/protocol';
import { addRow, costOrNull, zeroSum, type Labeler, type Row, type Sum } from './enrich';

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

/** A project's rows summed (project key): the projects table and the cost-by-project chart read the same pass. */
export interface ProjectGroup {
  project: string;
  /** the label of its first row's project and source */
  label: string;
  /** the sources of its rows */
  sources: Set<Source>;
  /** distinct sessions (source + session id) with rows in the project */
  sessions: number;
  /** latest entry time */
  last: number;
  /** its rows summed in their order (`sum.costUSD`: the priced rows' costs added in that order) */
  sum: Sum;
}

/** A session group being built, with the projects it has rows in. */
interface Grouping {
  g: SessionGroup;
  projects: ProjectGroup[];
}

/** The sessions and the projects of some rows, each in the order of its first row, with the index of that row. */
export interface RangeGroups {
  sessions: SessionGroup[];
  projects: ProjectGroup[];
  /** the index in the rows of each session's first row (`sessions[i]`'s) */
  sessionFirst: number[];
  /** the index in the rows of each project's first row */
  projectFirst: number[];
}

/**
 * The sessions and the projects of the rows, each in the order of its first row: one pass over the rows. `only`:
 * the rows of the sessions and projects it takes, the others skipped (keptGroups.ts: the groups a change touched).
 */
export function rangeGroups(rows: readonly Row[], label: Labeler, only?: (f: Fact) => boolean): RangeGroups {
  // per source, then session id: no key string built per row; a session's rows often follow each other (the last
  // group is checked first)
  const bySource = new Map<Source, Map<string, Grouping>>();
  const byProject = new Map<string, ProjectGroup>();
  const sessions: SessionGroup[] = [];
  const projects: ProjectGroup[] = [];
  const sessionFirst: number[] = [];
  const projectFirst: number[] = [];
  let w: Grouping | undefined;
  let p: ProjectGroup | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const f = r.f;
    if (only && !only(f)) continue;
    if (!w || w.g.session !== f.session || w.g.source !== f.source) {
      let by = bySource.get(f.source);
      if (!by) {
        by = new Map();
        bySource.set(f.source, by);
      }
      w = by.get(f.session);
      if (!w) {
        w = { g: { source: f.source, session: f.session, project: f.project, branches: [], models: [], start: f.firstMs, end: f.lastMs, sum: zeroSum(), unpriced: false }, projects: [] };
        by.set(f.session, w);
        sessions.push(w.g);
        sessionFirst.push(i);
      }
    }
    if (!p || p.project !== f.project) {
      p = byProject.get(f.project);
      if (!p) {
        p = { project: f.project, label: label(f.project, f.source), sources: new Set(), sessions: 0, last: 0, sum: zeroSum() };
        byProject.set(f.project, p);
        projects.push(p);
        projectFirst.push(i);
      }
    }
    const s = w.g;
    if (f.branch && !s.branches.includes(f.branch)) s.branches.push(f.branch);
    if (!s.models.includes(f.model)) s.models.push(f.model);
    if (f.firstMs < s.start) s.start = f.firstMs;
    if (f.lastMs > s.end) s.end = f.lastMs;
    if (r.cost === null) s.unpriced = true;
    addRow(s.sum, r);
    // the session counted once in each project it has rows in
    if (!w.projects.includes(p)) {
      w.projects.push(p);
      p.sessions++;
    }
    p.sources.add(f.source);
    if (f.lastMs > p.last) p.last = f.lastMs;
    addRow(p.sum, r);
  }
  return { sessions, projects, sessionFirst, projectFirst };
}

/** The sessions of the rows, in the order of their first rows. */
export function sessionGroups(rows: readonly Row[]): SessionGroup[] {
  return rangeGroups(rows, (project) => project).sessions;
}

/** One row per project key (`rangeGroups`), most expensive first. */
export function projectRows(groups: readonly ProjectGroup[]): ProjectRow[] {
  return groups.map((p): ProjectRow => ({
    project: p.project, label: p.label, sources: SOURCE_IDS.filter((s) => p.sources.has(s)),
    sessions: p.sessions, requests: p.sum.requests, tokens: p.sum.tokens, costUSD: costOrNull(p.sum), lastMs: p.last,
  })).sort((a, b) => (b.costUSD ?? -1) - (a.costUSD ?? -1) || b.tokens - a.tokens);
}

/** One row per (source, model). A model without a price is flagged `unpriced` and its cost is null, never 0. */
export function modelRows(rows: Row[]): ModelRow[] {
  // per source, then model: no key string built per row; the last group is checked first
  const bySource = new Map<Source, Map<string, { source: Source; model: string; sum: Sum }>>();
  const groups: { source: Source; model: string; sum: Sum }[] = [];
  let m: { source: Source; model: string; sum: Sum } | undefined;
  for (const r of rows) {
    if (!m || m.model !== r.f.model || m.source !== r.f.source) {
      let by = bySource.get(r.f.source);
      if (!by) {
        by = new Map();
        bySource.set(r.f.source, by);
      }
      m = by.get(r.f.model);
      if (!m) {
        m = { source: r.f.source, model: r.f.model, sum: zeroSum() };
        by.set(r.f.model, m);
        groups.push(m);
      }
    }
    addRow(m.sum, r);
  }
  return groups.map((m): ModelRow => ({
    model: m.model, source: m.source, requests: m.sum.requests, input: m.sum.input, output: m.sum.output,
    cacheWrite: m.sum.cacheWrite5m + m.sum.cacheWrite1h, cacheRead: m.sum.cacheRead, tokens: m.sum.tokens,
    costUSD: costOrNull(m.sum), unpriced: m.sum.unpricedTokens > 0,
  })).sort((a, b) => (b.costUSD ?? -1) - (a.costUSD ?? -1) || b.tokens - a.tokens);
}
