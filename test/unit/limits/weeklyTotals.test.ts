import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weeklyTotals } from '../../../src/core/limits/weeklyTotals';
import type { BlockLike } from '../../../src/core/limits/blockLike';
import { costOf, fact, usdFact } from './fixtures';

// Sunday 2026-03-15 20:00 in Los Angeles (UTC-7 after the 8 March DST change) = Monday 03:00Z
const now = Date.parse('2026-03-16T03:00:00Z');

function block(startIso: string, isGap = false): BlockLike {
  const startMs = Date.parse(startIso);
  return { startMs, endMs: startMs + 5 * 3_600_000, actualEndMs: isGap ? null : startMs + 60_000, isGap, isActive: false, tokens: 1, costUsd: 0, requests: 1 };
}

const facts = [
  usdFact('2026-03-16T02:00:00Z', 4), // Sun 19:00 local: this week (Monday start), though Monday in UTC
  usdFact('2026-03-09T08:00:00Z', 2), // Mon 01:00 local (PDT): this week
  usdFact('2026-03-09T06:45:00Z', 1), // Sun 23:45 local: last week
  fact({ at: '2026-02-25T18:00:00Z', input: 1000, output: 2000, cacheRead: 500_000 }), // two weeks ago: $0.183
  fact({ at: '2026-03-10T18:00:00Z', model: 'claude-future-9', input: 10, output: 40 }), // unpriced, this week
  usdFact('2026-02-01T18:00:00Z', 50), // before the four weeks shown
];

test('weekly totals follow the local week start across DST; plan tokens are input + output; unpriced kept apart', () => {
  const w = weeklyTotals(facts, costOf, [block('2026-03-09T08:00:00Z'), block('2026-03-09T06:00:00Z'), block('2026-03-12T00:00:00Z', true)], { timeZone: 'America/Los_Angeles', weekStart: 1 }, now, 4);
  assert.deepEqual(w.map((x) => x.period.id), ['week:2026-02-16', 'week:2026-02-23', 'week:2026-03-02', 'week:2026-03-09']);
  const [, , lastWeek, thisWeek] = w;
  assert.ok(Math.abs(thisWeek.costUsd - 6) < 1e-4, String(thisWeek.costUsd));
  assert.equal(thisWeek.unpricedTokens, 50);
  assert.equal(thisWeek.blocks, 1, 'the gap block is not counted');
  assert.ok(Math.abs(lastWeek.costUsd - 1) < 1e-4);
  assert.equal(lastWeek.blocks, 1);
  assert.equal(lastWeek.tokens, Math.round((1 / 15) * 1e6));
  assert.equal(w[1].tokens, 3000, 'cache reads are not plan tokens');
  assert.ok(Math.abs(w[1].costUsd - 0.183) < 1e-9);
  assert.equal(w[0].costUsd, 0);
  assert.equal(w[0].requests, 0);
});

test('count is clamped and the current week is always last', () => {
  const one = weeklyTotals(facts, costOf, [], { timeZone: 'UTC', weekStart: 0 }, now, 0);
  assert.equal(one.length, 1);
  assert.equal(one[0].period.id, 'week:2026-03-15');
  assert.ok(Math.abs(one[0].costUsd - 4) < 1e-4);
});
