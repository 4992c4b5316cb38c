import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { bucketOf } from '../../../src/core/types';
import { buildSnapshot, type SnapshotInput } from '../../../src/app/dashboard/snapshot';
import { DEFAULT_FILTERS } from '../../../src/shared/protocol';

/** Stub price table (USD per million): sonnet 3/15, 5m write 3.75, 1h write 6, read 0.3; gpt-5 1.25/10, read 0.125. */
const PRICES: Record<string, { in: number; out: number; w5: number; w1: number; read: number }> = {
  'claude-sonnet-4-5-20250929': { in: 3, out: 15, w5: 3.75, w1: 6, read: 0.3 },
  'gpt-5-codex': { in: 1.25, out: 10, w5: 0, w1: 0, read: 0.125 },
};
const cost: SnapshotInput['cost'] = (t: TokenCounts, f: Fact) => {
  const p = PRICES[f.model];
  if (!p) return null;
  return (t.input * p.in + t.output * p.out + t.cacheWrite5m * p.w5 + t.cacheWrite1h * p.w1 + t.cacheRead * p.read) / 1e6;
};

let n = 0;
function fact(iso: string, o: Partial<Fact>): Fact {
  const ms = Date.parse(iso);
  return {
    source: 'claude', model: 'claude-sonnet-4-5-20250929', project: '-home-ana-shop', session: `s${n++}`, branch: 'main', tier: 'standard',
    input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 1,
    bucketStartMs: bucketOf(ms), firstMs: ms, lastMs: ms, ...o,
  };
}

const NOW = Date.parse('2026-03-18T15:00:00Z'); // Wednesday; 11:00 in New York (EDT, UTC-4)
const status = { indexing: false, lastUpdatedMs: NOW, searched: { claude: ['/home/ana/.claude/projects'], codex: ['/home/ana/.codex'] }, notes: [] };
const settings = { timeZone: 'America/New_York', weekStart: 1, currency: { code: 'USD', rateToUsd: 1 } };

function input(facts: Fact[], extra: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    facts, filters: { ...DEFAULT_FILTERS }, nowMs: NOW, locale: 'en', settings, cost, priceTableDate: '2026-04-01', status,
    projectLabel: (p) => ({ '-home-ana-shop': '/home/ana/shop', '-evil': '<img src=x onerror=alert(1)>' })[p], ...extra,
  };
}

test('cards use local days: 02:30 UTC on the 18th is still the 17th in New York', () => {
  const facts = [
    // 1M input + 100k output on sonnet = 3 + 1.5 = $4.50, today local
    fact('2026-03-18T14:10:00Z', { session: 'a', input: 1_000_000, output: 100_000, requests: 3 }),
    // yesterday local (22:30 on the 17th in New York)
    fact('2026-03-18T02:30:00Z', { session: 'b', input: 200_000, cacheRead: 800_000, requests: 2 }),
    // codex 40 days ago: 2M uncached input, 1M cached, 100k output = 2.5 + 0.125 + 1 = $3.625
    fact('2026-02-06T12:00:00Z', { source: 'codex', model: 'gpt-5-codex', project: '/home/ana/api', session: 'rollout-1', input: 2_000_000, cacheRead: 1_000_000, output: 100_000, reasoning: 40_000 }),
  ];
  const s = buildSnapshot(input(facts));
  const card = (id: string) => s.cards.find((c) => c.id === id)!;
  assert.equal(card('today').requests, 3);
  assert.ok(Math.abs(card('today').costUSD - 4.5) < 1e-9);
  assert.equal(card('today').fromDay, '2026-03-18');
  // last 7 days: today + yesterday: 4.5 + 0.6 + 0.24 = 5.34
  assert.ok(Math.abs(card('last7').costUSD - 5.34) < 1e-9);
  assert.equal(card('last7').requests, 5);
  // hit ratio of last 7 days = 800k / (1.2M + 800k)
  assert.ok(Math.abs(card('last7').cacheHitRatio! - 0.4) < 1e-12);
  assert.ok(Math.abs(card('all').costUSD - (5.34 + 3.625)) < 1e-9);
  assert.equal(card('all').fromDay, '2026-02-06');
  // range 30d excludes the codex day: daily chart has 30 labels ending today, only sonnet
  assert.equal(s.daily.labels.length, 30);
  assert.equal(s.daily.labels.at(-1), '2026-03-18');
  assert.deepEqual(s.daily.series.map((x) => x.label), ['claude-sonnet-4-5-20250929']);
  assert.ok(Math.abs(s.daily.series[0].values.at(-2)! - 0.84) < 1e-9);
  assert.deepEqual(s.bySource.map((x) => x.source), ['claude']);
  assert.equal(s.empty, null);
  assert.deepEqual(s.filterOptions.sources, ['claude', 'codex']);
  // heatmap: week starts Monday; Wednesday is row 2, 10:00 local holds the $4.50
  assert.deepEqual(s.heatmap.weekdays, [1, 2, 3, 4, 5, 6, 0]);
  assert.ok(Math.abs(s.heatmap.costUSD[2][10] - 4.5) < 1e-9);
  assert.ok(Math.abs(s.heatmap.costUSD[1][22] - 0.84) < 1e-9);
});

