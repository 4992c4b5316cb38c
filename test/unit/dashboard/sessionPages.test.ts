/**
 * The sessions table is sorted and paged by the index worker: every page of every order, put together, is the table
 * the webview showed when it had every row and sorted it itself (its old `sortRows`, kept here word for word as the
 * reference), under every filter and range; the snapshot carries the first page and the number of all sessions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot, type SnapshotInput } from '../../../src/app/dashboard/snapshot';
import { SessionTable } from '../../../src/app/dashboard/sessionTable';
import { enrich } from '../../../src/app/dashboard/enrich';
import { sessionGroups } from '../../../src/app/dashboard/tables';
import { sessionRows } from '../../../src/app/dashboard/sessionTable';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { zoneClock } from '../../../src/core/report/tz';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { DEFAULT_FILTERS, FROM_WEBVIEW, type DashboardFilters, type SessionRow } from '../../../src/shared/protocol';
import { SESSION_PAGE_ROWS, SESSION_SORT_KEYS, SESSION_SORT_VALUES, sortRows, type SessionSort } from '../../../src/shared/sessionsTable';
import { fact } from '../report/facts';

const table = createPriceTable();
const cost = (t: TokenCounts, f: Fact) => costOf(t, f.model, f.tier, table);
const NOW = Date.parse('2026-04-30T18:00:00Z');
const LABELS: Record<string, string> = { '-home-ana-shop': '/home/ana/shop', '-home-ana-api': '/home/ana/Api', '-home-ana-élan': '/home/ana/élan', '-evil': '<img src=x onerror=alert(1)>' };

/**
 * 347 sessions over 39 days (more than three pages): Claude and Codex (one Codex session shares a Claude id), four
 * projects with mixed case and accents, several branches and models per session, sessions starting in the same
 * minute (ties), sessions with an unpriced model (cost null), one with no branch.
 */
function facts(): Fact[] {
  const out: Fact[] = [];
  const projects = Object.keys(LABELS);
  const start = Date.parse('2026-03-18T06:00:00Z');
  for (let s = 0; s < 347; s++) {
    const codex = s % 9 === 4;
    const t0 = start + Math.floor(s / 3) * 8 * 3600_000 + (s % 3 === 2 ? 0 : (s % 3) * 60_000); // every third shares a minute
    const calls = 2 + (s * 7) % 11;
    for (let i = 0; i < calls; i++) {
      const ms = t0 + i * (5 + (s % 4)) * 60_000;
      const model = codex ? 'gpt-5-codex' : s % 13 === 5 && i === 1 ? 'model-without-price' : i % 3 === 0 ? 'claude-opus-4-1-20250805' : 'claude-sonnet-4-5-20250929';
      out.push(fact(new Date(ms).toISOString(), {
        source: codex ? 'codex' : 'claude', session: s === 5 ? 's4' : `s${s}`, project: projects[s % projects.length],
        branch: s % 17 === 0 ? '' : i % 4 === 3 ? `feat-${s % 5}` : 'main', model,
        input: 20 + ((s * 31 + i) % 200), output: 100 + ((s * 17 + i * 3) % 900), cacheRead: 1000 * (s % 7), cacheWrite5m: 300 * (i % 2), requests: 1 + (i % 2),
      }));
    }
  }
  return out.sort((a, b) => a.bucketStartMs - b.bucketStartMs);
}

/** The webview's `sortRows` before the table was paged (src/webview/table.ts), unchanged. */
function oldSortRows<R>(rows: R[], value: (r: R) => number | string | null, dir: 'asc' | 'desc'): R[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i, v: value(r) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const d = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return d !== 0 ? d * sign : a.i - b.i;
    })
    .map((x) => x.r);
}

const label = (p: string) => LABELS[p] ?? p;
const ALL_SORTS: SessionSort[] = SESSION_SORT_KEYS.flatMap((key) => (['asc', 'desc'] as const).map((dir) => ({ key, dir })));

/** Every page of `sort`, in turn, put together (and each page's bounds checked). */
function allPages(t: SessionTable, sort: SessionSort): SessionRow[] {
  const out: SessionRow[] = [];
  for (let offset = 0; offset < t.total; offset += SESSION_PAGE_ROWS) {
    const p = t.page(sort, offset);
    assert.equal(p.offset, offset);
    assert.equal(p.total, t.total);
    assert.deepEqual(p.sort, sort);
    assert.equal(p.rows.length, Math.min(SESSION_PAGE_ROWS, t.total - offset));
    out.push(...p.rows);
  }
  return out;
}

function input(extra: Partial<SnapshotInput>): SnapshotInput {
  return {
    facts: facts(), filters: { ...DEFAULT_FILTERS }, nowMs: NOW, locale: 'en', settings: { timeZone: 'Europe/Berlin', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 } },
    cost, priceTableDate: '2026-04-01', status: { indexing: false, lastUpdatedMs: NOW, searched: {}, notes: [] }, projectLabel: (p) => LABELS[p], ...extra,
  };
}

