/** The dashboard's team scopes (src/app/dashboard/teamView.ts): the usual views from team facts, breakdowns, budgets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fact } from '../report/facts';
import type { TeamBudget, TeamFact } from '../../../src/core/team/types';
import { teamBreakdowns, teamBudgetBars, teamDashboardData, teamSnapshotFrom } from '../../../src/app/dashboard/teamView';
import { snapshotFrom } from '../../../src/app/dashboard/fromDatabase';
import { parseSettings } from '../../../src/app/settingsParse';
import { createPriceTable, priceTableDate } from '../../../src/core/pricing/priceTable';
import { costOf } from '../../../src/core/pricing/costOf';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';

const table = createPriceTable();
const cost = (t: Parameters<typeof costOf>[0], f: { model: string; tier: TeamFact['tier'] }) => costOf(t, f.model, f.tier, table);
const settings = parseSettings((k) => (k === 'timeZone' ? 'Europe/Berlin' : undefined)).settings;
const status = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };
const NOW = Date.parse('2026-12-06T12:00:00Z');

function tf(iso: string, member: string, machine: string, p: Parameters<typeof fact>[1] = {}): TeamFact {
  return { ...fact(iso, { session: '', ...p }), member, machine, activity: '' };
}

/** Two members, three machines, Claude and Codex, over the last days; a model without a price. */
const facts: TeamFact[] = [
  tf('2026-11-20T09:00:00Z', 'ana@example.com', 'laptop', { input: 1000, output: 2000, cacheRead: 50_000 }),
  tf('2026-12-01T10:00:00Z', 'ana@example.com', 'desktop', { input: 500, output: 700, cacheWrite5m: 3000 }),
  tf('2026-12-05T08:15:00Z', "O'Brien", 'ci-runner', { source: 'codex', model: 'gpt-5-codex', project: 'api', input: 40_000, cacheRead: 30_000, output: 1000 }),
  tf('2026-12-06T07:00:00Z', 'ana@example.com', 'laptop', { input: 100, output: 300 }),
  tf('2026-12-06T07:30:00Z', "O'Brien", 'ci-runner', { model: 'acme-unpriced-1', input: 10, output: 10 }),
].sort((a, b) => a.bucketStartMs - b.bucketStartMs);

test('the team snapshot has the same cards and charts as a local snapshot of the same facts; no sessions', () => {
  const data = teamDashboardData(facts);
  const ctx = { filters: { ...DEFAULT_FILTERS, range: '30d' as const }, nowMs: NOW, locale: 'en', settings, status, table, priceTableDate };
  const local = snapshotFrom(data, ctx);
  const team = teamSnapshotFrom(data, { scope: 'team', role: 'lead', member: 'ana@example.com', facts, machines: [], budgets: [] }, ctx);
  assert.deepEqual(team.cards, local.cards);
  assert.deepEqual(team.daily, local.daily);
  assert.deepEqual(team.bySource, local.bySource);
  assert.deepEqual(team.sessions, []);
  const all = team.cards.find((c) => c.id === 'all')!;
  assert.equal(all.requests, 5);
  assert.equal(all.tokens, facts.reduce((s, f) => s + f.input + f.output + f.cacheWrite5m + f.cacheWrite1h + f.cacheRead, 0));
  assert.ok(all.unpricedTokens > 0, 'the unpriced model is flagged, never $0');
});

test('per member and per machine over the range: sums equal the range total, most expensive first, filters apply', () => {
  const since = Date.parse('2026-11-30T23:00:00Z');
  const until = Date.parse('2026-12-06T23:00:00Z');
  const { members, machines } = teamBreakdowns(facts, DEFAULT_FILTERS, since, until, cost);
  assert.deepEqual(members.map((m) => m.member).sort(), ["O'Brien", 'ana@example.com']);
  assert.deepEqual(machines.map((m) => `${m.member}/${m.machine}`).sort(), ["O'Brien/ci-runner", 'ana@example.com/desktop', 'ana@example.com/laptop']);
  const inRange = facts.filter((f) => f.bucketStartMs >= since && f.bucketStartMs < until);
  const sum = (rows: { tokens: number; requests: number }[]) => rows.reduce((a, r) => [a[0]! + r.tokens, a[1]! + r.requests], [0, 0]);
  assert.deepEqual(sum(members), [inRange.reduce((s, f) => s + f.input + f.output + f.cacheWrite5m + f.cacheWrite1h + f.cacheRead, 0), 4]);
  assert.deepEqual(sum(machines), sum(members));
  for (let i = 1; i < members.length; i++) assert.ok(members[i - 1]!.costUSD >= members[i]!.costUSD);
  const obrien = members.find((m) => m.member === "O'Brien")!;
  assert.ok(obrien.unpricedTokens === 20 && obrien.costUSD > 0);
  const codexOnly = teamBreakdowns(facts, { ...DEFAULT_FILTERS, source: 'codex' }, since, until, cost);
  assert.deepEqual(codexOnly.machines.map((m) => m.machine), ['ci-runner']);
});

