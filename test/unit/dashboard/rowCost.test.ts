import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowsCost } from '../../../src/app/dashboard/rowCost';
import { enrich } from '../../../src/app/dashboard/enrich';
import { comparePeriods } from '../../../src/core/limits/comparisons';
import { unusualSessions } from '../../../src/core/limits/anomalies';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { zoneClock } from '../../../src/core/report/tz';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { fact } from '../report/facts';

/**
 * `rowsCost` answers each fact's cost from its row (what the dashboard passes the core's rules instead of a map over
 * every fact): the same answers as a map, whether the rules walk the facts in order, once per period, out of order,
 * or over rows that are not in bucket order (the rows per session), and null for a fact that is not among them.
 */
const table = createPriceTable();
const cost = (t: TokenCounts, f: Fact) => costOf(t, f.model, f.tier, table);
const clock = zoneClock('Europe/Berlin');

/** Two weeks of calls of three sessions, several per 15-minute bucket, one of a model without a price. */
function facts(): Fact[] {
  const out: Fact[] = [];
  const start = Date.parse('2026-04-01T07:00:00Z');
  for (let i = 0; i < 600; i++) {
    const ms = start + i * 31 * 60_000 + (i % 3) * 1000;
    out.push(fact(new Date(ms).toISOString(), {
      session: `s${i % 3}`, project: i % 2 ? '-home-ana-shop' : '-home-ana-api',
      model: i % 50 === 7 ? 'some-model-without-price' : i % 4 ? 'claude-sonnet-4-5-20250929' : 'claude-opus-4-1-20250805',
      input: 10 + i, output: 100 + 7 * i, cacheRead: 1000 * (i % 9), cacheWrite5m: 50 * (i % 5), requests: 1 + (i % 3),
    }));
    // a second fact in the same bucket (another session)
    if (i % 5 === 0) out.push(fact(new Date(ms + 2000).toISOString(), { session: 's9', input: 3, output: 40 }));
  }
  return out.sort((a, b) => a.bucketStartMs - b.bucketStartMs);
}

test('rowsCost gives every fact its row\'s cost in order, per period, out of order and over unsorted rows; null for others', () => {
  const rows = enrich(facts(), clock, cost);
  const expected = new Map(rows.map((r) => [r.f, r.cost]));
  assert.ok(rows.some((r) => r.cost === null), 'an unpriced fact is among them');
  for (const order of [rows, [...rows].reverse(), rows.filter((_, i) => i % 7 !== 3).sort((a, b) => a.f.session.localeCompare(b.f.session))]) {
    const { facts: fs, cost: c } = rowsCost(order);
    assert.deepEqual(fs, order.map((r) => r.f));
    // in order, twice (two folds), then every third one, then backwards
    for (let pass = 0; pass < 2; pass++) for (const f of fs) assert.equal(c(f), expected.get(f));
    for (let i = 0; i < fs.length; i += 3) assert.equal(c(fs[i]), expected.get(fs[i]));
    for (let i = fs.length - 1; i >= 0; i--) assert.equal(c(fs[i]), expected.get(fs[i]));
    // a fact not among the rows (an equal copy is another fact)
    assert.equal(c({ ...fs[0] }), null);
  }
});

test('the core rules priced through rowsCost give the figures they give with a map of every fact', () => {
  const rows = enrich(facts(), clock, cost);
  const map = new Map(rows.map((r) => [r.f, r.cost]));
  const byMap = (f: Fact) => map.get(f) ?? null;
  const now = Date.parse('2026-04-10T12:00:00Z');
  const opts = { timeZone: 'Europe/Berlin', weekStart: 1, billingCycleStartDay: 1 };
  const r = rowsCost(rows);
  assert.deepEqual(comparePeriods(r.facts, r.cost, now, opts), comparePeriods(r.facts, byMap, now, opts));
  const bySession = [...rows].sort((a, b) => a.f.session.localeCompare(b.f.session));
  const s = rowsCost(bySession);
  const sessions = unusualSessions(s.facts, s.cost, { minSessions: 2 });
  assert.deepEqual(sessions, unusualSessions(s.facts, byMap, { minSessions: 2 }));
  assert.ok(comparePeriods(r.facts, r.cost, now, opts).some((c) => c.current.costUsd > 0));
});
