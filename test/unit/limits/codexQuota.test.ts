import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RateLimitSnapshot } from '../../../src/core/types';
import { codexQuota, formatCountdown, newestSnapshot, resetCountdown, windowLabel } from '../../../src/core/limits/codexQuota';

const T = Date.parse('2026-02-24T09:50:09.455Z');
const MIN = 60_000;

/** Shaped like a parsed token_count event's rate_limits (formats.md B.3/B.4): resets_at is epoch seconds → ms. */
function snap(observedMs: number, primaryPct: number, secondaryPct: number, primaryReset: number, secondaryReset: number): RateLimitSnapshot {
  return {
    observedMs,
    primary: { usedPercent: primaryPct, windowMinutes: 300, resetsAtMs: Math.floor(primaryReset / 1000) * 1000 },
    secondary: { usedPercent: secondaryPct, windowMinutes: 10080, resetsAtMs: Math.floor(secondaryReset / 1000) * 1000 },
    planType: 'plus',
    limitId: 'codex',
  };
}

test('takes the newest snapshot across files, not the first or the largest', () => {
  const fileA = snap(T - 40 * MIN, 71, 30, T + 100 * MIN, T + 3 * 86_400_000);
  const fileB = snap(T - 5 * MIN, 42, 31, T + 135 * MIN, T + 3 * 86_400_000);
  const fileC = snap(T - 90 * MIN, 12, 28, T + 50 * MIN, T + 3 * 86_400_000);
  assert.equal(newestSnapshot([fileA, null, fileB, undefined, fileC]), fileB);
  const q = codexQuota([fileA, fileB, fileC], T)!;
  assert.equal(q.observedMs, fileB.observedMs);
  assert.deepEqual(q.windows.map((w) => [w.label, w.usedPercent, w.isStale]), [['5h', 42, false], ['weekly', 31, false]]);
  assert.equal(q.planType, 'plus');
  assert.equal(q.limitId, 'codex');
});

test('a window whose reset time has passed is shown as reset (0 %), the other keeps its value', () => {
  const s = snap(T - 6 * 60 * MIN, 97, 64, T - 60 * MIN, T + 2 * 86_400_000);
  const q = codexQuota(s, T)!;
  const [p, w] = q.windows;
  assert.equal(p.isStale, true);
  assert.equal(p.usedPercent, 0);
  assert.equal(p.loggedPercent, 97);
  assert.equal(resetCountdown(p, T), 'reset');
  assert.equal(w.isStale, false);
  assert.equal(w.usedPercent, 64);
  assert.equal(resetCountdown(w, T), 'resets in 2d 0h');
  // one second before the reset it is still live
  const live = codexQuota(s, T - 60 * MIN - 1000)!;
  assert.equal(live.windows[0].usedPercent, 97);
  assert.equal(live.windows[0].isStale, false);
});

test('without resets_at a window is stale once a whole window length has passed since it was observed', () => {
  const s: RateLimitSnapshot = {
    observedMs: T, primary: { usedPercent: 55, windowMinutes: 300, resetsAtMs: null }, secondary: null, planType: null, limitId: null,
  };
  assert.equal(codexQuota(s, T + 299 * MIN)!.windows[0].usedPercent, 55);
  assert.equal(codexQuota(s, T + 300 * MIN)!.windows[0].isStale, true);
  assert.equal(resetCountdown(codexQuota(s, T)!.windows[0], T), '');
});

test('tolerates null windows, missing fields, other window lengths and garbage', () => {
  const premium: RateLimitSnapshot = { observedMs: T, primary: null, secondary: null, planType: 'pro', limitId: 'premium' };
  assert.equal(codexQuota(premium, T), null);
  assert.equal(codexQuota(null, T), null);
  assert.equal(codexQuota([], T), null);
  const free = {
    observedMs: T,
    primary: { usedPercent: 12.5, windowMinutes: 10080, resetsAtMs: T + 86_400_000 },
    secondary: { windowMinutes: 43200 }, // no used percent: dropped
  } as unknown as RateLimitSnapshot;
  const q = codexQuota(free, T)!;
  assert.equal(q.windows.length, 1);
  assert.equal(q.windows[0].label, 'weekly');
  assert.equal(q.planType, null);
  const odd = { observedMs: T, primary: { usedPercent: 140, windowMinutes: 43200, resetsAtMs: null }, secondary: { usedPercent: Number.NaN } } as unknown as RateLimitSnapshot;
  const q2 = codexQuota(odd, T)!;
  assert.deepEqual(q2.windows.map((w) => [w.label, w.usedPercent]), [['30d', 100]]);
});

test('window labels and countdown text', () => {
  assert.equal(windowLabel(300), '5h');
  assert.equal(windowLabel(10080), 'weekly');
  assert.equal(windowLabel(43200), '30d');
  assert.equal(windowLabel(120), '2h');
  assert.equal(windowLabel(45), '45m');
  assert.equal(windowLabel(null), 'window');
  assert.equal(formatCountdown(-5), 'now');
  assert.equal(formatCountdown(30_000), '<1m');
  assert.equal(formatCountdown(44 * MIN + 1), '45m');
  assert.equal(formatCountdown(125 * MIN), '2h 05m');
  assert.equal(formatCountdown((3 * 24 + 4) * 60 * MIN), '3d 4h');
});