test('unpriced models are flagged with a null cost, never $0', () => {
  const facts = [
    fact('2026-03-18T13:00:00Z', { model: 'claude-future-9', input: 1000, output: 500, session: 'u' }),
    fact('2026-03-18T13:05:00Z', { input: 1_000_000, session: 'u' }),
  ];
  const s = buildSnapshot(input(facts));
  const m = s.models.find((x) => x.model === 'claude-future-9')!;
  assert.equal(m.unpriced, true);
  assert.equal(m.costUSD, null);
  assert.deepEqual(s.unpricedModels, ['claude-future-9']);
  const today = s.cards.find((c) => c.id === 'today')!;
  assert.equal(today.unpricedTokens, 1500);
  assert.ok(Math.abs(today.costUSD - 3) < 1e-9);
  assert.equal(s.sessions[0].costUSD, null, 'a session with an unpriced part has no total cost');
  assert.deepEqual(s.daily.unpricedDays, ['2026-03-18']);
});

test('filters narrow by source, project and model; options still list everything', () => {
  const facts = [
    fact('2026-03-17T13:00:00Z', { input: 1_000_000 }),
    fact('2026-03-17T14:00:00Z', { source: 'codex', model: 'gpt-5-codex', project: '/home/ana/api', input: 1_000_000 }),
    fact('2026-03-17T15:00:00Z', { project: '-evil', input: 1_000_000, branch: 'feat/<b>' }),
  ];
  const s = buildSnapshot(input(facts, { filters: { ...DEFAULT_FILTERS, source: 'claude' } }));
  assert.equal(s.cards.find((c) => c.id === 'all')!.requests, 2);
  assert.deepEqual(s.projects.map((p) => p.label).sort(), ['/home/ana/shop', '<img src=x onerror=alert(1)>']);
  assert.equal(s.filterOptions.projects.length, 3);
  const p = buildSnapshot(input(facts, { filters: { ...DEFAULT_FILTERS, project: '/home/ana/api' } }));
  assert.equal(p.sessions.length, 1);
  assert.equal(p.sessions[0].source, 'codex');
  assert.ok(Math.abs(p.sessions[0].costUSD! - 1.25) < 1e-9);
});