test('every page of every order, put together, is the whole table sorted as the webview sorted it', () => {
  const rows = enrich(facts(), zoneClock('Europe/Berlin'), cost);
  const groups = sessionGroups(rows);
  assert.equal(groups.length, 347);
  const full = sessionRows(groups, label, Infinity).sessions;
  assert.ok(full.some((r) => r.costUSD === null) && full.some((r) => r.costUSD !== null), 'unpriced sessions and priced ones');
  assert.ok(new Set(full.map((r) => r.startMs)).size < full.length, 'sessions starting at the same time');
  const t = new SessionTable(7, groups, label);
  assert.equal(t.total, 347);
  for (const sort of ALL_SORTS) {
    const expected = oldSortRows(full, SESSION_SORT_VALUES[sort.key], sort.dir);
    assert.deepEqual(allPages(t, sort), expected, `${sort.key} ${sort.dir}`);
    assert.deepEqual(t.all(sort), expected, `${sort.key} ${sort.dir}`);
  }
  // the most expensive first: unpriced sessions (cost unknown) last, as in the webview
  const byCost = allPages(t, { key: 'cost', dir: 'desc' });
  const firstNull = byCost.findIndex((r) => r.costUSD === null);
  assert.ok(firstNull > 0 && byCost.slice(firstNull).every((r) => r.costUSD === null));
  assert.ok(byCost.slice(0, firstNull).every((r, i, a) => i === 0 || a[i - 1].costUSD! >= r.costUSD!));
});

test('an offset inside a page gives that page, past the end the last page; an empty table one empty page', () => {
  const t = new SessionTable(1, sessionGroups(enrich(facts(), zoneClock('UTC'), cost)), label);
  const sort: SessionSort = { key: 'tokens', dir: 'asc' };
  assert.equal(t.page(sort, 150).offset, 100);
  assert.deepEqual(t.page(sort, 150).rows, t.page(sort, 100).rows);
  const last = t.page(sort, 10_000);
  assert.equal(last.offset, 300);
  assert.equal(last.rows.length, 47);
  const empty = new SessionTable(2, [], label).page(sort, 100);
  assert.deepEqual({ offset: empty.offset, total: empty.total, rows: empty.rows }, { offset: 0, total: 0, rows: [] });
});

test('a paged snapshot carries the first page of its order and the number of every session, under each filter and range', () => {
  const filters: DashboardFilters[] = [
    { ...DEFAULT_FILTERS, range: 'all' }, { ...DEFAULT_FILTERS, range: '30d' }, { ...DEFAULT_FILTERS, range: '7d' },
    { ...DEFAULT_FILTERS, range: 'all', source: 'codex' }, { ...DEFAULT_FILTERS, range: 'all', project: '-home-ana-api' },
    { ...DEFAULT_FILTERS, range: 'all', model: 'model-without-price' }, { ...DEFAULT_FILTERS, range: 'custom', sinceDay: '2026-04-03', untilDay: '2026-04-11' },
  ];
  for (const f of filters) {
    for (const sort of [{ key: 'start', dir: 'desc' }, { key: 'cost', dir: 'desc' }, { key: 'project', dir: 'asc' }] as SessionSort[]) {
      let kept: SessionTable | undefined;
      const paged = buildSnapshot(input({ filters: f, sessionPages: { id: 3, sort, offset: 0, keep: (t) => { kept = t; } } }));
      const whole = buildSnapshot(input({ filters: f, sessionLimit: Infinity }));
      const what = `${JSON.stringify(f)} ${sort.key} ${sort.dir}`;
      const expected = oldSortRows(whole.sessions, SESSION_SORT_VALUES[sort.key], sort.dir);
      assert.ok(expected.length > 0, what);
      assert.equal(paged.sessionsTotal, whole.sessions.length, what);
      assert.deepEqual(paged.sessionsPage, { table: 3, sort, offset: 0 }, what);
      assert.deepEqual(paged.sessions, expected.slice(0, SESSION_PAGE_ROWS), what);
      assert.deepEqual(allPages(kept!, sort), expected, what);
      // everything else is the same snapshot
      const { sessions: _a, sessionsTotal: _b, sessionsPage: _c, ...restPaged } = paged;
      const { sessions: _d, sessionsTotal: _e, ...restWhole } = whole;
      assert.deepEqual(restPaged, restWhole, what);
    }
  }
  const all = buildSnapshot(input({ filters: { ...DEFAULT_FILTERS, range: 'all' }, sessionPages: { id: 4, sort: { key: 'start', dir: 'desc' }, offset: 0, keep: () => {} } }));
  assert.equal(all.sessionsTotal, 347);
  assert.equal(all.sessions.length, SESSION_PAGE_ROWS);
});

