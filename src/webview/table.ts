/**
 * A sortable table: click (or Enter/Space on) a header button to sort, again to reverse. Cells are built with
 * text nodes only. The body is patched in one step on each snapshot so the page does not flicker; a long table gets
 * its first `FIRST_ROWS` rows in that step and the rest right after the next paint, so the charts above it are painted
 * without waiting for hundreds of cells. A table sorted elsewhere (`sortedElsewhere`: the sessions, sorted and paged by
 * the index worker) shows its rows in the order given, and a header click only asks for the new order.
 */
import type { SortState } from './api';
import { afterPaint, h, replaceChildren, type Child } from './dom';
import { t } from './i18n';
import { sortRows } from '../shared/sessionsTable';

/** Rows built in the snapshot's own pass; the rest follow once the page has painted. */
export const FIRST_ROWS = 60;

export interface Column<R> {
  key: string;
  label: string;
  /** sort value; null sorts last */
  value: (r: R) => number | string | null;
  /** cell content (text or nodes); defaults to the value as text */
  cell?: (r: R) => Child;
  numeric?: boolean;
  title?: string;
}

export class SortableTable<R> {
  readonly element: HTMLElement;
  private readonly head: HTMLTableRowElement;
  private readonly body: HTMLTableSectionElement;
  private readonly caption: HTMLElement;
  private rows: R[] = [];
  /** sorted rows not in the body yet (built after the next paint, or at once by `reveal`) */
  private pending: R[] = [];
  /** one more per body render: a later paint's rows are built for the render that asked for them only */
  private generation = 0;

  constructor(
    readonly id: string,
    private readonly columns: Column<R>[],
    private sort: SortState,
    private readonly onSort: (s: SortState) => void,
    label: string,
    /** identifies a row for `reveal` (e.g. source + session id) */
    private readonly rowKey?: (r: R) => string,
    /** the rows come sorted (in the order `sort`): a header click calls `onSort` and shows the rows of the next `update` */
    private readonly sortedElsewhere = false,
  ) {
    this.head = h('tr');
    this.body = h('tbody');
    this.caption = h('caption', { class: 'table-caption' });
    const table = h('table', { class: 'data-table', 'aria-label': label }, this.caption, h('thead', null, this.head), this.body);
    this.element = h('div', { class: 'table-wrap' }, table);
    this.renderHead();
  }

  update(rows: R[], caption = ''): void {
    this.rows = rows;
    this.caption.textContent = caption;
    this.renderBody();
  }

  /** The order shown in the header (a table sorted elsewhere: the order its rows came in). */
  setSort(sort: SortState): void {
    if (sort.key === this.sort.key && sort.dir === this.sort.dir) return;
    this.sort = sort;
    this.renderHead();
  }

  private renderHead(): void {
    const ths = this.columns.map((c) => {
      const active = this.sort.key === c.key;
      const arrow = active ? (this.sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
      const btn = h('button', { type: 'button', class: 'sort-button', title: c.title ?? t('dashboard.table.sortBy', { label: c.label }) }, c.label + arrow);
      btn.addEventListener('click', () => {
        this.sort = { key: c.key, dir: active && this.sort.dir === 'desc' ? 'asc' : active ? 'desc' : c.numeric ? 'desc' : 'asc' };
        this.onSort(this.sort);
        this.renderHead();
        if (!this.sortedElsewhere) this.renderBody();
        (this.head.querySelectorAll('button')[this.columns.indexOf(c)] as HTMLButtonElement | undefined)?.focus();
      });
      return h('th', { scope: 'col', class: c.numeric ? 'num' : undefined, 'aria-sort': active ? (this.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none' }, btn);
    });
    replaceChildren(this.head, ...ths);
  }

  private renderBody(): void {
    const col = this.columns.find((c) => c.key === this.sort.key) ?? this.columns[0];
    const sorted = this.sortedElsewhere ? this.rows : sortRows(this.rows, col.value, this.sort.dir);
    const generation = ++this.generation;
    this.pending = [];
    if (sorted.length === 0) {
      replaceChildren(this.body, h('tr', null, h('td', { class: 'empty-row', colspan: String(this.columns.length) }, t('dashboard.table.noData'))));
      return;
    }
    replaceChildren(this.body, ...sorted.slice(0, FIRST_ROWS).map((r) => this.rowOf(r)));
    this.pending = sorted.slice(FIRST_ROWS);
    if (this.pending.length > 0) afterPaint(() => {
      if (generation === this.generation) this.buildPending();
    });
  }

  private rowOf(r: R): HTMLTableRowElement {
    return h('tr', this.rowKey ? { 'data-key': this.rowKey(r) } : null, ...this.columns.map((c) => h('td', { class: c.numeric ? 'num' : undefined }, c.cell ? c.cell(r) : String(c.value(r) ?? ''))));
  }

  /** Appends the rows left for after the paint. */
  private buildPending(): void {
    const rest = this.pending;
    this.pending = [];
    if (rest.length > 0) this.body.append(...rest.map((r) => this.rowOf(r)));
  }

  /** Scrolls to the row with this key and highlights it briefly; false when the row is not in the table. */
  reveal(key: string): boolean {
    this.buildPending();
    // compared as a property, never put into a selector (keys come from the logs)
    const row = (Array.from(this.body.children) as HTMLElement[]).find((tr) => tr.dataset.key === key);
    if (!row) return false;
    row.scrollIntoView({ block: 'center' });
    row.classList.add('revealed');
    setTimeout(() => row.classList.remove('revealed'), 2500);
    return true;
  }
}
