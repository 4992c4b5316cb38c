/**
 * DOM-level tests (happy-dom) of the dashboard's limits views: the active Claude block against the plan limit,
 * the weekly totals, and an anomaly's link to its row in the sessions table. Webview modules are loaded with a
 * computed specifier (see webviewDom.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHappyDom, type Any } from './happyDomGlobals';

const HOSTILE = '"]<img src=x onerror=alert(1)>';
const { doc, load } = useHappyDom((win) => {
  win.HTMLElement.prototype.scrollIntoView = () => {};
});

const NOW = Date.parse('2026-06-10T12:00:00Z');
const block = {
  startMs: Date.parse('2026-06-10T10:00:00Z'), endMs: Date.parse('2026-06-10T15:00:00Z'), resetsAtMs: Date.parse('2026-06-10T15:00:00Z'),
  resetSource: 'block', tokens: 20_000, costUSD: 0.252, requests: 14, tokensPerMinute: 333.3, costPerHour: 0.25,
  projectedTokens: 80_000, projectedCostUSD: 1.01, usedRatio: 2 / 3, projectedRatio: 80 / 30, msToLimit: 30 * 60_000, limitReached: false,
};
const snap = (claudeBlocks: Any, extra: Any = {}) => ({ generatedMs: NOW, claudeBlocks, ...extra });

test('the active block: burn rate, projection, and when the limit is reached at this rate (in the user zone)', async () => {
  const { createFormatter } = await load('format.ts');
  const { renderCurrentBlock, renderWeekTotals } = await load('blocksView.ts');
  const f = createFormatter({ locale: 'en-GB', timeZone: 'Europe/Berlin', currency: { code: 'USD', perUsd: 1 } });
  const root = doc.createElement('div');
  renderCurrentBlock(root, snap({ blocks: [], limitTokens: 30_000, limitLabel: 'your custom limit', current: block }), f);
  const text = root.textContent;
  assert.match(text, /Current block 12:00–17:00/);
  assert.match(text, /20k tokens · US\$0\.25 · 14 requests/);
  assert.match(text, /267% of the limit/);
  assert.match(text, /at this rate the limit is reached in 30 min \(14:30\), before the reset at 17:00/);
  assert.ok(root.querySelector('.block-when.warn'));

  const reached = { ...block, resetsAtMs: Date.parse('2026-06-10T13:15:00Z'), resetSource: 'api-error', msToLimit: 0, limitReached: true };
  renderCurrentBlock(root, snap({ blocks: [], limitTokens: 30_000, limitLabel: null, current: reached }), f);
  assert.match(root.textContent, /limit reached — resets at 15:15 \(reported by Claude Code\)/);
  assert.ok(root.querySelector('.block-when.error'));

  renderCurrentBlock(root, snap({ blocks: [], limitTokens: null, limitLabel: null, current: { ...block, usedRatio: null, projectedRatio: null, msToLimit: null } }), f);
  assert.match(root.textContent, /no plan limit known yet/);
  renderCurrentBlock(root, snap(null), f);
  assert.match(root.textContent, /No active 5-hour block/);

  const weeks = doc.createElement('div');
  renderWeekTotals(weeks, snap({ blocks: [], limitTokens: null, limitLabel: null, weeks: [
    { startDay: '2026-06-01', tokens: 8000, costUSD: 0.096, unpriced: false, blocks: 1 },
    { startDay: '2026-06-08', tokens: 20_000, costUSD: 0.252, unpriced: true, blocks: 2 },
  ] }), f);
  const rows = Array.from(weeks.querySelectorAll('tbody tr') as Any[]).map((tr: Any) => tr.textContent);
  assert.equal(rows.length, 2);
  assert.match(rows[1], /8 Jun20kUS\$0\.25\+\?2/);
  renderWeekTotals(weeks, snap(null), f);
  assert.equal(weeks.hidden, true);
});

test('an anomalous session links to its row in the sessions table; a row that is not there opens the log', async () => {
  const { createFormatter } = await load('format.ts');
  const { createTables, sessionRowKey } = await load('tablesView.ts');
  const { renderAnomalies } = await load('insightsView.ts');
  const f = createFormatter({ locale: 'en-US', timeZone: 'UTC', currency: { code: 'USD', perUsd: 1 } });
  const opened: string[] = [];
  const tables = createTables({ fmt: () => f, sort: {}, onSort: () => {}, openSession: (s: string, id: string) => opened.push(`${s}/${id}`) });
  const row = (session: string, costUSD: number) => ({
    source: 'claude', session, projectLabel: '/home/dev/app', branches: ['main'], startMs: NOW - 3_600_000,
    durationMs: 3_600_000, models: ['claude-opus-4-6'], tokens: 1000, requests: 4, costUSD,
  });
  tables.sessions.update([row('s-normal', 0.2), row(HOSTILE, 9)]);
  doc.body.appendChild(tables.sessions.element);

  const root = doc.createElement('div');
  const anomalies = [
    { kind: 'session', key: HOSTILE, label: '/home/dev/app', costUSD: 2.25, thresholdUSD: 0.4, source: 'claude' },
    { kind: 'session', key: 'cut-from-table', label: '/home/dev/app', costUSD: 3, thresholdUSD: 0.4, source: 'claude' },
  ];
  renderAnomalies(root, { anomalies } as Any, f, (s: string, id: string) => opened.push(`${s}/${id}`), (s: string, id: string) => tables.sessions.reveal(sessionRowKey(s, id)));
  const show = Array.from(root.querySelectorAll('button') as Any[]).filter((b: Any) => b.textContent === 'Show session') as Any[];
  assert.equal(show.length, 2);
  show[0].click();
  const revealed = doc.querySelectorAll('tr.revealed');
  assert.equal(revealed.length, 1);
  assert.match(revealed[0].textContent, /\$9\.00/);
  assert.deepEqual(opened, []);
  show[1].click();
  assert.deepEqual(opened, ['claude/cut-from-table']);
  assert.equal(doc.querySelectorAll('img').length, 0);
});
