/**
 * Codex quota timeline from the rate-limit samples Codex writes into its own `token_count` events.
 * These are real values (not estimates). A window whose reset time has passed is shown as reset (0%), not with
 * its old value.
 */
import type { RateLimitSnapshot } from '../../core/types';
import type { CodexQuota } from '../../shared/protocol';

const TIMELINE_MS = 7 * 24 * 3600 * 1000;

export function codexQuota(samples: readonly RateLimitSnapshot[], nowMs: number): CodexQuota | null {
  const sorted = samples.filter((s) => s && Number.isFinite(s.observedMs)).slice().sort((a, b) => a.observedMs - b.observedMs);
  if (sorted.length === 0) return null;
  const newest = sorted[sorted.length - 1];
  const now = (w: RateLimitSnapshot['primary']) => (w === null ? null : w.resetsAtMs !== null && w.resetsAtMs <= nowMs ? 0 : w.usedPercent);
  const resets = (w: RateLimitSnapshot['primary']) => (w === null || w.resetsAtMs === null || w.resetsAtMs <= nowMs ? null : w.resetsAtMs);
  return {
    points: sorted.filter((s) => s.observedMs >= nowMs - TIMELINE_MS).map((s) => ({
      observedMs: s.observedMs, primaryPercent: s.primary?.usedPercent ?? null, secondaryPercent: s.secondary?.usedPercent ?? null,
    })),
    primaryWindowMinutes: newest.primary?.windowMinutes ?? null,
    secondaryWindowMinutes: newest.secondary?.windowMinutes ?? null,
    primaryNow: now(newest.primary),
    secondaryNow: now(newest.secondary),
    primaryResetsAtMs: resets(newest.primary),
    secondaryResetsAtMs: resets(newest.secondary),
  };
}
