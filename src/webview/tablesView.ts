/** The sessions, projects and models tables (sortable; all log-derived text as text nodes). */
import type { DashboardSnapshot, ModelRow, ProjectRow, SessionRow, SessionsPage, SessionsPageAsk, SourceId } from '../shared/protocol';
import { DEFAULT_SESSION_SORT, SESSION_PAGE_ROWS, SESSION_SORT_VALUES, pageStart, sanitizeSort, type SessionSort } from '../shared/sessionsTable';
import type { SortState } from './api';
import { button, h, setText } from './dom';
import type { Formatter } from './format';
import { SortableTable } from './table';
import { sourceLabel } from './sources';
import { t } from './i18n';


export interface Tables {
  sessions: SortableTable<SessionRow>;
  /** the sessions table's pages: which one is shown, and the buttons to the others */
  pager: SessionsPager;
  projects: SortableTable<ProjectRow>;
  models: SortableTable<ModelRow>;
}

export interface TableDeps {
  fmt: () => Formatter;
  sort: Record<string, SortState>;
  onSort: (id: string, s: SortState) => void;
  openSession: (source: SourceId, session: string) => void;
  /** asks the host for a page of the sessions table (another order, or another page) */
  askSessions: (q: SessionsPageAsk) => void;
}

/**
 * The sessions table is sorted and paged by the index worker (every session of the range): a snapshot carries one
 * page; a header click or a page button asks for another (`askSessions`), shown when it comes (`show`).
 */
export class SessionsPager {
  readonly element: HTMLElement;
  private readonly label: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  /** the order and first row the user asked for last */
  want: { sort: SessionSort; offset: number };
  /** a session looked for (an anomaly's link): what to do once its page is shown */
  private found: (() => void) | undefined;
  /** the kept table of the snapshot shown (0: a snapshot without pages, nothing to ask), its size and the page shown */
  private shown: { table: number; total: number; offset: number } | undefined;

  constructor(sort: SessionSort, private readonly ask: (q: SessionsPageAsk) => void, private readonly fmt: () => Formatter) {
    this.want = { sort, offset: 0 };
    this.label = h('span', { class: 'muted', 'aria-live': 'polite' });
    this.prev = button(t('dashboard.table.prevPage'), () => this.go(-SESSION_PAGE_ROWS), { class: 'secondary' });
    this.next = button(t('dashboard.table.nextPage'), () => this.go(SESSION_PAGE_ROWS), { class: 'secondary' });
    this.element = h('div', { class: 'pager', hidden: '' }, this.prev, this.label, this.next);
  }

  /** The user sorted the table: the first page of that order. */
  sort(sort: SessionSort): void {
    this.want = { sort, offset: 0 };
    if (this.shown?.table) this.ask({ table: this.shown.table, sort, offset: 0 });
  }

  /** New filters: the first page. */
  reset(): void {
    this.want = { sort: this.want.sort, offset: 0 };
  }

  /**
   * Asks for the page (of the order shown) holding a session; `then` runs once that page is shown. False when there
   * is no kept table to ask.
   */
  find(source: SourceId, session: string, then: () => void): boolean {
    if (!this.shown?.table) return false;
    this.want = { sort: this.want.sort, offset: -1 };
    this.found = then;
    this.ask({ table: this.shown.table, sort: this.want.sort, offset: this.shown.offset, find: { source, session } });
    return true;
  }

  /** What to do now that the page looked for is shown (once). */
  takeFound(): (() => void) | undefined {
    const f = this.found;
    this.found = undefined;
    return f;
  }

  private go(delta: number): void {
    if (!this.shown?.table) return;
    const offset = pageStart(this.shown.offset + delta, this.shown.total);
    if (offset === this.shown.offset) return;
    this.want = { sort: this.want.sort, offset };
    this.ask({ table: this.shown.table, sort: this.want.sort, offset });
  }

  /**
   * Whether the page is the one to show (of the order and page wanted); a snapshot whose page is another (made before
   * the user's last click reached the host) asks for the wanted one.
   */
  accept(p: SessionsPage, fromSnapshot: boolean): boolean {
    // (offset -1: a session looked for, on whichever page of the order it is)
    const wanted = p.sort.key === this.want.sort.key && p.sort.dir === this.want.sort.dir && (this.want.offset < 0 || p.offset === pageStart(this.want.offset, p.total));
    if (!wanted && !fromSnapshot) return false;
    if (fromSnapshot) this.found = undefined;
    if (wanted && this.want.offset < 0) this.want = { sort: this.want.sort, offset: p.offset };
    this.shown = { table: p.table, total: p.total, offset: p.offset };
    if (!wanted && p.table) this.ask({ table: p.table, sort: this.want.sort, offset: this.want.offset });
    const f = this.fmt();
    this.element.hidden = p.total <= SESSION_PAGE_ROWS;
    setText(this.label, t('dashboard.table.pageOf', { from: f.integer(p.total === 0 ? 0 : p.offset + 1), to: f.integer(p.offset + p.rows.length), total: f.integer(p.total) }));
    this.prev.disabled = p.offset === 0;
    this.next.disabled = p.offset + p.rows.length >= p.total;
    return true;
  }
}

/** The key of a session's row in the sessions table (for links from the anomalies list). */
export function sessionRowKey(source: SourceId, session: string): string {
  return `${source}:${session}`;
}

