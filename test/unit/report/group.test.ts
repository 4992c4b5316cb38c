import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupFacts } from '../../../src/core/report/group';
import { totals } from '../../../src/core/report/rows';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { fact } from './facts';

const prices = createPriceTable();
const near = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `expected ${b}, got ${a}`);

const facts = [
  // Sonnet 4.5: 1000×3 + 100×15 = 4500 → $0.0045
  fact('2026-03-01T10:00:00Z', { input: 1000, output: 100 }),
  // long tier Sonnet 4.5: 1000×6 + 100×22.5 + 300000×0.6 = 188250 → $0.18825
  fact('2026-03-01T22:30:00Z', { input: 1000, output: 100, cacheRead: 300_000, tier: 'long', session: 's2', branch: '' }),
  // Codex gpt-5: 2000×1.25 + 8000×0.125 + 500×10 = 8500 → $0.0085
  fact('2026-03-02T09:15:00Z', {
    source: 'codex', model: 'gpt-5-codex', project: '/home/ana/shop', session: 'rollout-x', branch: 'feat',
    input: 2000, cacheRead: 8000, output: 500, reasoning: 200,
  }),
];

test('by day in the user zone: the 22:30 UTC entry belongs to the next day in Tokyo', () => {
  const utc = groupFacts(facts, 'day', { timeZone: 'UTC', prices });
  assert.deepEqual(utc.map((r) => r.key), ['2026-03-01', '2026-03-02']);
  assert.equal(utc[0].requests, 2);
  near(utc[0].costUSD, 0.0045 + 0.18825);
  const tokyo = groupFacts(facts, 'day', { timeZone: 'Asia/Tokyo', prices });
  assert.deepEqual(tokyo.map((r) => [r.key, r.requests]), [['2026-03-01', 1], ['2026-03-02', 2]]);
  near(tokyo[1].costUSD, 0.18825 + 0.0085);
  assert.equal(tokyo[1].source, null); // not split by source
  assert.equal(tokyo[0].source, null);
  assert.deepEqual(tokyo[1].models, ['claude-sonnet-4-5-20250929', 'gpt-5-codex']);
  assert.equal(tokyo[1].reasoningTokens, 200);
  assert.equal(tokyo[1].totalTokens, 1000 + 100 + 300_000 + 2000 + 8000 + 500);
});

test('by model splits per source, sorted by cost', () => {
  const more = [...facts, fact('2026-03-02T09:15:00Z', { source: 'codex', model: 'claude-sonnet-4-5-20250929', input: 1 })];
  const rows = groupFacts(more, 'model', { timeZone: 'UTC', prices });
  assert.deepEqual(rows.map((r) => [r.key, r.source, r.model]), [
    ['claude-sonnet-4-5-20250929', 'claude', 'claude-sonnet-4-5-20250929'],
    ['gpt-5-codex', 'codex', 'gpt-5-codex'],
    ['claude-sonnet-4-5-20250929', 'codex', 'claude-sonnet-4-5-20250929'],
  ]);
});

test('unpriced models make the cost null and count their tokens', () => {
  const withUnknown = [...facts, fact('2026-03-01T11:00:00Z', { model: 'claude-opus-9', input: 10, output: 20, cacheWrite1h: 5 })];
  const rows = groupFacts(withUnknown, 'day', { timeZone: 'UTC', prices });
  assert.equal(rows[0].costUSD, null);
  assert.equal(rows[0].unpricedTokens, 35);
  assert.deepEqual(rows[0].unpricedModels, ['claude-opus-9']);
  near(rows[0].pricedCostUSD, 0.0045 + 0.18825);
  assert.equal(rows[0].cacheCreation1hTokens, 5);
  assert.equal(rows[0].cacheCreationTokens, 5);
  near(rows[1].costUSD, 0.0085);
  const tot = totals(rows);
  assert.equal(tot.key, 'total');
  assert.equal(tot.costUSD, null);
  assert.equal(tot.unpricedTokens, 35);
  assert.equal(tot.requests, 4);
  assert.deepEqual(tot.unpricedModels, ['claude-opus-9']);
});

test('totals of priced rows sum the costs', () => {
  const rows = groupFacts(facts, 'source', { timeZone: 'UTC', prices });
  assert.deepEqual(rows.map((r) => r.key), ['claude', 'codex']);
  const tot = totals(rows);
  near(tot.costUSD, 0.0045 + 0.18825 + 0.0085);
  assert.equal(tot.source, null);
  assert.equal(tot.firstMs, Date.parse('2026-03-01T10:00:00Z'));
  assert.equal(tot.lastMs, Date.parse('2026-03-02T09:15:00Z'));
});

test('by project joins Claude and Codex through the display path; sessions and branches', () => {
  const paths = new Map([['claude\u0000-home-ana-shop', '/home/ana/shop'], ['codex\u0000/home/ana/shop', '/home/ana/shop']]);
  const display = (s: string, p: string) => paths.get(`${s}\u0000${p}`);
  const projects = groupFacts(facts, 'project', { timeZone: 'UTC', prices, projectDisplayPath: display });
  assert.equal(projects.length, 1);
  assert.equal(projects[0].key, '/home/ana/shop');
  assert.equal(projects[0].requests, 3);
  const noPaths = groupFacts(facts, 'project', { timeZone: 'UTC', prices });
  assert.deepEqual(noPaths.map((r) => r.key).sort(), ['-home-ana-shop', '/home/ana/shop']);
  const sessions = groupFacts(facts, 'session', { timeZone: 'UTC', prices, projectDisplayPath: display });
  assert.deepEqual(sessions.map((r) => [r.key, r.source, r.projectDisplayPath]), [
    ['s1', 'claude', '/home/ana/shop'],
    ['s2', 'claude', '/home/ana/shop'],
    ['rollout-x', 'codex', '/home/ana/shop'],
  ]);
  const branches = groupFacts(facts, 'branch', { timeZone: 'UTC', prices });
  assert.deepEqual(branches.map((r) => r.key), ['(none)', 'feat', 'main']);
});

test('weeks, months, hours and weekdays', () => {
  const weeks = groupFacts(facts, 'week', { timeZone: 'UTC', weekStart: 1, prices });
  // 2026-03-01 is a Sunday: Monday weeks split it from Monday 03-02
  assert.deepEqual(weeks.map((r) => [r.key, r.isoWeek, r.requests]), [['2026-02-23', '2026-W09', 2], ['2026-03-02', '2026-W10', 1]]);
  const sundayWeeks = groupFacts(facts, 'week', { timeZone: 'UTC', weekStart: 0, prices });
  assert.deepEqual(sundayWeeks.map((r) => [r.key, r.isoWeek, r.requests]), [['2026-03-01', undefined, 3]]);
  assert.deepEqual(groupFacts(facts, 'month', { timeZone: 'UTC', prices }).map((r) => r.key), ['2026-03']);
  assert.deepEqual(groupFacts(facts, 'hour', { timeZone: 'Asia/Kathmandu', prices }).map((r) => r.key), ['04', '15']);
  assert.deepEqual(groupFacts(facts, 'weekday', { timeZone: 'UTC', weekStart: 1, prices }).map((r) => r.key), ['Mon', 'Sun']);
});

test('<synthetic> facts never become a model', () => {
  const rows = groupFacts([...facts, fact('2026-03-01T12:00:00Z', { model: '<synthetic>', requests: 0 })], 'model', { timeZone: 'UTC', prices });
  assert.ok(rows.every((r) => r.model !== '<synthetic>'));
  assert.equal(groupFacts([], 'day', { timeZone: 'UTC', prices }).length, 0);
});
