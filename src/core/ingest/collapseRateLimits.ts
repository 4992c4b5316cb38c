import { bucketOf, type RateLimitSnapshot } from '../types';

/**
 * Keeps, of one file's Codex rate-limit snapshots, only those the store can keep: one per 15-minute bucket, the
 * newest in it (the first of equally new ones) — the rule apply.ts applies across files, applied early so a few
 * hundred snapshots instead of tens of thousands cross the worker boundary. Order: by bucket, first seen first.
 */
export function collapseRateLimits(snapshots: RateLimitSnapshot[]): void {
  if (snapshots.length < 2) return;
  const best = new Map<number, RateLimitSnapshot>();
  for (const s of snapshots) {
    const b = bucketOf(s.observedMs);
    const cur = best.get(b);
    if (!cur || s.observedMs > cur.observedMs) best.set(b, s);
  }
  if (best.size === snapshots.length) return;
  snapshots.length = 0;
  for (const s of best.values()) snapshots.push(s);
}
