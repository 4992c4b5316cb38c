import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RateLimitSnapshot } from '../../../src/core/types';
import { codexQuota } from '../../../src/core/limits/codexQuota';
import { codexQuotaView } from '../../../src/app/dashboard/quota';

const NOW = Date.parse('2026-02-24T09:50:00Z');
const MIN = 60_000;

/** Shaped like parsed `token_count` rate_limits (formats.md B.3/B.4); older Codex builds log no `resets_at`. */
function sample(observedMs: number, primary: RateLimitSnapshot['primary'], secondary: RateLimitSnapshot['secondary']): RateLimitSnapshot {
  return { observedMs, primary, secondary, planType: 'plus', limitId: 'codex' };
}

test('the dashboard shows the same quota as the status bar: a window without reset time reads as reset once its length has passed', () => {
  const samples = [
    sample(NOW - 9 * 60 * MIN, { usedPercent: 20, windowMinutes: 300, resetsAtMs: null }, { usedPercent: 10, windowMinutes: 10080, resetsAtMs: null }),
    // newest: 6 h ago, no reset times logged; the 5-hour window must have rolled over since, the weekly one not
    sample(NOW - 6 * 60 * MIN, { usedPercent: 55, windowMinutes: 300, resetsAtMs: null }, { usedPercent: 12, windowMinutes: 10080, resetsAtMs: null }),
  ];
  const view = codexQuotaView(samples, NOW)!;
  const bar = codexQuota(samples, NOW)!;
  assert.deepEqual([view.primaryNow, view.secondaryNow], bar.windows.map((w) => w.usedPercent));
  assert.equal(view.primaryNow, 0);
  assert.equal(view.secondaryNow, 12);
  assert.equal(view.primaryResetsAtMs, null);
  assert.deepEqual(view.points.map((p) => p.primaryPercent), [20, 55], 'the timeline keeps the logged values');
});

test('reset times in the future are shown; samples older than 7 days leave the timeline; no samples, no quota', () => {
  const resets = NOW + 135 * MIN;
  const samples = [
    sample(NOW - 8 * 24 * 60 * MIN, { usedPercent: 90, windowMinutes: 300, resetsAtMs: NOW - 7 * 24 * 60 * MIN }, null),
    sample(NOW - 5 * MIN, { usedPercent: 42, windowMinutes: 300, resetsAtMs: resets }, null),
  ];
  const view = codexQuotaView(samples, NOW)!;
  assert.equal(view.primaryNow, 42);
  assert.equal(view.primaryResetsAtMs, resets);
  assert.equal(view.secondaryNow, null);
  assert.equal(view.points.length, 1);
  assert.equal(codexQuotaView([], NOW), null);
});
