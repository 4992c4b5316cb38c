import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from './fakeVscode';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { factAt } from '../factAt';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { summarizeStatus, type StatusInputs } from '../../../src/app/status/statusSummary';

/**
 * The host's notifier end to end from facts: budget (weekly, per-project, billing-cycle month), Codex quota and
 * Claude projection notifications, each once per period/window/block, the "Don't Show Again This Period" choice,
 * and only the writer window notifying.
 */
installFakeVscode();
const vscode = require('vscode') as {
  window: Record<'showWarningMessage' | 'showErrorMessage' | 'showInformationMessage', (m: string, ...items: string[]) => Promise<string | undefined>>;
  commands?: { executeCommand: (id: string) => Promise<unknown> };
};
const executed: string[] = [];
vscode.commands = { executeCommand: async (id: string) => void executed.push(id) };
// loaded after the fake `vscode` is in place
const { AlertNotifier } = require('../../../src/host/alerts') as typeof import('../../../src/host/alerts');

const shown: { severity: string; message: string }[] = [];
let answer: string | undefined;
for (const sev of ['Warning', 'Error', 'Information'] as const) {
  vscode.window[`show${sev}Message`] = async (m: string) => {
    shown.push({ severity: sev, message: m });
    return answer;
  };
}

class Memento {
  private data = new Map<string, unknown>();
  get<T>(k: string): T | undefined {
    return this.data.get(k) as T | undefined;
  }
  async update(k: string, v: unknown): Promise<void> {
    this.data.set(k, v);
  }
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
}

const prices = createPriceTable();
const fact = (iso: string, t: Partial<TokenCounts>, project = '-home-dev-shop'): Fact => factAt(iso, t, { project }, 60_000);

// Wed 2026-03-18 12:00Z. Billing cycle starts on the 15th: the cycle began Sun Mar 15; the ISO week on Mon Mar 16.
const NOW = Date.parse('2026-03-18T12:00:00Z');
const facts: Fact[] = [
  fact('2026-03-14T12:00:00Z', { input: 2_000_000 }), // $6 — previous billing cycle, previous week
  fact('2026-03-15T12:00:00Z', { input: 1_000_000 }), // $3 — this cycle, last week
  fact('2026-03-17T09:00:00Z', { input: 1_000_000 }, '-home-dev-other'), // $3 — this week, another project
  // active block 10:00–15:00Z: 10:05 → 11:01, 20,000 plan tokens; $0.126 + $0.138
  fact('2026-03-18T10:05:00Z', { input: 2000, output: 8000 }),
  fact('2026-03-18T11:00:00Z', { input: 1000, output: 9000 }),
];

function inputs(over: Partial<StatusInputs> = {}): StatusInputs {
  return {
    facts,
    prices,
    nowMs: NOW,
    timeZone: 'UTC',
    weekStart: 1,
    billingCycleStartDay: 15,
    budgets: { weeklyUsd: 4, monthlyUsd: 100, projectsMonthlyUsd: { '/home/dev/shop': 5 }, thresholds: [50, 80, 100] },
    rateLimits: {
      observedMs: NOW - 60_000,
      primary: { usedPercent: 83, windowMinutes: 300, resetsAtMs: NOW + 90 * 60_000 },
      secondary: { usedPercent: 40, windowMinutes: 10080, resetsAtMs: NOW + 4 * 86_400_000 },
      planType: 'plus',
      limitId: null,
    },
    planLimit: resolvePlanLimit({ plan: 'custom', customTokens: 30_000 }, []),
    ...over,
  };
}

const flush = () => new Promise((r) => setImmediate(r));

test('each crossed budget, the Codex quota and the Claude projection notify once; re-evaluation is silent', async () => {
  shown.length = 0;
  answer = undefined;
  const n = new AlertNotifier(new Memento() as never, () => true);
  const fired = await n.evaluate(summarizeStatus(inputs()));
  await flush();
  const byScope = (prefix: string) => fired.filter((a) => a.scope.startsWith(prefix));
  // week since Mon Mar 16: $3 + $0.264 of $4 = 81.6 % → one notification, for 80 %
  assert.deepEqual(byScope('budget:weekly:').map((a) => a.threshold), [80]);
  assert.match(byScope('budget:weekly:')[0].message, /Weekly budget: \$3\.26 of \$4\.00 spent \(81%\), past 80%/);
  // project "shop" in the billing cycle since Mar 15: $3 + $0.264 of $5 = 65 % (the Mar 14 $6 is the previous cycle)
  assert.deepEqual(byScope('budget:project:').map((a) => a.threshold), [50]);
  assert.match(byScope('budget:project:')[0].scope, /2026-03-15/);
  // the monthly budget ($6.264 of $100) is below 50 %
  assert.deepEqual(byScope('budget:monthly'), []);
  assert.deepEqual(byScope('codex:primary:').map((a) => a.threshold), [80]);
  assert.deepEqual(byScope('codex:secondary:'), []);
  assert.equal(byScope('claude-projection:').length, 1);
  assert.equal(fired.length, 4);
  assert.equal(shown.length, fired.length);
  assert.ok(shown.every((s) => s.message.startsWith('AgentMeter: ')));
  assert.match(shown.find((s) => s.message.includes('Codex'))!.message, /Codex 5h quota at 83% \(past 80%\)\. Resets in 1h 30m\./);
  assert.match(shown.find((s) => s.message.includes('Claude'))!.message, /projected to reach the custom limit in 28m, before it resets in 3h 00m/);

  assert.deepEqual(await n.evaluate(summarizeStatus(inputs({ nowMs: NOW + 60_000 }))), []);
});

