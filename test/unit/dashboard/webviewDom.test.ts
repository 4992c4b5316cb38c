/**
 * DOM-level tests of the webview's helpers in happy-dom: everything from the logs (project paths, branches,
 * models) must render as text, never as HTML.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHappyDom, type Any } from './happyDomGlobals';

const HOSTILE = '<img src=x onerror=alert(1)>';
let alerted = false;
const { doc, load } = useHappyDom((win) => {
  win.alert = () => { alerted = true; };
});

test('h() puts strings in text nodes and drops event-handler attributes', async () => {
  const { h } = await load('dom.ts');
  const el = h('div', { class: 'x', onclick: 'alert(1)', title: HOSTILE }, HOSTILE, 42);
  assert.equal(el.querySelector('img'), null);
  assert.equal(el.textContent, `${HOSTILE}42`);
  assert.equal(el.getAttribute('onclick'), null);
  assert.equal(el.getAttribute('title'), HOSTILE);
  assert.equal(el.childNodes[0].nodeType, 3);
});

test('sortable table renders hostile project names literally and sorts by header click', async () => {
  const { SortableTable } = await load('table.ts');
  const { h } = await load('dom.ts');
  const sorts: unknown[] = [];
  const t = new SortableTable('projects', [
    { key: 'project', label: 'Project', value: (r: Any) => r.label, cell: (r: Any) => h('span', { class: 'path' }, r.label) },
    { key: 'cost', label: 'Cost', value: (r: Any) => r.cost, numeric: true },
  ], { key: 'cost', dir: 'desc' }, (s: unknown) => sorts.push(s), 'Projects');
  doc.body.appendChild(t.element);
  t.update([{ label: HOSTILE, cost: 2 }, { label: 'shop', cost: 5 }, { label: 'unpriced', cost: null }]);
  const cells = () => [...t.element.querySelectorAll('tbody tr td:first-child')].map((td: Any) => td.textContent);
  assert.deepEqual(cells(), ['shop', HOSTILE, 'unpriced'], 'cost descending, null last');
  assert.equal(t.element.querySelector('tbody img'), null);
  const headerButtons = t.element.querySelectorAll('thead button');
  (headerButtons[0] as Any).click();
  assert.deepEqual(cells(), [HOSTILE, 'shop', 'unpriced'], 'project ascending');
  assert.deepEqual(sorts.at(-1), { key: 'project', dir: 'asc' });
  assert.equal(t.element.querySelector('th[aria-sort="ascending"]')?.textContent, 'Project ▲');
  (t.element.querySelectorAll('thead button')[0] as Any).click();
  assert.deepEqual(sorts.at(-1), { key: 'project', dir: 'desc' });
  assert.equal(alerted, false);
  t.element.remove();
});

test('a long table gets its first rows at once and the rest after the paint, in order; a newer update or a reveal wins', async () => {
  const { SortableTable, FIRST_ROWS } = await load('table.ts');
  const t = new SortableTable('sessions', [
    { key: 'session', label: 'Session', value: (r: Any) => r.id },
    { key: 'start', label: 'Start', value: (r: Any) => r.start, numeric: true },
  ], { key: 'start', dir: 'desc' }, () => {}, 'Sessions', (r: Any) => r.id);
  doc.body.appendChild(t.element);
  const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}`, start: i }));
  const ids = () => [...t.element.querySelectorAll('tbody tr')].map((tr: Any) => tr.dataset.key);
  const painted = () => new Promise((r) => setTimeout(r, 300));
  t.update(rows(500, 'a'));
  assert.equal(ids().length, FIRST_ROWS);
  assert.equal(ids()[0], 'a499', 'newest first');
  await painted();
  assert.deepEqual(ids(), rows(500, 'a').map((r) => r.id).reverse(), 'then every row, in order');
  // a newer snapshot before the rest of the older one is built: only the newer rows
  t.update(rows(200, 'b'));
  t.update(rows(100, 'c'));
  await painted();
  assert.deepEqual(ids(), rows(100, 'c').map((r) => r.id).reverse());
  t.update(rows(300, 'd'));
  t.update([]);
  await painted();
  assert.equal(ids().length, 1, 'the empty row only');
  // an anomaly's link to a row not built yet builds the rest first
  t.update(rows(300, 'e'));
  (doc.defaultView as Any).HTMLElement.prototype.scrollIntoView ??= () => {};
  assert.equal(t.reveal('e3'), true);
  assert.equal(ids().length, 300);
  await painted();
  assert.equal(ids().length, 300, 'built once');
  t.element.remove();
});

test('filter options and the empty state show paths as text', async () => {
  const { FilterBar } = await load('filters.ts');
  const { renderEmptyState } = await load('emptyState.ts');
  const changes: Any[] = [];
  const bar = new FilterBar({ range: '30d', source: 'all', project: null, model: null }, (f: Any) => changes.push(f), () => {});
  bar.update({
    filters: { range: '30d', source: 'all', project: '-evil', model: null }, rangeFromDay: '2026-02-01', rangeToDay: '2026-03-02',
    filterOptions: { projects: [{ key: '-evil', label: HOSTILE }], models: ['claude-sonnet-4-5'], sources: ['claude'] },
  }, (x: string) => x);
  const select = bar.element.querySelector('select[aria-label="Project"]') as Any;
  assert.equal(select.value, '-evil');
  assert.equal(select.options[1].text, HOSTILE);
  assert.equal(bar.element.querySelector('img'), null);
  // pressing a range preset posts the new filters
  const seven = [...bar.element.querySelectorAll('.segmented button')].find((b: Any) => b.textContent === '7 days') as Any;
  seven.click();
  assert.equal(changes.at(-1).range, '7d');
  assert.equal(seven.getAttribute('aria-pressed'), 'true');

  const root = doc.createElement('section');
  renderEmptyState(root, { searched: [{ source: 'claude', dirs: [`/home/${HOSTILE}/.claude/projects`] }, { source: 'codex', dirs: [] }], notes: [HOSTILE], indexing: false }, () => {});
  assert.equal(root.querySelector('img'), null);
  assert.ok(root.textContent!.includes('agentMeter.sources.claude.directories'));
  assert.ok(root.textContent!.includes('agentMeter.sources.codex.directories'));
  assert.ok(root.textContent!.includes(HOSTILE));
});

test('formatter: display language, currency conversion, n/a for unpriced, zone-aware times', async () => {
  const { createFormatter } = await load('format.ts');
  const de = createFormatter({ locale: 'de', timeZone: 'Europe/Berlin', currency: { code: 'EUR', perUsd: 0.5 } });
  assert.equal(de.money(10).replace(/\s/g, ' '), '5,00 €');
  assert.equal(de.money(null), 'n/a');
  assert.equal(de.moneyPartial(2, 100).replace(/\s/g, ' '), '1,00 €+');
  assert.equal(de.percent(0.256), '26 %'.replace(' ', '\u00a0'));
  assert.equal(de.time(Date.parse('2026-07-01T10:30:00Z')), '12:30');
  const en = createFormatter({ locale: 'en-US', timeZone: 'America/New_York', currency: { code: 'USD', perUsd: 1 } });
  assert.equal(en.money(0.004), '$0.004');
  assert.equal(en.tokens(1_234_567), '1.2M');
  assert.equal(en.day('2026-03-08'), 'Mar 8');
  assert.equal(en.duration(95 * 60_000), '1 h 35 min');
  assert.equal(en.change(0.25), '▲ 25%');
  assert.equal(en.change(null), '—');
  assert.equal(en.weekdayShort(1), 'Mon');
  // a bad zone or currency from settings never throws
  const bad = createFormatter({ locale: 'xx-invalid-@@', timeZone: 'Mars/Olympus', currency: { code: 'usd', perUsd: -1 } });
  assert.equal(bad.money(1), '$1.00');
});

test('estimated days: the note says how many and that they are not in the totals; the activity table, newest first', async () => {
  const { renderEstimatesNote, renderActivity } = await load('estimatesView.ts');
  const { createFormatter } = await load('format.ts');
  const f = createFormatter({ locale: 'en', timeZone: 'UTC', currency: { code: 'USD', perUsd: 1 } });
  const s: Any = {
    estimates: {
      days: [{ day: '2026-03-01', costUSD: 2.5, tokens: 1000 }, { day: '2026-03-02', costUSD: 1, tokens: 500 }], costUSD: 3.5, tokens: 1500,
      activity: [{ day: '2026-03-01', messages: 40, sessions: 2, toolCalls: 9, coveredByLogs: false }, { day: '2026-03-02', messages: 12, sessions: 1, toolCalls: 3, coveredByLogs: true }],
      notes: [HOSTILE],
    },
  };
  const note = doc.createElement('p');
  renderEstimatesNote(note, s, f);
  assert.equal(note.hidden, false);
  assert.match(note.textContent!, /^2 days without logs estimated from Claude Code's stats cache \(hatched\): ≈ \$3\.50, ≈ 1\.5K tokens — not included in the totals\./);
  assert.equal(note.querySelector('img'), null);
  const act = doc.createElement('div');
  renderActivity(act, s, f);
  const rows = [...act.querySelectorAll('tbody tr')].map((tr: Any) => [...tr.querySelectorAll('td')].map((td: Any) => td.textContent));
  assert.deepEqual(rows.map((r) => [r[1], r[4]]), [['12', 'logs'], ['40', '≈ stats cache']]);
  renderEstimatesNote(note, {} as Any, f);
  assert.equal(note.hidden, true);
});
