import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetStatuses } from '../../../src/core/limits/budgets';
import { evaluateBudgetAlerts, statusBarLevel } from '../../../src/core/limits/alerts';
import { emptyAlertState, pruneAlertState, readAlertState, suppressScope, type AlertState } from '../../../src/core/limits/alertState';
import { costOf, usdFact } from './fixtures';
import type { Fact } from '../../../src/core/types';

const opts = { timeZone: 'Europe/Berlin', weekStart: 1, billingCycleStartDay: 1 };
const settings = { dailyUsd: 10, monthlyUsd: 200 };

/** Runs one evaluation the way the host does after each refresh, round-tripping the state through JSON. */
function evaluate(facts: Fact[], state: AlertState, nowIso: string) {
  const now = Date.parse(nowIso);
  const r = evaluateBudgetAlerts(budgetStatuses(facts, costOf, settings, opts, now), state, now);
  return { fire: r.fire, state: readAlertState(JSON.parse(JSON.stringify(r.state))) };
}

test('each threshold fires exactly once per period across repeated evaluations', () => {
  const facts: Fact[] = [];
  let state = emptyAlertState();
  const fired: string[] = [];
  // a working day in Berlin: $1.30 every 30 minutes from 08:00 to 17:30 local (UTC+1) = 20 × $1.30 = $26
  for (let i = 0; i < 20; i++) {
    const t = Date.parse('2026-01-14T07:00:00Z') + i * 30 * 60_000;
    facts.push(usdFact(t, 1.3));
    const r = evaluate(facts, state, new Date(t + 60_000).toISOString());
    state = r.state;
    fired.push(...r.fire.map((a) => `${a.threshold}@${i}`));
    // evaluating again with nothing new fires nothing
    const again = evaluate(facts, state, new Date(t + 120_000).toISOString());
    assert.equal(again.fire.length, 0);
    state = again.state;
  }
  // $5.20 after 4 entries (i=3) → 50 %; $7.80 at i=5 is under 80 %, $9.10 at i=6 → 80 %; $10.40 at i=7 → 100 %
  assert.deepEqual(fired, ['50@3', '80@6', '100@7']);
  const keys = Object.keys(state.fired).filter((k) => k.startsWith('budget:daily:'));
  assert.deepEqual(keys.sort(), ['budget:daily:day:2026-01-14:100', 'budget:daily:day:2026-01-14:50', 'budget:daily:day:2026-01-14:80']);
});

test('a jump past several thresholds shows one notification (the highest) and records all', () => {
  const facts = [usdFact('2026-01-14T09:00:00Z', 8.7)];
  const r = evaluate(facts, emptyAlertState(), '2026-01-14T09:30:00Z');
  assert.equal(r.fire.length, 1);
  assert.equal(r.fire[0].threshold, 80);
  assert.equal(r.fire[0].severity, 'warning');
  assert.match(r.fire[0].message, /Daily budget: \$8\.70 of \$10\.00 spent \(87%\), past 80%/);
  assert.ok(r.state.fired['budget:daily:day:2026-01-14:50']);
});

test('period rollover: the next local day starts again; the previous day never re-fires', () => {
  let facts = [usdFact('2026-01-14T20:00:00Z', 6)];
  let r = evaluate(facts, emptyAlertState(), '2026-01-14T21:00:00Z');
  assert.deepEqual(r.fire.map((a) => a.threshold), [50]);
  // 23:30 UTC on the 14th is already 00:30 on the 15th in Berlin
  facts = [...facts, usdFact('2026-01-14T23:30:00Z', 5.5)];
  r = evaluate(facts, r.state, '2026-01-14T23:40:00Z');
  assert.deepEqual(r.fire.map((a) => a.key), ['budget:daily:day:2026-01-15:50']);
  r = evaluate(facts, r.state, '2026-01-15T10:00:00Z');
  assert.equal(r.fire.length, 0);
});

test('"don\'t show again this period" silences that budget until the period ends', () => {
  let r = evaluate([usdFact('2026-01-14T09:00:00Z', 5.1)], emptyAlertState(), '2026-01-14T09:30:00Z');
  assert.equal(r.fire.length, 1);
  const state = suppressScope(r.state, r.fire[0].scope, Date.parse('2026-01-14T09:31:00Z'));
  r = evaluate([usdFact('2026-01-14T09:00:00Z', 5.1), usdFact('2026-01-14T11:00:00Z', 6)], state, '2026-01-14T11:30:00Z');
  assert.equal(r.fire.length, 0); // 111 % but suppressed
  assert.ok(r.state.fired['budget:daily:day:2026-01-14:100']);
  r = evaluate([usdFact('2026-01-15T09:00:00Z', 5.5)], r.state, '2026-01-15T09:30:00Z');
  assert.deepEqual(r.fire.map((a) => a.key), ['budget:daily:day:2026-01-15:50']);
});

test('state is read defensively and pruned', () => {
  assert.deepEqual(readAlertState('garbage'), emptyAlertState());
  assert.deepEqual(readAlertState({ fired: { a: 1, b: 'x', c: null }, suppressed: [] }), { v: 1, fired: { a: 1 }, suppressed: {} });
  const now = Date.parse('2026-05-01T00:00:00Z');
  const pruned = pruneAlertState({ v: 1, fired: { old: now - 70 * 86_400_000, recent: now - 86_400_000 }, suppressed: { s: now - 100 * 86_400_000 } }, now);
  assert.deepEqual(pruned, { v: 1, fired: { recent: now - 86_400_000 }, suppressed: {} });
});

test('status bar level: warning at the first threshold ≥ 80 %, error at 100 %', () => {
  assert.equal(statusBarLevel([0.2, 0.79]), 'none');
  assert.equal(statusBarLevel([0.2, 0.8]), 'warning');
  assert.equal(statusBarLevel([0.85], [50, 90, 100]), 'none');
  assert.equal(statusBarLevel([0.92], [50, 90, 100]), 'warning');
  assert.equal(statusBarLevel([0.5, 1.0]), 'error');
  assert.equal(statusBarLevel([0.81], [50, 100]), 'warning'); // falls back to 80 %
  assert.equal(statusBarLevel([]), 'none');
  const now = Date.parse('2026-01-14T12:00:00Z');
  const st = budgetStatuses([usdFact('2026-01-14T09:00:00Z', 9)], costOf, settings, opts, now);
  assert.equal(statusBarLevel(st.map((s) => s.fraction)), 'warning');
});
