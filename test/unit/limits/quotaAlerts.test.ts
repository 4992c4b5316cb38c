import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RateLimitSnapshot } from '../../../src/core/types';
import { codexQuota } from '../../../src/core/limits/codexQuota';
import { evaluateClaudeProjectionAlert, evaluateCodexQuotaAlerts } from '../../../src/core/limits/quotaAlerts';
import { emptyAlertState, suppressScope } from '../../../src/core/limits/alertState';
import { forecastBlock } from '../../../src/core/limits/blockForecast';
import { resolvePlanLimit } from '../../../src/core/limits/plans';

const MIN = 60_000;
const T = Date.parse('2026-02-24T09:00:00Z');
const reset5h = T + 3 * 60 * MIN;

/** Codex recomputes resets_at each event, so it jitters by seconds between snapshots. */
function snap(observedMs: number, pct5h: number, jitterS = 0): RateLimitSnapshot {
  return {
    observedMs,
    primary: { usedPercent: pct5h, windowMinutes: 300, resetsAtMs: reset5h + jitterS * 1000 },
    secondary: { usedPercent: 20, windowMinutes: 10080, resetsAtMs: T + 4 * 86_400_000 },
    planType: 'plus', limitId: null,
  };
}

test('Codex quota alerts fire once at 80 and once at 95 per window, despite resets_at jitter', () => {
  let state = emptyAlertState();
  const seen: string[] = [];
  const pcts = [41, 63, 79, 81, 84, 88, 93, 96, 97, 99];
  pcts.forEach((p, i) => {
    const now = T + i * 5 * MIN;
    const r = evaluateCodexQuotaAlerts(codexQuota(snap(now, p, i * 2 - 7), now), state, now);
    state = r.state;
    seen.push(...r.fire.map((a) => `${a.threshold}:${p}`));
  });
  assert.deepEqual(seen, ['80:81', '95:96']);
  // the next 5-hour window (new reset time) alerts again
  const later = reset5h + 10 * MIN;
  const next: RateLimitSnapshot = { ...snap(later, 82), primary: { usedPercent: 82, windowMinutes: 300, resetsAtMs: reset5h + 5 * 60 * MIN } };
  const r = evaluateCodexQuotaAlerts(codexQuota(next, later), state, later);
  assert.equal(r.fire.length, 1);
  assert.match(r.fire[0].message, /Codex 5h quota at 82% \(past 80%\)\. Resets in 4h 50m\./);
});

test('a stale window never alerts, and a suppressed window stays quiet', () => {
  const old = snap(T, 97);
  assert.equal(evaluateCodexQuotaAlerts(codexQuota(old, reset5h + MIN), emptyAlertState(), reset5h + MIN).fire.length, 0);
  const first = evaluateCodexQuotaAlerts(codexQuota(snap(T, 85), T), emptyAlertState(), T);
  assert.equal(first.fire.length, 1);
  const quiet = suppressScope(first.state, first.fire[0].scope, T);
  const r = evaluateCodexQuotaAlerts(codexQuota(snap(T + MIN, 97, 3), T + MIN), quiet, T + MIN);
  assert.equal(r.fire.length, 0);
});

test('Claude projection alert: once per block, again for the next block', () => {
  const start = Date.parse('2026-03-05T10:00:00Z');
  const limit = resolvePlanLimit({ plan: 'max5' }, []);
  const block = (s: number, tokens: number) => ({ startMs: s, endMs: s + 300 * MIN, firstMs: s + 5 * MIN, actualEndMs: s + 95 * MIN, isGap: false, isActive: true, tokens, costUsd: 9, requests: 100 });
  let state = emptyAlertState();
  const now = start + 100 * MIN;
  const slow = evaluateClaudeProjectionAlert(start, forecastBlock(block(start, 9_000), limit, now), limit, state, now);
  assert.equal(slow.fire.length, 0);
  const fast = evaluateClaudeProjectionAlert(start, forecastBlock(block(start, 45_000), limit, now), limit, slow.state, now);
  assert.equal(fast.fire.length, 1);
  assert.match(fast.fire[0].message, /projected to reach the max5 limit \(estimated limit\) in 1h 26m, before it resets in 3h 20m/);
  state = fast.state;
  const again = evaluateClaudeProjectionAlert(start, forecastBlock(block(start, 50_000), limit, now + MIN), limit, state, now + MIN);
  assert.equal(again.fire.length, 0);
  const s2 = start + 360 * MIN;
  const next = evaluateClaudeProjectionAlert(s2, forecastBlock(block(s2, 45_000), limit, s2 + 100 * MIN), limit, again.state, s2 + 100 * MIN);
  assert.equal(next.fire.length, 1);
});
