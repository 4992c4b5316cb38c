/**
 * DOM-level test (happy-dom) of the dashboard's alert history: the rule filter's options and counts, the rows from
 * the view model (hostile text rendered literally), and the filter's choice sent to the host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHappyDom } from './happyDomGlobals';
import { alertHistoryView } from '../../../src/app/dashboard/alertHistory';
import type { AlertHistoryEntry } from '../../../src/app/alerts/history';

const { doc, load } = useHappyDom();
const HOSTILE = 'Project budget "<img src=x onerror=alert(1)>": $6.00 of $5.00 spent (120%), past 100%.';
const entries: AlertHistoryEntry[] = [
  { timeMs: Date.parse('2026-03-16T09:00:00Z'), rule: 'budget', severity: 'info', value: 52, threshold: 50, message: 'Weekly budget: $2.08 of $4.00 spent (52%), past 50%.', key: 'a' },
  { timeMs: Date.parse('2026-03-17T09:00:00Z'), rule: 'codexQuota', severity: 'warning', value: 83, threshold: 80, message: 'Codex 5h quota at 83% (past 80%).', key: 'b' },
  { timeMs: Date.parse('2026-03-18T09:00:00Z'), rule: 'budget', severity: 'error', value: 120, threshold: 100, message: HOSTILE, key: 'c' },
];

test('rows newest first with value and threshold; the filter lists each rule with its count and reports the choice', async () => {
  const { createFormatter } = await load('format.ts');
  const { AlertHistoryPanel } = await load('alertsView.ts');
  const f = createFormatter({ locale: 'en-GB', timeZone: 'UTC', currency: { code: 'USD', perUsd: 1 } });
  const chosen: unknown[] = [];
  const panel = new AlertHistoryPanel((r: unknown) => chosen.push(r));
  doc.body.appendChild(panel.element);
  panel.render(alertHistoryView(entries, null), f);
  const rows = [...panel.element.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0].slice(1, 5), ['Budget', '120%', '100%', HOSTILE]);
  assert.deepEqual(rows[1].slice(1, 4), ['Codex quota', '83%', '80%']);
  assert.equal(panel.element.querySelector('img'), null);
  const select = panel.element.querySelector('select')!;
  assert.deepEqual([...select.options].map((o) => o.text), ['All rules (3)', 'Budget (2)', 'Codex quota (1)', 'Claude plan limit (0)', 'Unusual spend (0)']);

  select.value = 'codexQuota';
  select.dispatchEvent(new doc.defaultView!.Event('change'));
  assert.deepEqual(chosen, ['codexQuota']);
  panel.render(alertHistoryView(entries, 'codexQuota'), f);
  assert.equal(panel.element.querySelectorAll('tbody tr').length, 1);
  assert.equal(select.value, 'codexQuota');

  panel.render(alertHistoryView(entries, 'claudeProjection'), f);
  assert.match(panel.element.textContent ?? '', /No alerts of this rule\./);
  panel.render(alertHistoryView(entries, null, 2), f);
  assert.match(panel.element.textContent ?? '', /The newest 2 of 3; the history keeps the last 500 alerts\./);
});

test('the webview\'s rule choice is checked before the host sees it', async () => {
  const { FROM_WEBVIEW } = await import('../../../src/shared/protocol');
  assert.deepEqual(FROM_WEBVIEW.alertRule({ rule: 'budget' }), { rule: 'budget' });
  assert.deepEqual(FROM_WEBVIEW.alertRule({ rule: null }), { rule: null });
  assert.equal(FROM_WEBVIEW.alertRule({ rule: 'rm -rf' }), null);
  assert.equal(FROM_WEBVIEW.alertRule(undefined), null);
});
