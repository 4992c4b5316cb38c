/**
 * The sessions table's order, shared by the index worker (which sorts every session of the range and sends one page)
 * and the webview (whose other tables sort their rows themselves with the same `sortRows`): the columns it sorts by,
 * the value each sorts on, and the one stable sort; and the row it sorts. Imports nothing.
 */

/**
 * A row of the sessions table: what the table shows and sorts by, nothing more (its project key, end and cost per
 * request, which the webview never reads, are not sent).
 */
export interface SessionRow {
  /** the source's id (protocol.ts SourceId) */
  source: string;
  session: string;
  projectLabel: string;
  branches: string[];
  startMs: number;
  durationMs: number;
  models: string[];
  tokens: number;
  requests: number;
  /** null when any of the session is unpriced */
  costUSD: number | null;
}

/** The sessions table's columns, by the key the webview's header and its saved sort state use. */
export const SESSION_SORT_KEYS = ['project', 'source', 'branch', 'start', 'duration', 'models', 'requests', 'tokens', 'cost', 'open'] as const;
export type SessionSortKey = (typeof SESSION_SORT_KEYS)[number];

export interface SessionSort {
  key: SessionSortKey;
  dir: 'asc' | 'desc';
}

/** The table's first order: newest first. */
export const DEFAULT_SESSION_SORT: SessionSort = { key: 'start', dir: 'desc' };

/** Rows per page of the sessions table (one page travels with a snapshot, the others when asked for). */
export const SESSION_PAGE_ROWS = 100;

/** Validates a sessions table order from the webview (its events, its saved state); null when malformed. */
export function sanitizeSort(v: unknown): SessionSort | null {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  return (SESSION_SORT_KEYS as readonly unknown[]).includes(o.key) && (o.dir === 'asc' || o.dir === 'desc') ? { key: o.key as SessionSortKey, dir: o.dir } : null;
}

/** The value a column sorts on (null sorts last). */
export const SESSION_SORT_VALUES: Record<SessionSortKey, (r: SessionRow) => number | string | null> = {
  project: (r) => r.projectLabel,
  source: (r) => r.source,
  branch: (r) => r.branches.join(', '),
  start: (r) => r.startMs,
  duration: (r) => r.durationMs,
  models: (r) => r.models.join(', '),
  requests: (r) => r.requests,
  tokens: (r) => r.tokens,
  cost: (r) => r.costUSD,
  open: (r) => r.session,
};

/** The default collation of `String.prototype.localeCompare` (the same order), made once. */
let collator: Intl.Collator | undefined;

/**
 * Stable sort by a key; nulls always last; numbers by value, anything else as strings compared with the locale. A
 * year's sessions table is ~16k rows of a few dozen distinct strings per column: the distinct strings are ranked once
 * with the collator (equal under it: the same rank) and the rows sorted by rank, with the same result.
 */
export function sortRows<R>(rows: readonly R[], value: (r: R) => number | string | null, dir: 'asc' | 'desc'): R[] {
  const sign = dir === 'asc' ? 1 : -1;
  const n = rows.length;
  const keys = new Float64Array(n);
  const raw: (number | string | null)[] = new Array(n);
  let numbers = 0;
  let strings = 0;
  for (let i = 0; i < n; i++) {
    const v = value(rows[i]);
    raw[i] = v;
    if (typeof v === 'number') numbers++;
    else if (v !== null) strings++;
  }
  if (numbers > 0 && strings > 0) return sortMixed(rows, raw, sign);
  if (strings > 0) {
    collator ??= new Intl.Collator();
    const compare = collator.compare;
    const distinct = [...new Set(raw.filter((v): v is string => v !== null).map(String))].sort(compare);
    const rank = new Map<string, number>();
    let r = 0;
    for (let j = 0; j < distinct.length; j++) {
      if (j > 0 && compare(distinct[j - 1], distinct[j]) !== 0) r++;
      rank.set(distinct[j], r);
    }
    for (let i = 0; i < n; i++) if (raw[i] !== null) keys[i] = rank.get(String(raw[i]))!;
  } else for (let i = 0; i < n; i++) if (raw[i] !== null) keys[i] = raw[i] as number;
  const order: number[] = [];
  const nulls: number[] = [];
  for (let i = 0; i < n; i++) (raw[i] === null ? nulls : order).push(i);
  order.sort((a, b) => (keys[a] - keys[b]) * sign || a - b);
  const out: R[] = new Array(n);
  let k = 0;
  for (const i of order) out[k++] = rows[i];
  for (const i of nulls) out[k++] = rows[i];
  return out;
}

/** `sortRows` over a column holding numbers and strings (no table has one): numbers compared as numbers, else as strings. */
function sortMixed<R>(rows: readonly R[], raw: readonly (number | string | null)[], sign: number): R[] {
  collator ??= new Intl.Collator();
  const compare = collator.compare;
  return rows
    .map((r, i) => ({ r, i, v: raw[i] }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const d = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : compare(String(a.v), String(b.v));
      return d !== 0 ? d * sign : a.i - b.i;
    })
    .map((x) => x.r);
}

/** The first row of the page that holds row `offset` (pages start at multiples of `SESSION_PAGE_ROWS`), within `total`. */
export function pageStart(offset: number, total: number): number {
  const last = total > 0 ? Math.floor((total - 1) / SESSION_PAGE_ROWS) * SESSION_PAGE_ROWS : 0;
  return Math.max(0, Math.min(last, Math.floor(offset / SESSION_PAGE_ROWS) * SESSION_PAGE_ROWS));
}
