/** The sessions, projects and models tables (sortable; all log-derived text as text nodes). */
import type { DashboardSnapshot, ModelRow, ProjectRow, SessionRow, SourceId } from '../shared/protocol';
import type { SortState } from './api';
import { button, h } from './dom';
import type { Formatter } from './format';
import { SortableTable } from './table';
import { sourceLabel } from './sources';
import { t } from './i18n';


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
  const cost = (v: number | null) => (v === null ? h('span', { class: 'unpriced', title: t('dashboard.table.noPriceTitle') }, t('dashboard.na')) : f().money(v));
  const sessions = new SortableTable<SessionRow>('sessions', [
    { key: 'project', label: t('dashboard.col.project'), value: (r) => r.projectLabel, cell: (r) => h('span', { class: 'path', title: r.projectLabel }, r.projectLabel) },
    { key: 'source', label: t('dashboard.col.agent'), value: (r) => r.source, cell: (r) => sourceLabel(r.source) },
    { key: 'branch', label: t('dashboard.col.branch'), value: (r) => r.branches.join(', '), cell: (r) => r.branches.join(', ') },
    { key: 'start', label: t('dashboard.col.start'), value: (r) => r.startMs, cell: (r) => f().dateTime(r.startMs), numeric: true },
    { key: 'duration', label: t('dashboard.col.duration'), value: (r) => r.durationMs, cell: (r) => f().duration(r.durationMs), numeric: true },
    { key: 'models', label: t('dashboard.col.models'), value: (r) => r.models.join(', '), cell: (r) => r.models.join(', ') },
    { key: 'requests', label: t('dashboard.col.requests'), value: (r) => r.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'tokens', label: t('dashboard.col.tokens'), value: (r) => r.tokens, cell: (r) => f().tokens(r.tokens), numeric: true },
    { key: 'cost', label: t('dashboard.col.cost'), value: (r) => r.costUSD, cell: (r) => cost(r.costUSD), numeric: true },
    { key: 'open', label: t('dashboard.col.log'), value: (r) => r.session, cell: (r) => button(t('dashboard.table.open'), () => d.openSession(r.source, r.session), { class: 'link', title: t('dashboard.table.openTitle', { session: r.session }) }) },
  ], sortOf('sessions', { key: 'start', dir: 'desc' }), (s) => d.onSort('sessions', s), t('dashboard.panel.sessions'), (r) => sessionRowKey(r.source, r.session));

  const projects = new SortableTable<ProjectRow>('projects', [
    { key: 'project', label: t('dashboard.col.project'), value: (r) => r.label, cell: (r) => h('span', { class: 'path', title: r.label }, r.label) },
    { key: 'sources', label: t('dashboard.col.agents'), value: (r) => r.sources.join(','), cell: (r) => r.sources.map((x) => sourceLabel(x)).join(', ') },
    { key: 'sessions', label: t('dashboard.col.sessions'), value: (r) => r.sessions, cell: (r) => f().integer(r.sessions), numeric: true },
    { key: 'requests', label: t('dashboard.col.requests'), value: (r) => r.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'tokens', label: t('dashboard.col.tokens'), value: (r) => r.tokens, cell: (r) => f().tokens(r.tokens), numeric: true },
    { key: 'cost', label: t('dashboard.col.cost'), value: (r) => r.costUSD, cell: (r) => cost(r.costUSD), numeric: true },
    { key: 'last', label: t('dashboard.col.lastUsed'), value: (r) => r.lastMs, cell: (r) => f().dateTime(r.lastMs), numeric: true },
  ], sortOf('projects', { key: 'cost', dir: 'desc' }), (s) => d.onSort('projects', s), t('dashboard.panel.projectsTable'));

  const models = new SortableTable<ModelRow>('models', [
    { key: 'model', label: t('dashboard.col.model'), value: (r) => r.model, cell: (r) => h('span', null, r.model, r.unpriced ? h('span', { class: 'badge warn', title: t('dashboard.table.unpricedTitle') }, t('dashboard.table.unpriced')) : null) },
    { key: 'source', label: t('dashboard.col.agent'), value: (r) => r.source, cell: (r) => sourceLabel(r.source) },
    { key: 'requests', label: t('dashboard.col.requests'), value: (r) => r.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'input', label: t('dashboard.col.input'), value: (r) => r.input, cell: (r) => f().tokens(r.input), numeric: true },
    { key: 'output', label: t('dashboard.col.output'), value: (r) => r.output, cell: (r) => f().tokens(r.output), numeric: true },
    { key: 'cacheWrite', label: t('dashboard.col.cacheWrite'), value: (r) => r.cacheWrite, cell: (r) => f().tokens(r.cacheWrite), numeric: true },
    { key: 'cacheRead', label: t('dashboard.col.cacheRead'), value: (r) => r.cacheRead, cell: (r) => f().tokens(r.cacheRead), numeric: true },
    { key: 'cost', label: t('dashboard.col.cost'), value: (r) => r.costUSD, cell: (r) => cost(r.costUSD), numeric: true },
  ], sortOf('models', { key: 'cost', dir: 'desc' }), (s) => d.onSort('models', s), t('dashboard.panel.models'));
  return { sessions, projects, models };
}

export function updateTables(tables: Tables, s: DashboardSnapshot, f: Formatter): void {
  tables.sessions.update(s.sessions, s.sessionsTotal > s.sessions.length ? t('dashboard.table.newest', { shown: f.integer(s.sessions.length), total: f.integer(s.sessionsTotal) }) : '');
  tables.projects.update(s.projects);
  tables.models.update(s.models, s.priceTableDate ? t('dashboard.table.pricesAsOf', { date: f.day(s.priceTableDate, true) }) : '');
}