test('custom range resolves days, sessions carry branches, duration and models', () => {
  const facts = [
    fact('2026-01-10T15:00:00Z', { session: 'x', input: 100, branch: 'dev' }),
    fact('2026-01-10T16:20:00Z', { session: 'x', input: 100, model: 'claude-opus-4-6', branch: 'main' }),
    fact('2026-01-20T15:00:00Z', { session: 'y', input: 100 }),
  ];
  const s = buildSnapshot(input(facts, { filters: { ...DEFAULT_FILTERS, range: 'custom', sinceDay: '2026-01-15', untilDay: '2026-01-01' } }));
  assert.equal(s.rangeFromDay, '2026-01-01');
  assert.equal(s.rangeToDay, '2026-01-15');
  assert.equal(s.sessions.length, 1);
  const x = s.sessions[0];
  assert.deepEqual(x.branches, ['dev', 'main']);
  assert.equal(x.durationMs, 80 * 60 * 1000);
  assert.deepEqual(x.models, ['claude-opus-4-6', 'claude-sonnet-4-5-20250929']);
  assert.equal(x.costUSD, null, 'opus-4-6 is not in the stub table');
});

test('cost by project keeps the top 10 and one "other" slice', () => {
  const facts = Array.from({ length: 13 }, (_, i) => fact('2026-03-16T15:00:00Z', { project: `p${i}`, input: (i + 1) * 1_000_000 }));
  const s = buildSnapshot(input(facts));
  assert.equal(s.costByProject.length, 11);
  assert.equal(s.costByProject[0].label, 'p12');
  const other = s.costByProject[10];
  assert.equal(other.label, 'other');
  assert.ok(Math.abs(other.value - (1 + 2 + 3) * 3) < 1e-9);
});

test('empty database gives the empty state with the searched roots', () => {
  const s = buildSnapshot(input([]));
  assert.deepEqual(s.empty?.searched, [{ source: 'claude', dirs: ['/home/ana/.claude/projects'] }, { source: 'codex', dirs: ['/home/ana/.codex'] }]);
  assert.equal(s.cards.find((c) => c.id === 'all')!.fromDay, null);
  assert.equal(s.heatmap.peak, null);
});

test('a throwing price function marks facts unpriced instead of crashing', () => {
  const s = buildSnapshot(input([fact('2026-03-18T13:00:00Z', { input: 10 })], { cost: () => { throw new Error('bad table'); } }));
  assert.equal(s.models[0].unpriced, true);
});

test('insights: anomalous day, comparisons at the same elapsed time, budget bars, Codex quota reset', () => {
  const facts: Fact[] = [];
  // $3 (1M sonnet input) at 12:00 New York on each of the 20 days before today, plus $30 on 2026-03-10
  for (let i = 1; i <= 20; i++) {
    const d = new Date(Date.parse('2026-03-18T16:00:00Z') - i * 86_400_000).toISOString().slice(0, 10);
    facts.push(fact(`${d}T16:00:00Z`, { input: 1_000_000, session: `d${i}` }));
  }
  facts.push(fact('2026-03-10T17:00:00Z', { input: 9_000_000, session: 'big' }));
  // today 10:00 New York: $6; yesterday 10:00 counts for the comparison, yesterday 12:00 (after "now" = 11:00) does not
  facts.push(fact('2026-03-18T14:00:00Z', { input: 2_000_000, session: 't' }));
  facts.push(fact('2026-03-17T14:00:00Z', { input: 500_000, session: 'y' }));
  const budgets = { dailyUsd: 4, weeklyUsd: null, monthlyUsd: 100, projectsMonthlyUsd: { shop: 10 }, billingCycleStartDay: 15 };
  const s = buildSnapshot(input(facts, {
    settings: { ...settings, budgets },
    rateLimits: [
      { observedMs: NOW - 3_600_000, primary: { usedPercent: 80, windowMinutes: 300, resetsAtMs: NOW - 60_000 }, secondary: { usedPercent: 30, windowMinutes: 10080, resetsAtMs: NOW + 86_400_000 }, planType: null, limitId: null },
    ],
  }));
  assert.deepEqual(s.anomalies!.filter((a) => a.kind === 'day').map((a) => a.key), ['2026-03-10']);
  const day = s.comparisons!.find((c) => c.id === 'day')!;
  assert.ok(Math.abs(day.currentUSD - 6) < 1e-9);
  assert.ok(Math.abs(day.previousUSD - 1.5) < 1e-9, String(day.previousUSD));
  assert.ok(Math.abs(day.changeRatio! - 3) < 1e-9);
  assert.equal(day.direction, 'up');
  const daily = s.budgets!.find((b) => b.id === 'daily')!;
  assert.ok(Math.abs(daily.ratio - 1.5) < 1e-9);
  // billing cycle from the 15th: the 15th, 16th, 17th ($3 + $3 + $3 + $1.50) and today ($6)
  const monthly = s.budgets!.find((b) => b.id === 'monthly')!;
  assert.ok(Math.abs(monthly.spentUSD - 16.5) < 1e-9, String(monthly.spentUSD));
  // project budget "shop" matches the display path /home/ana/shop by its last folder name
  assert.ok(Math.abs(s.budgets!.find((b) => b.id === 'project:shop')!.spentUSD - 16.5) < 1e-9);
  assert.equal(s.codexQuota!.primaryNow, 0, 'a window whose reset time passed shows as reset');
  assert.equal(s.codexQuota!.secondaryNow, 30);
});

