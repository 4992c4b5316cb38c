import type { ClaudeCallTokens } from './records';

/**
 * Which copy of a Claude call is kept (formats note A.4, ccusage v20's rule): the non-sidechain copy, then the one
 * with the largest input + output + cache writes + cache reads (streaming copies carry a placeholder output_tokens,
 * the final copy is the largest); of equals inside a file the one already kept, and across files the one of the
 * first (project, session) in path order (`isEqualCopy`, claudeDedup.ts) — ccusage v20 sorts files by path and keeps
 * the first, and the index then does not depend on the order it read the files in (newest first on a first index,
 * as they change afterwards). Used inside a file (collapseCopies.ts) and across files and refreshes (claudeDedup.ts).
 */
export function isBetterCopy(candidate: ClaudeCallTokens, candidateSidechain: boolean, kept: ClaudeCallTokens, keptSidechain: boolean): boolean {
  if (candidateSidechain !== keptSidechain) return keptSidechain;
  return callTotal(candidate) > callTotal(kept);
}

/** Neither copy is better than the other: the same sidechain flag and the same total. */
export function isEqualCopy(candidate: ClaudeCallTokens, candidateSidechain: boolean, kept: ClaudeCallTokens, keptSidechain: boolean): boolean {
  return candidateSidechain === keptSidechain && callTotal(candidate) === callTotal(kept);
}

function callTotal(t: ClaudeCallTokens): number {
  return t.input + t.output + t.cw5m + t.cw1h + t.cacheRead;
}
