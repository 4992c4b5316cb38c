import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zeroTokens, type Fact, type TokenCounts } from '../../../src/core/types';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { summarizeStatus, statusFactsSince, type StatusInputs } from '../../../src/app/status/statusSummary';
import { buildStatusView, escapeMarkdown, fillFormat, statusTooltip, type StatusDisplay } from '../../../src/app/status/statusText';

const prices = createPriceTable();
const HOSTILE = '<img src=x onerror=alert(1)>';

/** One fact as the index stores it: a 15-minute UTC bucket with its first/last entry times. */
function fact(iso: string, source: 'claude' | 'codex', model: string, t: Partial<TokenCounts>, project = 'app'): Fact {
  const ms = Date.parse(iso);
  const bucket = Math.floor(ms / 900_000) * 900_000;
  return {
    ...zeroTokens(),
    requests: 1,
    ...t,
    source,
    model,
    project,
    session: `s-${source}`,
    branch: 'main',
    tier: 'standard',
    bucketStartMs: bucket,
    firstMs: ms,
    lastMs: ms + 60_000,
  };
}

// Tuesday 2026-03-10 14:30 in Berlin (UTC+1) = 13:30Z
const NOW = Date.parse('2026-03-10T13:30:00Z');
const facts: Fact[] = [
  // Sunday Mar 8: this month, not this week (weeks start Monday)
  fact('2026-03-08T12:00:00Z', 'claude', 'claude-sonnet-4-5-20250929', { output: 100_000 }), // $1.50
  // Monday Mar 9 23:30 local: yesterday
  fact('2026-03-09T22:30:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 1_000_000 }), // $3.00
  // 00:15 local on Mar 10 = still Mar 9 in UTC: today in Berlin
  fact('2026-03-09T23:15:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 10_000 }), // $0.03
  fact('2026-03-10T09:00:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 1000, output: 2000, cacheWrite5m: 10_000, cacheRead: 100_000 }), // $0.1005
  fact('2026-03-10T13:00:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 2000, output: 4000 }), // $0.066
  fact('2026-03-10T13:00:00Z', 'claude', HOSTILE, { input: 500 }, HOSTILE), // unpriced
  // Codex: uncached input 100k, cached 400k, output 5k (reasoning inside output)
  fact('2026-03-10T12:00:00Z', 'codex', 'gpt-5', { input: 100_000, cacheRead: 400_000, output: 5000, reasoning: 2000 }), // $0.225
];

function inputs(over: Partial<StatusInputs> = {}): StatusInputs {
  return {
    facts,
    prices,
    nowMs: NOW,
    timeZone: 'Europe/Berlin',
    weekStart: 1,
    billingCycleStartDay: 1,
    budgets: {},
    rateLimits: {
      observedMs: NOW - 600_000,
      primary: { usedPercent: 42, windowMinutes: 300, resetsAtMs: NOW + 2 * 3_600_000 + 5 * 60_000 },
      secondary: { usedPercent: 13, windowMinutes: 10080, resetsAtMs: NOW + 3 * 86_400_000 },
      planType: 'plus',
      limitId: null,
    },
    ...over,
  };
}

const display: StatusDisplay = {
  format: '$(pulse) {todayCost} today · 5h {blockCost}',
  showCodexQuota: true,
  currency: { code: 'USD', rateToUsd: 1 },
  locale: 'en-US',
  thresholds: [50, 80, 100],
  lastUpdatedMs: NOW - 2000,
  indexing: false,
};

test('today is the local day in the configured zone; unpriced usage shows as "+?", Codex quota is appended', () => {
  const s = summarizeStatus(inputs());
  // 0.03 + 0.1005 + 0.066 + 0.225 priced today, plus an unpriced model
  assert.equal(s.today.costUSD, null);
  assert.ok(Math.abs(s.today.pricedCostUSD - 0.4215) < 1e-9, String(s.today.pricedCostUSD));
  assert.equal(s.today.requests, 5);
  assert.ok(Math.abs(s.week.pricedCostUSD - 3.4215) < 1e-9);
  assert.ok(Math.abs(s.month.pricedCostUSD - 4.9215) < 1e-9);
  const v = buildStatusView(s, display);
  assert.equal(v.text, '$(pulse) $0.42+? today · 5h $0.17+? · Codex 5h 42%');
  assert.equal(v.level, 'none');
});

test('the same facts in UTC put the 00:15-Berlin request on the previous day', () => {
  const s = summarizeStatus(inputs({ timeZone: 'UTC' }));
  assert.ok(Math.abs(s.today.pricedCostUSD - 0.3915) < 1e-9, String(s.today.pricedCostUSD));
});

test('the active Claude 5-hour block starts after the > 5 h gap, floored to the hour', () => {
  const s = summarizeStatus(inputs());
  assert.ok(s.block);
  assert.equal(new Date(s.block.startMs).toISOString(), '2026-03-10T09:00:00.000Z');
  assert.equal(s.block.endMs - NOW, 30 * 60_000);
  assert.ok(Math.abs(s.block.pricedCostUSD - 0.1665) < 1e-9);
  assert.equal(s.block.costUSD, null, 'the unpriced model is in the block');
  const view = buildStatusView(s, { ...display, format: '{blockTokens} {blockTimeLeft} {burnRateTokens}' });
  // 113,000 + 6,000 + 500 tokens; span 09:00 → 13:01
  assert.equal(view.text, '119.5K 30m 495.9/min · Codex 5h 42%');
});

test('placeholders, currency conversion, and no Codex suffix when the format already shows it', () => {
  const s = summarizeStatus(inputs());
  const v = buildStatusView(s, {
    ...display,
    currency: { code: 'EUR', rateToUsd: 0.5 },
    format: '{monthCost} month · {weekCost} week · Codex {codexPrimary}/{codexSecondary} · {todayTokens} · {nope}',
  });
  assert.equal(v.text, '€2.46+? month · €1.71+? week · Codex 42%/13% · 634.5K · {nope}');
  assert.equal(fillFormat('{a}{b}', { a: '1' }), '1{b}');
});

test('a Codex window whose reset time has passed shows as reset, not its old value', () => {
  const s = summarizeStatus(inputs({ nowMs: NOW + 3 * 3_600_000 }));
  const v = buildStatusView(s, { ...display, format: '{codexPrimary}' });
  assert.equal(v.text, '0%');
  assert.match(v.tooltip, /5h 0% used \(reset\)/);
});

test('budget colours: warning from 80 %, error at 100 % of a daily or monthly budget', () => {
  const warn = buildStatusView(summarizeStatus(inputs({ budgets: { dailyUsd: 0.5, monthlyUsd: 100 } })), display);
  assert.equal(warn.level, 'warning'); // 0.4215 / 0.5 = 84 %
  const under = buildStatusView(summarizeStatus(inputs({ budgets: { dailyUsd: 0.6 } })), display);
  assert.equal(under.level, 'none'); // 70 %
  const over = buildStatusView(summarizeStatus(inputs({ budgets: { monthlyUsd: 4.9 } })), display);
  assert.equal(over.level, 'error'); // 4.9215 / 4.9
  const project = buildStatusView(summarizeStatus(inputs({ budgets: { projectsMonthlyUsd: { app: 1 } } })), display);
  assert.equal(project.level, 'none', 'project budgets are listed, not coloured');
  assert.match(project.tooltip, /project app: \$4\.92 of \$1\.00 \(492%\)/);
  // thresholds without one in [80, 100) fall back to 80
  assert.equal(buildStatusView(summarizeStatus(inputs({ budgets: { dailyUsd: 0.5 } })), { ...display, thresholds: [50, 100] }).level, 'warning');
  assert.equal(buildStatusView(summarizeStatus(inputs({ budgets: { dailyUsd: 0.5 } })), { ...display, thresholds: [90, 100] }).level, 'none');
});

test('tooltip: today by source and model, block, month, Codex quota, unpriced models escaped', () => {
  const v = buildStatusView(summarizeStatus(inputs()), display);
  const t = v.tooltip;
  assert.match(t, /\| Codex \| \$0\.23 \| 505K \| 1 \|/);
  assert.match(t, /\| Claude Code \| \$0\.20\+\? \| 129\.5K \| 4 \|/);
  assert.match(t, /\| gpt\\-5 \| \$0\.23 \| 505K \|/);
  assert.match(t, /\*\*Claude 5-hour block\*\* 10:00 AM–03:00 PM: \$0\.17\+\? · 119\.5K tokens/);
  assert.match(t, /projected n\/a \(134\.4K tokens\) · 30m left \(resets 03:00 PM\)/);
  assert.match(t, /\*\*Month to date\*\* \(since Sun, Mar 1\): \$4\.92\+\?/);
  assert.match(t, /\*\*Codex quota\*\* \(plus plan\): 5h 42% used \(resets in 2h 05m at 04:35 PM\) · weekly 13% used/);
  assert.ok(t.includes(escapeMarkdown(HOSTILE)));
  assert.ok(!t.includes(HOSTILE), 'raw HTML from the logs never reaches the tooltip');
  assert.match(t, /_Updated 02:29:58 PM/);
});

test('no usage at all: zero costs, no block, and a facts window that covers month, week and the block look-back', () => {
  const s = summarizeStatus(inputs({ facts: [], rateLimits: null }));
  const v = buildStatusView(s, display);
  assert.equal(v.text, '$(pulse) $0.00 today · 5h $0.00');
  assert.match(v.tooltip, /No usage today yet/);
  assert.match(v.tooltip, /none active/);
  const since = statusFactsSince(NOW, { timeZone: 'Europe/Berlin', weekStart: 1, billingCycleStartDay: 1 });
  assert.equal(new Date(since).toISOString(), '2026-02-28T23:00:00.000Z');
});

test('tooltip: any number of agents by their labels; a model used through two agents today says which', () => {
  const more: Fact[] = [
    { ...fact('2026-03-10T12:30:00Z', 'claude', 'claude-sonnet-4-5-20250929', { input: 3000, output: 1000 }), source: 'cline', session: 's-cline' },
    { ...fact('2026-03-10T12:40:00Z', 'claude', 'gemini-2.5-pro', { input: 4000, output: 800 }), source: 'gemini', session: 's-gemini' },
  ];
  const text = statusTooltip(summarizeStatus(inputs({ facts: [...facts, ...more] })), display);
  for (const label of ['Claude Code', 'Codex', 'Cline', 'Gemini CLI']) assert.ok(text.includes(`| ${label} |`), `${label} in: ${text}`);
  assert.ok(text.includes(escapeMarkdown('claude-sonnet-4-5-20250929 (Claude Code)')) && text.includes(escapeMarkdown('claude-sonnet-4-5-20250929 (Cline)')), text);
  assert.ok(text.includes(`| ${escapeMarkdown('gemini-2.5-pro')} |`), 'a model of one agent keeps its plain name');
});
