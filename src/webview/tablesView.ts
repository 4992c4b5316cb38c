/** The sessions, projects and models tables (sortable; all log-derived text as text nodes). */
import type { DashboardSnapshot, ModelRow, ProjectRow, SessionRow, SourceId } from '../shared/protocol';
import type { SortState } from './api';
import { button, h } from './dom';
import type { Formatter } from './format';
import { SortableTable } from './table';
import { sourceLabel } from './sources';


export interface Tables {
  sessions: SortableTable<SessionRow>;
  projects: SortableTable<ProjectRow>;
  models: SortableTable<ModelRow>;
}

export interface TableDeps {
  fmt: () => Formatter;
  sort: Record<string, SortState>;
  onSort: (id: string, s: SortState) => void;
  openSession: (source: SourceId, session: string) => void;
}

/** The key of a session's row in the sessions table (for links from the anomalies list). */
export function sessionRowKey(source: SourceId, session: string): string {
  return `${source}:${session}`;
}

export function createTables(d: TableDeps): Tables {
  const f = () => d.fmt();
  const sortOf = (id: string, fallback: SortState) => d.sort[id] ?? fallback;
  const cost = (v: number | null) => (v === null ? h('span', { class: 'unpriced', title: 'Includes a model without a price: cost unknown' }, 'n/a') : f().money(v));
  const sessions = new SortableTable<SessionRow>('sessions', [
    { key: 'project', label: 'Project', value: (r) => r.projectLabel, cell: (r) => h('span', { class: 'path', title: r.projectLabel }, r.projectLabel) },
    { key: 'source', label: 'Agent', value: (r) => r.source, cell: (r) => sourceLabel(r.source) },
    { key: 'branch', label: 'Branch', value: (r) => r.branches.join(', '), cell: (r) => r.branches.join(', ') },
    { key: 'start', label: 'Start', value: (r) => r.startMs, cell: (r) => f().dateTime(r.startMs), numeric: true },
    { key: 'duration', label: 'Duration', value: (r) => r.durationMs, cell: (r) => f().duration(r.durationMs), numeric: true },
    { key: 'models', label: 'Models', value: (r) => r.models.join(', '), cell: (r) => r.models.join(', ') },
    { key: 'requests', label: 'Requests', value: (r) => r.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'tokens', label: 'Tokens', value: (r) => r.tokens, cell: (r) => f().tokens(r.tokens), numeric: true },
    { key: 'cost', label: 'Cost', value: (r) => r.costUSD, cell: (r) => cost(r.costUSD), numeric: true },
    { key: 'open', label: 'Log', value: (r) => r.session, cell: (r) => button('Open', () => d.openSession(r.source, r.session), { class: 'link', title: `Open the log of session ${r.session}` }) },
  ], sortOf('sessions', { key: 'start', dir: 'desc' }), (s) => d.onSort('sessions', s), 'Sessions', (r) => sessionRowKey(r.source, r.session));

  const projects = new SortableTable<ProjectRow>('projects', [
    { key: 'project', label: 'Project', value: (r) => r.label, cell: (r) => h('span', { class: 'path', title: r.label }, r.label) },
    { key: 'sources', label: 'Agents', value: (r) => r.sources.join(','), cell: (r) => r.sources.map((x) => sourceLabel(x)).join(', ') },
    { key: 'sessions', label: 'Sessions', value: (r) => r.sessions, cell: (r) => f().integer(r.sessions), numeric: true },
    { key: 'requests', label: 'Requests', value: (r) => r.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'tokens', label: 'Tokens', value: (r) => r.tokens, cell: (r) => f().tokens(r.tokens), numeric: true },
    { key: 'cost', label: 'Cost', value: (r) => r.costUSD, cell: (r) => cost(r.costUSD), numeric: true },
    { key: 'last', label: 'Last used', value: (r) => r.lastMs, cell: (r) => f().dateTime(r.lastMs), numeric: true },
  ], sortOf('projects', { key: 'cost', dir: 'desc' }), (s) => d.onSort('projects', s), 'Projects');

  const models = new SortableTable<ModelRow>('models', [
    { key: 'model', label: 'Model', value: (r) => r.model, cell: (r) => h('span', null, r.model, r.unpriced ? h('span', { class: 'badge warn', title: 'No price in the price table: tokens counted, cost unknown' }, 'unpriced') : null) },
    { key: 'source', label: 'Agent', value: (r) => r.source, cell: (r) => sourceLabel(r.source) },
    { key: 'requests', label: 'Requests', value: (r) => r.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'input', label: 'Input', value: (r) => r.input, cell: (r) => f().tokens(r.input), numeric: true },
    { key: 'output', label: 'Output', value: (r) => r.output, cell: (r) => f().tokens(r.output), numeric: true },
    { key: 'cacheWrite', label: 'Cache write', value: (r) => r.cacheWrite, cell: (r) => f().tokens(r.cacheWrite), numeric: true },
    { key: 'cacheRead', label: 'Cache read', value: (r) => r.cacheRead, cell: (r) => f().tokens(r.cacheRead), numeric: true },
    { key: 'cost', label: 'Cost', value: (r) => r.costUSD, cell: (r) => cost(r.costUSD), numeric: true },
  ], sortOf('models', { key: 'cost', dir: 'desc' }), (s) => d.onSort('models', s), 'Models');
  return { sessions, projects, models };
}

export function updateTables(t: Tables, s: DashboardSnapshot, f: Formatter): void {
  t.sessions.update(s.sessions, s.sessionsTotal > s.sessions.length ? `Newest ${f.integer(s.sessions.length)} of ${f.integer(s.sessionsTotal)} sessions` : '');
  t.projects.update(s.projects);
  t.models.update(s.models, s.priceTableDate ? `Prices as of ${f.day(s.priceTableDate, true)}` : '');
}