test('budgets: the team against everyone, a member against its own, in the current period; the team budget only with team facts', () => {
  const budgets: TeamBudget[] = [
    { member: null, period: 'monthly', usd: 0.01 },
    { member: 'ana@example.com', period: 'daily', usd: 100 },
  ];
  const opts = { timeZone: 'Europe/Berlin', weekStart: 1, billingCycleStartDay: 1 };
  const bars = teamBudgetBars(facts, budgets, NOW, opts, cost, true);
  const month = bars.find((b) => b.member === null)!;
  const decFacts = facts.filter((f) => f.bucketStartMs >= Date.parse('2026-11-30T23:00:00Z'));
  const decCost = decFacts.reduce((s, f) => s + (cost(f, f) ?? 0), 0);
  assert.ok(Math.abs(month.spentUSD - decCost) < 1e-12);
  assert.ok(month.ratio > 1, 'over the team budget');
  const day = bars.find((b) => b.member === 'ana@example.com')!;
  const anaToday = facts.filter((f) => f.member === 'ana@example.com' && f.bucketStartMs >= Date.parse('2026-12-05T23:00:00Z'));
  assert.ok(Math.abs(day.spentUSD - anaToday.reduce((s, f) => s + (cost(f, f) ?? 0), 0)) < 1e-12);
  assert.deepEqual(teamBudgetBars(facts, budgets, NOW, opts, cost, false).map((b) => b.member), ['ana@example.com']);
});

test('me-all: only the member\'s machines and budgets are shown', () => {
  const data = teamDashboardData(facts.filter((f) => f.member === 'ana@example.com'));
  const ctx = { filters: { ...DEFAULT_FILTERS, range: '30d' as const, scope: 'me-all' as const }, nowMs: NOW, locale: 'en', settings, status, table, priceTableDate };
  const s = teamSnapshotFrom(data, {
    scope: 'me-all', role: 'member', member: 'ana@example.com', facts: facts.filter((f) => f.member === 'ana@example.com'),
    machines: [
      { member: 'ana@example.com', machine: 'laptop', lastPushMs: NOW - 60_000, lastEntryMs: NOW - 3600_000, version: '0.1.0' },
      { member: "O'Brien", machine: 'ci-runner', lastPushMs: NOW, lastEntryMs: null, version: '0.1.0' },
    ],
    budgets: [{ member: null, period: 'monthly', usd: 10 }, { member: "O'Brien", period: 'daily', usd: 1 }, { member: 'ana@example.com', period: 'weekly', usd: 5 }],
  }, ctx);
  assert.deepEqual(s.team!.freshness.map((m) => m.machine), ['laptop']);
  assert.deepEqual(s.team!.budgets.map((b) => [b.member, b.period]), [['ana@example.com', 'weekly']]);
  assert.deepEqual(s.team!.members.map((m) => m.member), ['ana@example.com']);
  assert.equal(s.team!.machines.length, 2);
});

test('a member asking for the team scope: only its own budgets (the team budget needs everyone\'s facts)', () => {
  const own = facts.filter((f) => f.member === 'ana@example.com');
  const ctx = { filters: { ...DEFAULT_FILTERS, range: '30d' as const, scope: 'team' as const }, nowMs: NOW, locale: 'en', settings, status, table, priceTableDate };
  const reads = { scope: 'team' as const, member: 'ana@example.com', facts: own, machines: [], budgets: [{ member: null, period: 'monthly' as const, usd: 1 }, { member: 'ana@example.com', period: 'monthly' as const, usd: 1 }] };
  assert.deepEqual(teamSnapshotFrom(teamDashboardData(own), { ...reads, role: 'member' }, ctx).team!.budgets.map((b) => b.member), ['ana@example.com']);
  assert.deepEqual(teamSnapshotFrom(teamDashboardData(own), { ...reads, role: 'lead' }, ctx).team!.budgets.map((b) => b.member).sort(), ['ana@example.com', null].sort());
});