test('"Don\'t Show Again This Period" silences that scope until its period ends; other windows never notify', async () => {
  shown.length = 0;
  const memento = new Memento();
  const n = new AlertNotifier(memento as never, () => true);
  answer = "Don't Show Again This Period";
  const first = await n.evaluate(summarizeStatus(inputs({ rateLimits: null, planLimit: null, budgets: { weeklyUsd: 6 } })));
  await flush();
  assert.equal(first.length, 1);
  assert.equal(first[0].threshold, 50); // $3.264 of $6
  answer = undefined;
  // more spend later this week crosses 80 %: suppressed for this week
  const more = [...facts, fact('2026-03-19T09:00:00Z', { input: 600_000 })]; // +$1.80 → $5.064 = 84 %
  const later = await n.evaluate(summarizeStatus(inputs({ facts: more, nowMs: NOW + 86_400_000, rateLimits: null, planLimit: null, budgets: { weeklyUsd: 6 } })));
  assert.deepEqual(later, []);
  // next week: a new period, notifications again (spend Mar 23 only)
  const nextWeek = [...more, fact('2026-03-23T09:00:00Z', { input: 1_500_000 })]; // $4.50 = 75 %
  const next = await n.evaluate(
    summarizeStatus(inputs({ facts: nextWeek, nowMs: Date.parse('2026-03-23T12:00:00Z'), rateLimits: null, planLimit: null, budgets: { weeklyUsd: 6 } })),
  );
  assert.equal(next.length, 1);
  assert.match(next[0].message, /Weekly budget: \$4\.50 of \$6\.00 spent \(75%\), past 50%/);

  shown.length = 0;
  const reader = new AlertNotifier(new Memento() as never, () => false);
  assert.deepEqual(await reader.evaluate(summarizeStatus(inputs())), []);
  assert.equal(shown.length, 0);
});

test('"Open Dashboard" runs the dashboard command', async () => {
  executed.length = 0;
  answer = 'Open Dashboard';
  const n = new AlertNotifier(new Memento() as never, () => true);
  await n.evaluate(summarizeStatus(inputs({ rateLimits: null, planLimit: null })));
  await flush();
  await flush();
  answer = undefined;
  assert.ok(executed.length >= 1);
  assert.ok(executed.every((id) => id === 'agentMeter.showDashboard'));
});

test('overlapping evaluations (a mid-index update and the final one) notify once, not once each', async () => {
  shown.length = 0;
  answer = undefined;
  // a slow globalState: both evaluations would read the old state if they were not run one after another
  class SlowMemento extends Memento {
    override async update(k: string, v: unknown): Promise<void> {
      await new Promise((r) => setTimeout(r, 20));
      await super.update(k, v);
    }
  }
  const n = new AlertNotifier(new SlowMemento() as never, () => true);
  // both see the week past 80 % ($3.126, then $3.264 of $4), as a mid-index and the final update do
  const partial = facts.slice(0, 4);
  const [a, b] = await Promise.all([
    n.evaluate(summarizeStatus(inputs({ facts: partial, rateLimits: null, planLimit: null, budgets: { weeklyUsd: 3.8 } }))),
    n.evaluate(summarizeStatus(inputs({ rateLimits: null, planLimit: null, budgets: { weeklyUsd: 3.8 } }))),
  ]);
  await flush();
  assert.deepEqual(a.map((x) => x.threshold), [80]);
  assert.deepEqual(b, []);
  assert.equal(shown.length, 1);
});

test('an unusual day notifies once that day (a higher cost later is silent), again on another unusual day; off: never', async () => {
  shown.length = 0;
  answer = undefined;
  const recorded: { kind: string; value: number | null; threshold: number | null }[] = [];
  const n = new AlertNotifier(new Memento() as never, () => true, (fired) => recorded.push(...fired.map((a) => ({ kind: a.kind, value: a.value, threshold: a.threshold }))));
  const quiet = { rateLimits: null, planLimit: null, budgets: {} };
  const unusual = (day: string, costUsd: number) => ({ day, costUsd, mean: 3, stdDev: 1.5, threshold: 6, baselineDays: 30 });
  // the setting off: the summary has no anomaly (the engine does not compute it)
  assert.deepEqual(await n.evaluate(summarizeStatus(inputs(quiet))), []);
  // on, and today is not unusual
  assert.deepEqual(await n.evaluate({ ...summarizeStatus(inputs(quiet)), anomaly: null }), []);
  const first = await n.evaluate({ ...summarizeStatus(inputs(quiet)), anomaly: unusual('2026-03-18', 9) });
  await flush();
  assert.deepEqual(first.map((a) => [a.kind, a.key, a.severity, a.value, a.threshold]), [['anomaly', 'anomaly:day:2026-03-18', 'warning', 150, 100]]);
  assert.deepEqual(shown.map((s) => s.message), ['AgentMeter: Unusual spend on 2026-03-18: $9.00 so far, above the usual bound of $6.00 (the 30 days before: mean $3.00 + 2σ).']);
  assert.equal(shown[0].severity, 'Warning');
  // the same day, more spend: nothing more
  assert.deepEqual(await n.evaluate({ ...summarizeStatus(inputs({ ...quiet, nowMs: NOW + 3_600_000 })), anomaly: unusual('2026-03-18', 20) }), []);
  // the next unusual day: once again
  const next = await n.evaluate({ ...summarizeStatus(inputs({ ...quiet, nowMs: NOW + 86_400_000 })), anomaly: unusual('2026-03-19', 7) });
  assert.deepEqual(next.map((a) => a.key), ['anomaly:day:2026-03-19']);
  assert.deepEqual(recorded.map((r) => r.kind), ['anomaly', 'anomaly']);
  assert.equal(shown.length, 2);
});
