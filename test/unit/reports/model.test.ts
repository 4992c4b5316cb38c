import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { groupFacts } from '../../../src/core/report/group';
import { totals } from '../../../src/core/report/rows';
import { TEMPLATES, parseTemplate } from '../../../src/app/reports/templates';
import { NOW, TZ, sampleData, sampleDoc } from './docFixture';

test('summary: the totals are the core report totals; days in the report zone; estimates apart', () => {
  const doc = sampleDoc('summary');
  const expected = totals(groupFacts(sampleData().facts, 'day', { timeZone: TZ, prices: createPriceTable() }));
  assert.deepEqual(doc.totals, expected);
  assert.equal(doc.totals.requests, 4);
  assert.equal(doc.totals.costUSD, null); // claude-mystery-5 has no price
  assert.ok(doc.totals.pricedCostUSD > 0);
  assert.deepEqual(doc.tables.map((t) => t.id), ['day', 'agent', 'model', 'estimated']);
  const day = doc.tables[0];
  // 23:30 UTC on the 2nd is 00:30 on the 3rd in Berlin
  assert.deepEqual(day.rows.map((r) => r[0]), ['2026-03-02', '2026-03-03', '2026-03-04']);
  assert.deepEqual(day.rows.map((r) => r[1]), [1, 2, 1]);
  assert.equal(day.total![1], 4);
  // the unpriced columns appear because a row is unpriced; the estimated day is a table of its own
  assert.deepEqual(day.columns.slice(-2).map((c) => c.header), ['Priced part (USD)', 'Unpriced tokens']);
  assert.deepEqual(doc.tables[3].rows.map((r) => r[0]), ['2026-03-01']);
  assert.ok(!day.rows.some((r) => r[0] === '2026-03-01'));
  assert.deepEqual(doc.provenance.estimatedDays, ['2026-03-01']);
  assert.deepEqual(doc.provenance.unpricedModels, ['claude-mystery-5']);
  assert.deepEqual(doc.provenance.sources.map((s) => s.id), ['claude', 'codex']);
  assert.deepEqual(doc.provenance.unknownUsage, [{ label: 'Cline', sessions: 1 }]);
  assert.equal(doc.provenance.priceTableDate, createPriceTable().date);
  assert.equal(doc.scope.allSources, true);
  assert.equal(doc.generatedAtMs, NOW);
  assert.deepEqual(doc.charts.map((c) => c.title), ['Cost by day (USD)', 'Cost by model (USD), top 8']);
});

test('every template builds its tables from the same facts', () => {
  const ids = Object.fromEntries(TEMPLATES.map((id) => [id, sampleDoc(id).tables.map((x) => x.id)]));
  assert.deepEqual(ids, {
    summary: ['day', 'agent', 'model', 'estimated'],
    project: ['project', 'estimated'],
    model: ['model', 'estimated'],
    agent: ['agent', 'agent-claude', 'agent-codex', 'estimated'],
    sessions: ['sessions', 'estimated'],
    budgets: ['budgets', 'day', 'estimated'],
  });
  for (const id of TEMPLATES) {
    const doc = sampleDoc(id);
    const main = doc.tables.find((x) => x.id !== 'budgets' && x.id !== 'estimated')!;
    const tokens = main.columns.findIndex((c) => c.header === 'Total tokens');
    const sum = main.rows.reduce((s, r) => s + (r[tokens] as number), 0);
    assert.equal(sum, doc.totals.totalTokens, `${id}: rows add up to the totals`);
  }
  const project = sampleDoc('project').tables[0];
  assert.deepEqual(project.rows.map((r) => r[0]).sort(), ['/home/ana/<b>x|y</b>', '/home/ana/shop']);
  const sessions = sampleDoc('sessions').tables[0];
  assert.deepEqual(sessions.columns.slice(0, 5).map((c) => c.kind), ['text', 'text', 'text', 'datetime', 'datetime']);
  assert.equal(sessions.rows[0][0], 'c1'); // newest first
});

test('budgets: spend per day, week and month against the limits; none set is said', () => {
  const none = sampleDoc('budgets').tables[0];
  assert.match(none.note!, /No budgets are set/);
  const doc = sampleDoc('budgets', { budgets: { dailyUsd: 0.1, weeklyUsd: null, monthlyUsd: 50 } });
  const daily = doc.tables.find((t) => t.id === 'budget-day')!;
  assert.deepEqual(daily.columns.map((c) => c.header), ['Date', 'Cost (USD)', 'Budget (USD)', 'Used', 'Over budget']);
  assert.equal(daily.rows.length, 3);
  const first = daily.rows[0];
  assert.ok(Math.abs((first[3] as number) - (first[1] as number) / 0.1) < 1e-12);
  assert.ok(!doc.tables.some((t) => t.id === 'budget-week'));
  const monthly = doc.tables.find((t) => t.id === 'budget-month')!;
  assert.deepEqual(monthly.rows.map((r) => r[0]), ['2026-03']);
  assert.equal(monthly.rows[0][4], '');
});

test('template names', () => {
  assert.equal(parseTemplate('by-project'), 'project');
  assert.equal(parseTemplate('Agents'), 'agent');
  assert.equal(parseTemplate('limits'), 'budgets');
  assert.equal(parseTemplate('yearly'), undefined);
});
