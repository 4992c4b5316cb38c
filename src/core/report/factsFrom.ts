import type { Fact } from '../types';

/** Index of the first fact whose bucket starts at or after `ms`, in facts ordered by bucket (binary search). */
export function firstFactAtOrAfter(facts: readonly Fact[], ms: number): number {
  let lo = 0;
  let hi = facts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (facts[mid]!.bucketStartMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
