import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { factAt } from '../factAt';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { summarizeStatus, type StatusInputs } from '../../../src/app/status/statusSummary';
import { buildStatusView, type StatusDisplay } from '../../../src/app/status/statusText';

/** The status summary's Claude block against the plan limit: time until the limit, and the real reset time. */

const prices = createPriceTable();
const MIN = 60_000;

const fact = (iso: string, t: Partial<TokenCounts>, lastAfterMs = MIN): Fact => factAt(iso, t, {}, lastAfterMs);

// block 10:00Z–15:00Z; entries 10:05 → 11:01 (56 min active span); 20,000 plan tokens (input + output)
const facts: Fact[] = [
  fact('2026-03-10T10:05:00Z', { input: 2000, output: 8000, cacheRead: 50_000 }),
  fact('2026-03-10T11:00:00Z', { input: 1000, output: 9000, cacheRead: 80_000 }),
];
const NOW = Date.parse('2026-03-10T12:05:00Z');

function inputs(over: Partial<StatusInputs> = {}): StatusInputs {
  return {
    facts,
    prices,
    nowMs: NOW,
    timeZone: 'UTC',
    weekStart: 1,
    billingCycleStartDay: 1,
    budgets: {},
    rateLimits: null,
    planLimit: resolvePlanLimit({ plan: 'custom', customTokens: 40_000 }, []),
    ...over,
  };
}

const display: StatusDisplay = {
  format: '{blockCost}',
  showCodexQuota: false,
  currency: { code: 'USD', rateToUsd: 1 },
  locale: 'en-GB',
  thresholds: [50, 80, 100],
  lastUpdatedMs: NOW,
  indexing: false,
};

test('time until the plan limit = remaining plan tokens / burn rate over the active span; shown with its clock time', () => {
  const s = summarizeStatus(inputs());
  assert.ok(s.block && s.blockForecast && s.planLimit);
  const span = Date.parse('2026-03-10T11:01:00Z') - Date.parse('2026-03-10T10:05:00Z');
  const perMs = 20_000 / span;
  assert.equal(s.blockForecast.tokens, 20_000, 'cache reads do not count against the plan');
  assert.ok(Math.abs(s.blockForecast.msToLimit! - 20_000 / perMs) < 1);
  assert.equal(s.blockForecast.crossesLimit, true);
  assert.equal(s.blockForecast.resetSource, 'block');
  const t = buildStatusView(s, display).tooltip;
  // 56 min from 12:05 → 13:01
  assert.match(t, /\*\*Plan limit\*\* custom: 40,000 tokens per 5 h: 50% used, projected \d+% · \$\(warning\) at this rate the limit is reached in 56m \(13:01\), before the reset/);
});

test('a limit not reached before the block ends at this rate says so; presets are labelled estimates', () => {
  const s = summarizeStatus(inputs({ planLimit: resolvePlanLimit({ plan: 'max20' }, []) }));
  assert.ok(s.blockForecast);
  assert.equal(s.blockForecast.msToLimit, null);
  const t = buildStatusView(s, display).tooltip;
  // the limit's cost formatted as every other amount of the tooltip (en-GB writes US dollars as US$)
  assert.match(t, /\*\*Plan limit\*\* max20 \\\(estimate\\\): 220,000 tokens \/ US\$140\\\.00 per 5 h: 9% used, projected \d+% · not reached before the reset at this rate/);
});

test('an API error "usage limit reached|<epoch>" in the block sets the real reset time and marks the limit reached', () => {
  const resetMs = Date.parse('2026-03-10T13:30:00Z');
  const s = summarizeStatus(inputs({ limitResets: [{ resetMs, observedMs: Date.parse('2026-03-10T11:02:00Z') }] }));
  assert.ok(s.block && s.blockForecast);
  assert.equal(s.block.usageLimitResetMs, resetMs);
  assert.equal(s.blockForecast.resetsAtMs, resetMs);
  assert.equal(s.blockForecast.limitReached, true);
  const t = buildStatusView(s, display).tooltip;
  assert.match(t, /1h 25m left \(resets 13:30\)/, 'the block countdown uses the real reset, not the 15:00 block end');
  assert.match(t, /Claude Code reported the usage limit reached in this block/);
  assert.match(t, /limit reached, resets in 1h 25m \(13:30\)/);
});

test('a reset announced outside the block is ignored; no plan limit known means no plan line', () => {
  const s = summarizeStatus(inputs({ limitResets: [{ resetMs: NOW - 3_600_000, observedMs: NOW - 6 * 3_600_000 }] }));
  assert.equal(s.block?.usageLimitResetMs, null);
  assert.equal(s.blockForecast?.resetSource, 'block');
  assert.match(buildStatusView(s, display).tooltip, /2h 55m left \(resets 15:00\)/);
  const none = summarizeStatus(inputs({ planLimit: resolvePlanLimit({ plan: 'auto' }, []) }));
  assert.equal(none.planLimit, null);
  assert.equal(none.blockForecast, null);
  assert.doesNotMatch(buildStatusView(none, display).tooltip, /Plan limit/);
});
