/**
 * The sessions table in the webview (src/webview/tablesView.ts) in happy-dom: it shows the rows of a page in the order
 * they came (the index worker sorted every session), a header click or a page button asks for a page of the kept
 * table, a page for an order or page no longer wanted is dropped, and a snapshot made before the user's last click
 * asks for the page wanted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHappyDom, type Any } from './happyDomGlobals';

const { doc, load } = useHappyDom();

const row = (i: number, over: Any = {}) => ({
  source: 'claude', session: `s${i}`, projectLabel: `/home/ana/p${i % 3}`, branches: ['main'], startMs: Date.parse('2026-04-01T00:00:00Z') + i * 60_000,
  durationMs: 60_000, models: ['claude-sonnet-4-5-20250929'], tokens: 1000 + i, requests: 1 + i, costUSD: i % 5 ? i / 100 : null, ...over,
});
/** the rest of a long table is built after the paint (or 200 ms) */
const painted = () => new Promise((r) => setTimeout(r, 300));
const rows = (from: number, n: number) => Array.from({ length: n }, (_, k) => row(from + k));

async function setup(saved: Any = {}) {
  const { createTables, updateTables, showSessionsPage } = await load('tablesView.ts');
  const { createFormatter } = await load('format.ts');
  const fmt = createFormatter({ locale: 'en', timeZone: 'UTC', currency: { code: 'USD', perUsd: 1 } });
  const asked: Any[] = [];
  const sorts: Any[] = [];
  const tables = createTables({ fmt: () => fmt, sort: saved, onSort: (id: string, s: Any) => sorts.push([id, s]), openSession: () => {}, askSessions: (q: Any) => asked.push(q) });
  doc.body.replaceChildren(tables.sessions.element, tables.pager.element);
  const snapshot = (page: Any, list: Any[], total: number) => updateTables(tables, { sessions: list, sessionsTotal: total, sessionsPage: page, projects: [], models: [], priceTableDate: null }, fmt);
  const ids = () => [...tables.sessions.element.querySelectorAll('tbody tr')].map((tr: Any) => tr.dataset.key);
  const pagerText = () => tables.pager.element.querySelector('span').textContent;
  const [prev, next] = [...tables.pager.element.querySelectorAll('button')] as Any[];
  return { tables, asked, sorts, snapshot, showSessionsPage, ids, pagerText, prev, next };
}

test('a page is shown in the order it came; the buttons ask for the next and previous page of the kept table', async () => {
  const { tables, asked, snapshot, showSessionsPage, ids, pagerText, prev, next } = await setup();
  const start = { key: 'start', dir: 'desc' };
  // rows in an order the table would not give them itself (start ascending under a "start descending" header)
  snapshot({ table: 5, sort: start, offset: 0 }, rows(0, 100), 250);
  await painted();
  assert.deepEqual(ids(), rows(0, 100).map((r) => `claude:${r.session}`), 'as given, not sorted again');
  assert.equal(tables.pager.element.hidden, false);
  assert.equal(pagerText(), '1–100 of 250');
  assert.equal(prev.disabled, true);
  next.click();
  assert.deepEqual(asked, [{ table: 5, sort: start, offset: 100 }]);
  showSessionsPage(tables, { table: 5, sort: start, offset: 100, total: 250, rows: rows(100, 100) });
  assert.equal(pagerText(), '101–200 of 250');
  next.click();
  showSessionsPage(tables, { table: 5, sort: start, offset: 200, total: 250, rows: rows(200, 50) });
  assert.equal(pagerText(), '201–250 of 250');
  assert.equal(next.disabled, true);
  assert.deepEqual(ids().slice(0, 2), ['claude:s200', 'claude:s201']);
  prev.click();
  assert.deepEqual(asked.at(-1), { table: 5, sort: start, offset: 100 });
  // a small table has no pager
  snapshot({ table: 6, sort: start, offset: 0 }, rows(0, 40), 40);
  assert.equal(tables.pager.element.hidden, true);
  await painted();
});

