/** The webview's team part (src/webview/teamView.ts) in happy-dom: the scope switch, the breakdowns as text only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHappyDom, type Any } from './happyDomGlobals';

const HOSTILE = `<img src=x onerror=alert(1)> O'Brien"; DROP TABLE x; --`;
let alerted = false;
const { doc, load } = useHappyDom((win) => {
  win.alert = () => { alerted = true; };
});

const team = (over: Any = {}) => ({
  scope: 'team', role: 'lead', member: 'ana@example.com', error: null,
  members: [{ member: HOSTILE, machine: '', requests: 3, tokens: 1200, costUSD: 1.5, unpricedTokens: 0 }, { member: 'ana@example.com', machine: '', requests: 1, tokens: 10, costUSD: 0.01, unpricedTokens: 5 }],
  machines: [{ member: HOSTILE, machine: 'ci-<b>runner</b>', requests: 3, tokens: 1200, costUSD: 1.5, unpricedTokens: 0 }],
  freshness: [{ member: HOSTILE, machine: 'ci-<b>runner</b>', lastPushMs: Date.parse('2026-12-06T10:00:00Z'), lastEntryMs: null, version: '0.1.0' }],
  budgets: [{ member: null, period: 'monthly', limitUSD: 1, spentUSD: 1.51, ratio: 1.51 }],
  ...over,
});

async function formatter() {
  const { createFormatter } = await load('format.ts');
  return createFormatter({ locale: 'en', timeZone: 'UTC', currency: { code: 'USD', perUsd: 1 } });
}

test('the scope switch is hidden without a team database, shows the scope pressed, and explains Team to a member', async () => {
  const { ScopeSwitch } = await load('teamView.ts');
  const picked: string[] = [];
  const sw = new ScopeSwitch((s: string) => picked.push(s));
  doc.body.appendChild(sw.element);
  sw.update({});
  assert.equal(sw.element.hidden, true);
  sw.update({ team: team({ scope: 'me-all', role: 'member' }) });
  assert.equal(sw.element.hidden, false);
  assert.equal(sw.element.querySelector('button[aria-pressed="true"]')?.textContent, 'Me, all machines');
  (sw.element.querySelector('button[data-scope="team"]') as Any).click();
  assert.deepEqual(picked, ['team']);
  sw.update({ team: team({ scope: 'team', role: 'member' }) });
  assert.match(sw.element.textContent, /member's: the team view shows your own usage only/);
  sw.update({ team: team({ scope: 'local', error: 'team database x unreachable (ECONNREFUSED)' }) });
  assert.match(sw.element.textContent, /Team database: team database x unreachable/);
  sw.element.remove();
});

test('per member, per machine, freshness and budgets render names as text; hidden in the local scope', async () => {
  const { renderTeam } = await load('teamView.ts');
  const root = doc.createElement('div');
  doc.body.appendChild(root);
  renderTeam(root, { team: team() }, await formatter());
  assert.equal(root.hidden, false);
  assert.equal(root.querySelector('img'), null);
  assert.equal(root.querySelector('b'), null);
  const memberCells = [...root.querySelectorAll('table[aria-label="Usage by member"] tbody tr td:first-child')].map((td: Any) => td.textContent);
  assert.deepEqual(memberCells, [HOSTILE, 'ana@example.com']);
  assert.match(root.textContent, /\$0\.01\+/, 'a member with unpriced tokens is marked incomplete');
  assert.match(root.textContent, /ci-<b>runner<\/b>/);
  assert.match(root.textContent, /Team · monthly/);
  assert.ok(root.querySelector('.meter-fill.error'), 'an exceeded budget is shown as an error');
  renderTeam(root, { team: team({ scope: 'local' }) }, await formatter());
  assert.equal(root.hidden, true);
  assert.equal(alerted, false);
  root.remove();
});
