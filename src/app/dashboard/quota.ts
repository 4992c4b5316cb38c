/**
 * The dashboard's Codex quota: the 7-day timeline of the rate-limit samples Codex writes into its own
 * `token_count` events (real values, not estimates), and the values to show now. What "now" shows comes from the
 * core's `codexQuota` (src/core/limits/codexQuota.ts), the same rule as the status bar: a window whose reset time
 * has passed, or (no reset time logged) whose whole length has passed since it was observed, shows as reset (0 %).
 */
import { codexQuota } from '../../core/limits/codexQuota';
import type { RateLimitSnapshot } from '../../core/types';
import type { CodexQuota } from '../../shared/protocol';

const TIMELINE_MS = 7 * 24 * 3600 * 1000;

export function codexQuotaView(samples: readonly RateLimitSnapshot[], nowMs: number): CodexQuota | null {
  const sorted = samples.filter((s) => s && Number.isFinite(s.observedMs)).slice().sort((a, b) => a.observedMs - b.observedMs);
  if (sorted.length === 0) return null;
  const newest = sorted[sorted.length - 1];
  const windows = codexQuota(newest, nowMs)?.windows ?? [];
  const primary = windows.find((w) => w.slot === 'primary');
  const secondary = windows.find((w) => w.slot === 'secondary');
  return {
    points: sorted.filter((s) => s.observedMs >= nowMs - TIMELINE_MS).map((s) => ({
      observedMs: s.observedMs, primaryPercent: s.primary?.usedPercent ?? null, secondaryPercent: s.secondary?.usedPercent ?? null,
    })),
    primaryWindowMinutes: newest.primary?.windowMinutes ?? null,
    secondaryWindowMinutes: newest.secondary?.windowMinutes ?? null,
    primaryNow: primary?.usedPercent ?? null,
    secondaryNow: secondary?.usedPercent ?? null,
    primaryResetsAtMs: primary && !primary.isStale ? primary.resetsAtMs : null,
    secondaryResetsAtMs: secondary && !secondary.isStale ? secondary.resetsAtMs : null,
  };
}