test('a header click asks for the first page of that order over every session, and a page of an older order is dropped', async () => {
  const { tables, asked, sorts, snapshot, showSessionsPage, ids } = await setup();
  snapshot({ table: 9, sort: { key: 'start', dir: 'desc' }, offset: 0 }, rows(0, 100), 400);
  const costButton = [...tables.sessions.element.querySelectorAll('thead button')].find((b: Any) => b.textContent.startsWith('Cost')) as Any;
  costButton.click();
  assert.deepEqual(sorts.at(-1), ['sessions', { key: 'cost', dir: 'desc' }]);
  assert.deepEqual(asked.at(-1), { table: 9, sort: { key: 'cost', dir: 'desc' }, offset: 0 });
  assert.deepEqual(ids().slice(0, 2), ['claude:s0', 'claude:s1'], 'nothing sorted here meanwhile');
  // the page of the order before arrives late: dropped
  showSessionsPage(tables, { table: 9, sort: { key: 'start', dir: 'desc' }, offset: 100, total: 400, rows: rows(100, 100) });
  assert.deepEqual(ids().slice(0, 1), ['claude:s0']);
  const byCost = rows(300, 100).reverse();
  showSessionsPage(tables, { table: 9, sort: { key: 'cost', dir: 'desc' }, offset: 0, total: 400, rows: byCost });
  assert.deepEqual(ids().slice(0, 1), ['claude:s399']);
  assert.equal(tables.sessions.element.querySelector('th[aria-sort="descending"]')?.textContent, 'Cost ▼');
  await painted();
});

test('a snapshot made before the last click shows its page and asks for the wanted one; new filters start at page one', async () => {
  const { tables, asked, snapshot } = await setup({ sessions: { key: 'tokens', dir: 'asc' } });
  const tokens = { key: 'tokens', dir: 'asc' };
  snapshot({ table: 1, sort: tokens, offset: 0 }, rows(0, 100), 500);
  assert.equal(asked.length, 0, 'the page wanted');
  (tables.pager.element.querySelectorAll('button')[1] as Any).click();
  assert.deepEqual(asked.at(-1), { table: 1, sort: tokens, offset: 100 });
  // a data change's snapshot built before that click reached the host: page one; the wanted page is asked of it
  snapshot({ table: 2, sort: tokens, offset: 0 }, rows(0, 100), 501);
  assert.deepEqual(asked.at(-1), { table: 2, sort: tokens, offset: 100 });
  assert.equal(asked.length, 2);
  // a snapshot with fewer sessions than the wanted page holds: its last page is the one wanted
  snapshot({ table: 3, sort: tokens, offset: 0 }, rows(0, 80), 80);
  assert.equal(asked.length, 2);
  // new filters (the host starts them at page one): the first page is the one wanted
  snapshot({ table: 4, sort: tokens, offset: 100 }, rows(100, 100), 500);
  assert.equal(asked.length, 2);
  tables.pager.reset();
  snapshot({ table: 5, sort: tokens, offset: 0 }, rows(0, 100), 500);
  assert.equal(asked.length, 2);
  await painted();
});

test('a snapshot without pages (a team scope: no sessions) asks for nothing on a header click', async () => {
  const { tables, asked, showSessionsPage, ids } = await setup();
  await updateWithout(tables, await load('format.ts'));
  (tables.sessions.element.querySelectorAll('thead button')[8] as Any).click();
  assert.equal(asked.length, 0);
  assert.equal(tables.pager.element.hidden, true);
  showSessionsPage(tables, { table: 0, sort: { key: 'cost', dir: 'desc' }, offset: 0, total: 0, rows: [] });
  assert.equal(ids().length, 1, 'the empty row');
});

async function updateWithout(tables: Any, format: Any) {
  const { updateTables } = await load('tablesView.ts');
  const fmt = format.createFormatter({ locale: 'en', timeZone: 'UTC', currency: { code: 'USD', perUsd: 1 } });
  updateTables(tables, { sessions: [], sessionsTotal: 0, projects: [], models: [], priceTableDate: null }, fmt);
}

test('an anomaly\'s session on another page: the page holding it is asked for and shown, then the row revealed', async () => {
  const cost = { key: 'cost', dir: 'desc' };
  const { tables, asked, snapshot, showSessionsPage, pagerText } = await setup({ sessions: cost });
  (doc.defaultView as Any).HTMLElement.prototype.scrollIntoView ??= () => {};
  snapshot({ table: 4, sort: cost, offset: 0 }, rows(0, 100), 400);
  assert.equal(tables.sessions.reveal('claude:s250'), false, 'not on the page shown');
  const revealed: boolean[] = [];
  assert.equal(tables.pager.find('claude', 's250', () => revealed.push(tables.sessions.reveal('claude:s250'))), true);
  assert.deepEqual(asked.at(-1), { table: 4, sort: cost, offset: 0, find: { source: 'claude', session: 's250' } });
  showSessionsPage(tables, { table: 4, sort: cost, offset: 200, total: 400, rows: rows(200, 100) });
  assert.deepEqual(revealed, [true]);
  assert.equal(pagerText(), '201–300 of 400');
  (tables.pager.element.querySelectorAll('button')[1] as Any).click();
  assert.deepEqual(asked.at(-1), { table: 4, sort: cost, offset: 300 });
  await painted();
});
