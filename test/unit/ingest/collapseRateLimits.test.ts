import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collapseRateLimits } from '../../../src/core/ingest/collapseRateLimits';
import { bucketOf, type RateLimitSnapshot } from '../../../src/core/types';

const snap = (iso: string, used: number, limitId: string | null = null): RateLimitSnapshot => ({
  observedMs: Date.parse(iso),
  primary: { usedPercent: used, windowMinutes: 300, resetsAtMs: Date.parse('2026-04-01T12:00:00Z') },
  secondary: { usedPercent: used / 10, windowMinutes: 10080, resetsAtMs: null },
  planType: 'pro',
  limitId,
});

/** The store's rule (apply.ts): per 15-minute bucket the newest snapshot, the first of equally new ones. */
function winners(list: RateLimitSnapshot[]): Map<number, RateLimitSnapshot> {
  const m = new Map<number, RateLimitSnapshot>();
  for (const s of list) {
    const b = bucketOf(s.observedMs);
    const cur = m.get(b);
    if (!cur || s.observedMs > cur.observedMs) m.set(b, s);
  }
  return m;
}

test('rate-limit snapshots of a file collapse to the newest per 15-minute bucket; the store keeps the same ones', () => {
  const earlier = [snap('2026-04-01T08:20:00Z', 90), snap('2026-04-01T08:44:00Z', 91)]; // an earlier file
  const file = [
    snap('2026-04-01T08:01:00Z', 10),
    snap('2026-04-01T08:14:59Z', 12, 'first'), // newest of 08:00-08:15, and tied …
    snap('2026-04-01T08:14:59Z', 13, 'second'), // … with this one: the first stays
    snap('2026-04-01T08:03:00Z', 11), // out of order: older, dropped
    snap('2026-04-01T08:16:00Z', 20),
    snap('2026-04-01T08:20:00Z', 21), // equal to the earlier file's: that one stays
    snap('2026-04-01T08:44:59Z', 22),
  ];
  const collapsed = [...file];
  collapseRateLimits(collapsed);
  assert.deepEqual(
    collapsed.map((s) => [new Date(s.observedMs).toISOString().slice(11, 19), s.primary?.usedPercent, s.limitId]),
    [
      ['08:14:59', 12, 'first'],
      ['08:20:00', 21, null],
      ['08:44:59', 22, null],
    ],
  );
  assert.deepEqual(winners([...earlier, ...collapsed]), winners([...earlier, ...file]));
  assert.equal(winners([...earlier, ...collapsed]).get(bucketOf(Date.parse('2026-04-01T08:20:00Z')))?.primary?.usedPercent, 90);
});