test('heatmap in local weekday and hour (Kathmandu +05:45); the peak sentence is the core rule, in tokens when nothing is priced', () => {
  // Friday 2026-03-06 08:30Z = 14:15 local Friday ($3: 1M sonnet input); 20:00Z Friday = 01:45 local Saturday ($1)
  const facts = [fact('2026-03-06T08:30:00Z', { input: 1_000_000 }), fact('2026-03-06T20:00:00Z', { input: 333_333 })];
  const s = buildSnapshot(input(facts, { settings: { ...settings, timeZone: 'Asia/Kathmandu' }, filters: { ...DEFAULT_FILTERS, range: 'all' } }));
  const cell = (weekday: number, hour: number) => s.heatmap.costUSD[s.heatmap.weekdays.indexOf(weekday)][hour];
  assert.ok(Math.abs(cell(5, 14) - 3) < 1e-9);
  assert.ok(Math.abs(cell(6, 1) - 0.999999) < 1e-9);
  assert.equal(s.heatmap.peak, 'Most of your spend is 14:00–15:00 on weekdays (75%).');
  const unpriced = buildSnapshot(input(facts, { settings: { ...settings, timeZone: 'Asia/Kathmandu' }, filters: { ...DEFAULT_FILTERS, range: 'all' }, cost: () => null }));
  assert.equal(unpriced.heatmap.peak, 'Most of your usage is 14:00–15:00 on weekdays (75%).');
});

test('cache economics in the range: savings at the fact\'s own price, writes by TTL, daily hit ratio, a hint for idle re-writes', () => {
  const facts = [
    // one session writing 200k tokens to the 5-minute cache, reading 2M from it, then again after a 40-minute pause
    fact('2026-03-18T13:00:00Z', { session: 'w', input: 1_000, cacheWrite5m: 200_000, cacheRead: 2_000_000 }),
    fact('2026-03-18T13:45:00Z', { session: 'w', input: 1_000, cacheWrite5m: 200_000, cacheWrite1h: 10_000 }),
  ];
  const s = buildSnapshot(input(facts));
  const c = s.cache!;
  assert.ok(Math.abs(c.savedUSD! - 2_000_000 * (3 - 0.3) / 1e6) < 1e-9); // $5.40
  assert.ok(Math.abs(c.write5mUSD! - 400_000 * 3.75 / 1e6) < 1e-9);
  assert.ok(Math.abs(c.write1hUSD! - 10_000 * 6 / 1e6) < 1e-9);
  assert.equal(c.dailyHitRatio.length, s.daily.labels.length);
  assert.ok(Math.abs(c.dailyHitRatio[c.dailyHitRatio.length - 1]! - 2_000_000 / 2_412_000) < 1e-12);
  // the 1-hour writes after a 40-minute pause are not re-writes (that cache was still warm); the 5-minute ones are
  assert.ok(c.hints.some((h) => h.startsWith('1 session re-wrote 200k tokens of cache after idle gaps > 5 min: ~$0.75')), c.hints.join('\n'));
  assert.equal(buildSnapshot(input(facts, { cost: () => null })).cache!.savedUSD, null);
});

