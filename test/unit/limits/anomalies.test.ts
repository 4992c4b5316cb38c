import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anomalousDays, unusualSessions } from '../../../src/core/limits/anomalies';
import { dailyCosts } from '../../../src/core/limits/dailySeries';
import { dayKeyRange as dayRange } from '../../../src/core/report/tz';
import { costOf, fact, usdFact } from './fixtures';

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('dailyCosts buckets facts into local days (Kathmandu +05:45)', () => {
  const facts = [usdFact('2026-03-01T18:00:00Z', 2), usdFact('2026-03-01T18:15:00Z', 3), fact({ at: '2026-03-01T19:00:00Z', model: 'unknown-model', output: 1000 })];
  const d = dailyCosts(facts, costOf, 'Asia/Kathmandu');
  assert.deepEqual([...d.keys()].sort(), ['2026-03-01', '2026-03-02']);
  assert.ok(Math.abs(d.get('2026-03-02')! - 3) < 1e-4);
  assert.deepEqual(dayRange('2026-02-27', '2026-03-02'), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
});

test('a spike after two months of ordinary work days is found; ordinary days are not', () => {
  const r = rng(7);
  const daily = new Map<string, number>();
  const days = dayRange('2026-01-05', '2026-03-06');
  days.forEach((k, i) => {
    const weekday = new Date(`${k}T12:00:00Z`).getUTCDay();
    const cost = weekday === 0 || weekday === 6 ? (r() < 0.5 ? 0 : 1 + r() * 2) : 8 + r() * 6;
    if (cost > 0) daily.set(k, cost);
    if (i === 50) daily.set(k, 61.4); // a runaway agent loop
  });
  const found = anomalousDays(daily);
  const spikeDay = days[50];
  assert.ok(found.some((a) => a.day === spikeDay), 'spike flagged');
  assert.ok(found.length <= 2, `few false alarms (${found.map((a) => a.day)})`);
  const a = found.find((x) => x.day === spikeDay)!;
  // independent check of the baseline: the 30 days before the spike
  const prior = dayRange(days[20], days[49]).map((k) => daily.get(k) ?? 0);
  const mean = prior.reduce((s, v) => s + v, 0) / 30;
  assert.ok(Math.abs(a.mean - mean) < 1e-9);
  assert.equal(a.baselineDays, 30);
  assert.ok(a.threshold > a.mean && a.costUsd > a.threshold);
});

test('days without usage count as $0 in the window', () => {
  // 7 usage days spread over 4 weeks: mean over 28 days is $2.50, σ ≈ 4.43 → threshold ≈ $11.36
  const daily = new Map<string, number>();
  const vals = [8, 12, 8, 12, 8, 12, 10];
  const days = dayRange('2026-02-01', '2026-02-28');
  vals.forEach((v, i) => {
    daily.set(days[i * 4], v);
  });
  daily.set('2026-03-01', 12.5);
  const found = anomalousDays(daily);
  assert.deepEqual(found.map((a) => a.day), ['2026-03-01']); // with usage days only (mean 10, σ 1.85) it would not be
  assert.equal(found[0].baselineDays, 28);
  assert.ok(Math.abs(found[0].mean - 2.5) < 1e-9);
});

test('no judgement without 7 prior days with data; the window starts at the first usage day', () => {
  const six = new Map<string, number>(dayRange('2026-02-01', '2026-02-06').map((k) => [k, 10]));
  six.set('2026-02-07', 500);
  assert.deepEqual(anomalousDays(six), []);
  // 7 days of history right before: $11.50 is within mean 10 + 2σ (σ ≈ 0.93); counting the idle days
  // before the first use as $0 would have flagged it
  const seven = new Map<string, number>([9, 11, 9, 11, 9, 11, 10].map((v, i) => [dayRange('2026-02-01', '2026-02-07')[i], v]));
  seven.set('2026-02-08', 11.5);
  assert.deepEqual(anomalousDays(seven), []);
  seven.set('2026-02-08', 12);
  assert.deepEqual(anomalousDays(seven).map((a) => a.day), ['2026-02-08']);
});

test('sessions with unusual cost per request, linked by source + session id', () => {
  const facts = [];
  const r = rng(3);
  for (let s = 0; s < 14; s++) {
    // ordinary Sonnet sessions: ~40 requests each, cached context
    facts.push(fact({ at: Date.UTC(2026, 2, 1 + s, 9), session: `sess-${s}`, input: 400, output: 20_000 + Math.round(r() * 8_000), cacheRead: 1_200_000 + Math.round(r() * 400_000), cacheWrite5m: 60_000, requests: 40 }));
  }
  // an Opus session re-writing a big uncached context on every request
  facts.push(fact({ at: Date.UTC(2026, 2, 20, 9), session: 'opus-rewrites', model: 'claude-opus-4-6', input: 30_000, output: 40_000, cacheWrite1h: 2_400_000, requests: 24 }));
  // too few requests to judge, and an unpriced session
  facts.push(fact({ at: Date.UTC(2026, 2, 21, 9), session: 'tiny', model: 'claude-opus-4-6', output: 60_000, cacheWrite1h: 900_000, requests: 2 }));
  facts.push(fact({ at: Date.UTC(2026, 2, 22, 9), session: 'mystery', model: 'claude-next', output: 900_000, requests: 30 }));
  facts.push(fact({ at: Date.UTC(2026, 2, 22, 9), session: 'gpt', model: 'gpt-5.3-codex', input: 200_000, cacheRead: 3_000_000, output: 30_000, requests: 35 }));
  const found = unusualSessions(facts, costOf);
  assert.deepEqual(found.map((s) => `${s.source}/${s.session}`), ['claude/opus-rewrites']);
  const o = found[0];
  assert.ok(Math.abs(o.costUsd - costOf(facts[14])!) < 1e-9);
  assert.equal(o.requests, 24);
  assert.ok(o.costPerRequest > o.threshold);
  assert.deepEqual(unusualSessions(facts.slice(0, 3), costOf), []); // too few sessions for a baseline
});