export function createTables(d: TableDeps): Tables {
  const f = () => d.fmt();
  const sortOf = (id: string, fallback: SortState) => d.sort[id] ?? fallback;
  const cost = (v: number | null) => (v === null ? h('span', { class: 'unpriced', title: t('dashboard.table.noPriceTitle') }, t('dashboard.na')) : f().money(v));
  const v = SESSION_SORT_VALUES;
  const sessionSort = sanitizeSort(d.sort.sessions) ?? DEFAULT_SESSION_SORT;
  const pager = new SessionsPager(sessionSort, d.askSessions, f);
  const sessions = new SortableTable<SessionRow>('sessions', [
    { key: 'project', label: t('dashboard.col.project'), value: v.project, cell: (r) => h('span', { class: 'path', title: r.projectLabel }, r.projectLabel) },
    { key: 'source', label: t('dashboard.col.agent'), value: v.source, cell: (r) => sourceLabel(r.source) },
    { key: 'branch', label: t('dashboard.col.branch'), value: v.branch, cell: (r) => r.branches.join(', ') },
    { key: 'start', label: t('dashboard.col.start'), value: v.start, cell: (r) => f().dateTime(r.startMs), numeric: true },
    { key: 'duration', label: t('dashboard.col.duration'), value: v.duration, cell: (r) => f().duration(r.durationMs), numeric: true },
    { key: 'models', label: t('dashboard.col.models'), value: v.models, cell: (r) => r.models.join(', ') },
    { key: 'requests', label: t('dashboard.col.requests'), value: v.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'tokens', label: t('dashboard.col.tokens'), value: v.tokens, cell: (r) => f().tokens(r.tokens), numeric: true },
    { key: 'cost', label: t('dashboard.col.cost'), value: v.cost, cell: (r) => cost(r.costUSD), numeric: true },
    { key: 'open', label: t('dashboard.col.log'), value: v.open, cell: (r) => button(t('dashboard.table.open'), () => d.openSession(r.source, r.session), { class: 'link', title: t('dashboard.table.openTitle', { session: r.session }) }) },
  ], sessionSort, (s) => {
    d.onSort('sessions', s);
    const sort = sanitizeSort(s);
    if (sort) pager.sort(sort);
  }, t('dashboard.panel.sessions'), (r) => sessionRowKey(r.source, r.session), true);

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
    { key: 'model', label: t('dashboard.col.model'), value: (r) => r.model, cell: (r) => h('span', null, r.model, unpricedBadge(r, f())) },
    { key: 'source', label: t('dashboard.col.agent'), value: (r) => r.source, cell: (r) => sourceLabel(r.source) },
    { key: 'requests', label: t('dashboard.col.requests'), value: (r) => r.requests, cell: (r) => f().integer(r.requests), numeric: true },
    { key: 'input', label: t('dashboard.col.input'), value: (r) => r.input, cell: (r) => f().tokens(r.input), numeric: true },
    { key: 'output', label: t('dashboard.col.output'), value: (r) => r.output, cell: (r) => f().tokens(r.output), numeric: true },
    { key: 'cacheWrite', label: t('dashboard.col.cacheWrite'), value: (r) => r.cacheWrite, cell: (r) => f().tokens(r.cacheWrite), numeric: true },
    { key: 'cacheRead', label: t('dashboard.col.cacheRead'), value: (r) => r.cacheRead, cell: (r) => f().tokens(r.cacheRead), numeric: true },
    { key: 'cost', label: t('dashboard.col.cost'), value: (r) => r.costUSD, cell: (r) => cost(r.costUSD), numeric: true },
  ], sortOf('models', { key: 'cost', dir: 'desc' }), (s) => d.onSort('models', s), t('dashboard.panel.models'));
  return { sessions, pager, projects, models };
}

/**
 * The model table's badge of an unpriced row: its web searches have no price (with their count) when that is the only
 * reason (the snapshot's `unpricedWebSearches` of the row), else no price known; none on a priced row.
 */
export function unpricedBadge(r: Pick<ModelRow, 'unpriced' | 'unpricedWebSearches'>, f: Pick<Formatter, 'integer'>): HTMLElement | null {
  if (!r.unpriced) return null;
  if (r.unpricedWebSearches === undefined) return h('span', { class: 'badge warn', title: t('dashboard.table.unpricedTitle') }, t('dashboard.table.unpriced'));
  return h('span', { class: 'badge warn', title: t('dashboard.table.unpricedWebSearchTitle', { searches: f.integer(r.unpricedWebSearches) }) }, t('dashboard.table.unpricedWebSearch'));
}

/** Shows a page of the sessions table that came on its own (another order or page), when it is the one wanted. */
export function showSessionsPage(tables: Tables, p: SessionsPage): void {
  if (!tables.pager.accept(p, false)) return;
  tables.sessions.setSort(p.sort);
  tables.sessions.update(p.rows);
  tables.pager.takeFound()?.();
}

export function updateTables(tables: Tables, s: DashboardSnapshot, f: Formatter): void {
  // a snapshot without pages (a team scope's: no sessions) holds every row: shown as one page, of no kept table
  const page: SessionsPage = s.sessionsPage ? { ...s.sessionsPage, total: s.sessionsTotal, rows: s.sessions } : { table: 0, sort: tables.pager.want.sort, offset: 0, total: s.sessions.length, rows: s.sessions };
  tables.pager.accept(page, true);
  tables.sessions.setSort(page.sort);
  tables.sessions.update(s.sessions);
  tables.projects.update(s.projects);
  tables.models.update(s.models, s.priceTableDate ? t('dashboard.table.pricesAsOf', { date: f.day(s.priceTableDate, true) }) : '');
}
