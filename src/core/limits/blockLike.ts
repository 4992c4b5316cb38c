import type { TokenCounts } from '../types';

/**
 * The shape of a 5-hour block the limits modules need (ccusage semantics, formats.md A.7): the block starts at
 * the first entry floored to the UTC hour, `endMs = startMs + 5 h`, `actualEndMs` is the last entry, gap blocks
 * stand for idle time > 5 h, `isActive` when now − last entry < 5 h and now < endMs.
 * `src/core/report/blocks.ts` produces the real blocks; callers map them to this shape.
 */
export interface BlockLike {
  startMs: number;
  endMs: number;
  /** first entry time (start of the burn-rate span); `startMs` when absent */
  firstMs?: number;
  /** last entry time; null for gap blocks */
  actualEndMs: number | null;
  isGap: boolean;
  isActive: boolean;
  /** tokens counted against plan limits — see `planTokens` */
  tokens: number;
  /** null when any of the block is unpriced */
  costUsd: number | null;
  requests: number;
}

/**
 * Tokens counted against a Claude plan limit: input + output. Cache reads and writes are left out, as in
 * Claude-Code-Usage-Monitor, whose per-block limits (19k / 88k / 220k) would be exceeded by a single cached
 * Claude Code request otherwise.
 */
export function planTokens(t: Pick<TokenCounts, 'input' | 'output'>): number {
  return t.input + t.output;
}