test('a page asked for by the webview is checked: a known order, whole non-negative numbers', () => {
  const ok = { table: 3, offset: 200, sort: { key: 'cost', dir: 'desc' } };
  assert.deepEqual(FROM_WEBVIEW.sessionsPage(ok), ok);
  assert.deepEqual(FROM_WEBVIEW.sessionsPage({ ...ok, extra: 1 }), ok);
  for (const bad of [
    null, {}, { ...ok, table: -1 }, { ...ok, offset: 1.5 }, { ...ok, offset: '100' }, { ...ok, sort: { key: 'constructor', dir: 'asc' } },
    { ...ok, sort: { key: 'cost', dir: 'up' } }, { ...ok, sort: null },
  ]) assert.equal(FROM_WEBVIEW.sessionsPage(bad), null, JSON.stringify(bad));
});

test('sortRows ranks distinct strings once and gives the old order: canonically equal strings tie, nulls last, ties by position', () => {
  const words = ['é', 'e\u0301', 'E', 'e', 'z', 'Z', '/home/ana/Api', '/home/ana/api', '/home/ana/élan', 'main, feat-1', 'main', '', '10', '9', 'ǅ', 'a-b', 'ab', 'a b'];
  let seed = 7;
  /** 0 … k-1 from the high bits of a linear congruential generator */
  const pick = (k: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((seed / 2_147_483_648) * k);
  };
  const rows = Array.from({ length: 600 }, (_, i) => ({ i, s: pick(9) === 0 ? null : words[pick(words.length)], n: pick(7) === 0 ? null : pick(50) / 4 - 3 }));
  for (const dir of ['asc', 'desc'] as const) {
    assert.deepEqual(sortRows(rows, (r) => r.s, dir), oldSortRows(rows, (r) => r.s, dir), `strings ${dir}`);
    assert.deepEqual(sortRows(rows, (r) => r.n, dir), oldSortRows(rows, (r) => r.n, dir), `numbers ${dir}`);
    const mixed = (r: (typeof rows)[number]) => (r.i % 3 === 0 ? r.n : r.s);
    assert.deepEqual(sortRows(rows, mixed, dir), oldSortRows(rows, mixed, dir), `numbers and strings ${dir}`);
  }
  // the two spellings of é compare equal: they keep their positions among themselves
  const es = sortRows(rows, (r) => r.s, 'asc').filter((r) => r.s === 'é' || r.s === 'e\u0301');
  assert.deepEqual(es.map((r) => r.i), [...es.map((r) => r.i)].sort((a, b) => a - b));
  assert.ok(new Set(es.map((r) => r.s)).size === 2);
});

test('the page holding a session (an anomaly\'s link) in any order; a session not in the table: the page asked', () => {
  const t = new SessionTable(1, sessionGroups(enrich(facts(), zoneClock('UTC'), cost)), label);
  for (const sort of [{ key: 'cost', dir: 'desc' }, { key: 'start', dir: 'desc' }, { key: 'project', dir: 'asc' }] as SessionSort[]) {
    const all = t.all(sort);
    for (const at of [0, 99, 100, 250, 346]) {
      const r = all[at];
      const p = t.page(sort, 0, { source: r.source, session: r.session });
      assert.equal(p.offset, Math.floor(at / SESSION_PAGE_ROWS) * SESSION_PAGE_ROWS, `${sort.key} ${at}`);
      assert.ok(p.rows.some((x) => x.source === r.source && x.session === r.session));
    }
  }
  // a Codex session sharing a Claude session's id is told apart
  const byCost = t.all({ key: 'cost', dir: 'desc' });
  const codexS4 = byCost.findIndex((r) => r.source === 'codex' && r.session === 's4');
  assert.ok(codexS4 >= 0 && byCost.some((r) => r.source === 'claude' && r.session === 's4'));
  assert.equal(t.page({ key: 'cost', dir: 'desc' }, 0, { source: 'codex', session: 's4' }).offset, Math.floor(codexS4 / 100) * 100);
  assert.equal(t.page({ key: 'cost', dir: 'desc' }, 200, { source: 'codex', session: 'gone' }).offset, 200);
  assert.equal(FROM_WEBVIEW.sessionsPage({ table: 1, offset: 0, sort: { key: 'cost', dir: 'desc' }, find: { source: 'codex', session: 's4' } })?.find?.session, 's4');
  assert.equal(FROM_WEBVIEW.sessionsPage({ table: 1, offset: 0, sort: { key: 'cost', dir: 'desc' }, find: { source: 'Bad Source', session: 's4' } }), null);
  assert.equal(FROM_WEBVIEW.sessionsPage({ table: 1, offset: 0, sort: { key: 'cost', dir: 'desc' }, find: { source: 'codex', session: '' } }), null);
});
