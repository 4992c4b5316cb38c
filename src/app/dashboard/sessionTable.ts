/**
 * The sessions table of one snapshot, kept by the index worker so that the webview can ask for any page in any order:
 * every session of the range under the filters, sorted here as the webview sorted the whole table (shared
 * `sortRows` over `SESSION_SORT_VALUES`, from the newest-first order), and sent one page at a time. A year's table
 * has ~12.7k sessions: their rows are made when an order or a page needs them, each once.
 */
import type { SessionRow, SessionsPage } from '../../shared/protocol';
import { DEFAULT_SESSION_SORT, SESSION_PAGE_ROWS, SESSION_SORT_VALUES, pageStart, sortRows, type SessionSort } from '../../shared/sessionsTable';
import { costOrNull, type Labeler } from './enrich';
import type { SessionGroup } from './tables';

/** The row of one session group, as the table shows it. */
export function sessionRowOf(s: SessionGroup, label: Labeler): SessionRow {
  return {
    source: s.source, session: s.session, projectLabel: label(s.project, s.source), branches: [...s.branches].sort(),
    startMs: s.start, durationMs: Math.max(0, s.end - s.start), models: [...s.models].sort(), tokens: s.sum.tokens,
    requests: s.sum.requests, costUSD: costOrNull(s.sum),
  };
}

/** One row per session (`sessionGroups`); the newest `limit` sessions are kept. */
export function sessionRows(groups: readonly SessionGroup[], label: Labeler, limit: number): { sessions: SessionRow[]; sessionsTotal: number } {
  const sessions = [...groups]
    .sort((a, b) => b.start - a.start)
    .slice(0, Math.max(0, limit))
    .map((s) => sessionRowOf(s, label));
  return { sessions, sessionsTotal: groups.length };
}

export class SessionTable {
  /** the groups newest first (ties in the order of their first rows) */
  private readonly newest: SessionGroup[];
  /** row of `newest[i]`, made on demand */
  private readonly rows: (SessionRow | undefined)[];
  /** the last order asked for other than newest first (a page turn in it sorts nothing again) */
  private sorted: { key: string; order: number[] } | undefined;

  constructor(
    /** an id the keeper gives (a page asked for carries it) */
    readonly id: number,
    groups: readonly SessionGroup[],
    private readonly label: Labeler,
  ) {
    this.newest = [...groups].sort((a, b) => b.start - a.start);
    this.rows = new Array(this.newest.length);
  }

  get total(): number {
    return this.newest.length;
  }

  private row(i: number): SessionRow {
    let r = this.rows[i];
    if (!r) {
      r = sessionRowOf(this.newest[i], this.label);
      this.rows[i] = r;
    }
    return r;
  }

  /** Indexes into `newest` in the order `sort`. */
  private order(sort: SessionSort): number[] | null {
    if (sort.key === DEFAULT_SESSION_SORT.key && sort.dir === DEFAULT_SESSION_SORT.dir) return null;
    const key = `${sort.key} ${sort.dir}`;
    if (this.sorted?.key !== key) {
      const value = SESSION_SORT_VALUES[sort.key];
      const all = this.newest.map((_, i) => i);
      this.sorted = { key, order: sortRows(all, (i) => value(this.row(i)), sort.dir) };
    }
    return this.sorted.order;
  }

  /** The page holding row `offset` of the table sorted by `sort`, or the one holding session `find` when it is there. */
  page(sort: SessionSort, offset: number, find?: { source: string; session: string }): SessionsPage {
    const total = this.total;
    const order = this.order(sort);
    if (find) {
      const at = this.newest.findIndex((g) => g.source === find.source && g.session === find.session);
      if (at >= 0) offset = order ? order.indexOf(at) : at;
    }
    const from = pageStart(offset, total);
    const to = Math.min(total, from + SESSION_PAGE_ROWS);
    const rows: SessionRow[] = [];
    for (let i = from; i < to; i++) rows.push(this.row(order ? order[i] : i));
    return { table: this.id, sort, offset: from, total, rows };
  }

  /** Every row in the order `sort` (tests; what the webview sorted when it had every row). */
  all(sort: SessionSort): SessionRow[] {
    const order = this.order(sort);
    return this.newest.map((_, i) => this.row(order ? order[i] : i));
  }
}