/** GLM-4.6 through Claude Code's compatible endpoint: its tokens have a price, its 7 + 5 searches none. */
const glmWithUnpricedSearches = () => [
  fact('2026-03-18T13:00:00Z', { model: 'glm-4.6', input: 1000, output: 400, webSearch: 7, session: 'g' }),
  fact('2026-03-18T13:20:00Z', { model: 'glm-4.6', input: 800, output: 100, webSearch: 5, session: 'g' }),
  fact('2026-03-18T13:40:00Z', { model: 'glm-4.6', input: 500, output: 50, session: 'g' }),
];

test('with the price table, the unpriced models say which are unpriced only for their web searches, by the report rows\' rule', async () => {
  const { createPriceTable } = await import('../../../src/core/pricing/priceTable');
  const { costOf } = await import('../../../src/core/pricing/costOf');
  const table = createPriceTable();
  const facts = [
    ...glmWithUnpricedSearches(),
    // a model with no price at all (searches or not)
    fact('2026-03-18T14:00:00Z', { model: 'claude-future-9', input: 1000, output: 500, webSearch: 2, session: 'u' }),
  ];
  const real = input(facts, { cost: (t, f) => costOf(t, f.model, f.tier, table), prices: table });
  const s = buildSnapshot(real);
  assert.deepEqual(s.unpricedModels, ['claude-future-9', 'glm-4.6']);
  assert.deepEqual(s.unpricedWebSearches, [{ model: 'glm-4.6', searches: 12 }], 'the 12 searches of the unpriced buckets; the other model has no price at all');
  // without a price table none is known (the footer names the models alone)
  assert.deepEqual(buildSnapshot(input(facts, { cost: real.cost })).unpricedWebSearches, []);
});

test('the model table\'s unpriced rows say when their web searches are the only reason, per source and model, by the same rule', async () => {
  const { createPriceTable } = await import('../../../src/core/pricing/priceTable');
  const { costOf } = await import('../../../src/core/pricing/costOf');
  const table = createPriceTable();
  const facts = [
    ...glmWithUnpricedSearches(),
    // the same model through OpenCode without searches: priced, no badge
    fact('2026-03-18T13:50:00Z', { source: 'opencode', model: 'glm-4.6', input: 500, output: 50, session: 'o' }),
    // a model with no price at all, searches or not: the generic reason
    fact('2026-03-18T14:00:00Z', { model: 'claude-future-9', input: 1000, output: 500, webSearch: 2, session: 'u' }),
  ];
  const real = input(facts, { cost: (t, f) => costOf(t, f.model, f.tier, table), prices: table });
  const rows = (s: ReturnType<typeof buildSnapshot>) =>
    Object.fromEntries(s.models.map((m) => [`${m.source} ${m.model}`, { unpriced: m.unpriced, searches: m.unpricedWebSearches }]));
  assert.deepEqual(rows(buildSnapshot(real)), {
    'claude glm-4.6': { unpriced: true, searches: 12 },
    'opencode glm-4.6': { unpriced: false, searches: undefined },
    'claude claude-future-9': { unpriced: true, searches: undefined },
  });
  // without a price table none is known: every unpriced row keeps the generic reason
  assert.equal(buildSnapshot(input(facts, { cost: real.cost })).models.find((m) => m.model === 'glm-4.6' && m.source === 'claude')!.unpricedWebSearches, undefined);
});
