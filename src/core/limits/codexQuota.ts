import type { RateLimitSnapshot, RateLimitWindow } from '../types';

/**
 * Codex's real quota, read from its own logs (formats.md B.3–B.4): every `token_count` event carries
 * `rate_limits.primary` (the 5-hour window, 300 min) and `secondary` (weekly, 10080 min) with `used_percent`,
 * `window_minutes` and `resets_at`. Every field is optional; either window may be null (e.g. `limit_id:"premium"`
 * lines), and free plans show a single 10080-minute primary window.
 * Rules applied here: take the newest snapshot across files; a window whose reset time has passed is shown as
 * reset (0 %), never with its old value.
 */
export type QuotaSlot = 'primary' | 'secondary';

export interface CodexQuotaWindow {
  slot: QuotaSlot;
  /** "5h", "weekly", or a length made from the minutes ("30d", "2h", "45m"); "window" when unknown */
  label: string;
  /** 0–100; 0 when stale */
  usedPercent: number;
  /** the value as logged, before staleness was applied */
  loggedPercent: number;
  windowMinutes: number | null;
  /** epoch ms, null when unknown */
  resetsAtMs: number | null;
  /** true when the window has certainly rolled over since the snapshot (see `isWindowStale`) */
  isStale: boolean;
}

export interface CodexQuota {
  observedMs: number;
  planType: string | null;
  limitId: string | null;
  windows: CodexQuotaWindow[];
}

/** Label of a window length: 300 → "5h", 10080 → "weekly", else days/hours/minutes. */
export function windowLabel(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes) || minutes <= 0) return 'window';
  if (minutes === 300) return '5h';
  if (minutes === 10080) return 'weekly';
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${Math.round(minutes)}m`;
}

/** The newest usable snapshot (largest `observedMs`); null/garbage entries are ignored. */
export function newestSnapshot(
  snapshots: readonly (RateLimitSnapshot | null | undefined)[],
): RateLimitSnapshot | null {
  let best: RateLimitSnapshot | null = null;
  for (const s of snapshots) {
    if (!s || typeof s !== 'object' || !Number.isFinite(s.observedMs)) continue;
    if (!best || s.observedMs > best.observedMs) best = s;
  }
  return best;
}

/**
 * A window is stale when its reset time has passed, or — when no reset time was logged — when a whole window
 * length has passed since the snapshot was observed (it must have reset in between).
 */
export function isWindowStale(w: RateLimitWindow, observedMs: number, nowMs: number): boolean {
  if (w.resetsAtMs !== null && Number.isFinite(w.resetsAtMs)) return w.resetsAtMs <= nowMs;
  if (w.windowMinutes !== null && Number.isFinite(w.windowMinutes) && w.windowMinutes > 0) {
    return observedMs + w.windowMinutes * 60_000 <= nowMs;
  }
  return false;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function toWindow(slot: QuotaSlot, raw: unknown, observedMs: number, nowMs: number): CodexQuotaWindow | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Partial<Record<keyof RateLimitWindow, unknown>>;
  const used = num(r.usedPercent);
  if (used === null) return null;
  const w: RateLimitWindow = {
    usedPercent: Math.min(100, Math.max(0, used)),
    windowMinutes: num(r.windowMinutes),
    resetsAtMs: num(r.resetsAtMs),
  };
  const stale = isWindowStale(w, observedMs, nowMs);
  return {
    slot,
    label: windowLabel(w.windowMinutes),
    usedPercent: stale ? 0 : w.usedPercent,
    loggedPercent: w.usedPercent,
    windowMinutes: w.windowMinutes,
    resetsAtMs: w.resetsAtMs,
    isStale: stale,
  };
}

/**
 * The quota to show now, from the newest of `snapshots` (one per file, or the stored newest). Null when there is
 * no snapshot or neither window has a usable `usedPercent`.
 */
export function codexQuota(
  snapshots: RateLimitSnapshot | readonly (RateLimitSnapshot | null | undefined)[] | null | undefined,
  nowMs: number,
): CodexQuota | null {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots as RateLimitSnapshot | null | undefined];
  const snap = newestSnapshot(list);
  if (!snap) return null;
  const windows: CodexQuotaWindow[] = [];
  const p = toWindow('primary', snap.primary, snap.observedMs, nowMs);
  const s = toWindow('secondary', snap.secondary, snap.observedMs, nowMs);
  if (p) windows.push(p);
  if (s) windows.push(s);
  if (windows.length === 0) return null;
  return {
    observedMs: snap.observedMs,
    planType: typeof snap.planType === 'string' ? snap.planType : null,
    limitId: typeof snap.limitId === 'string' ? snap.limitId : null,
    windows,
  };
}

/**
 * Countdown text for a duration: "now" (≤ 0), "<1m", "45m", "2h 05m", "3d 4h". Seconds are rounded up to the
 * next minute so a countdown never reads "0m" before the reset.
 */
export function formatCountdown(msLeft: number): string {
  if (!Number.isFinite(msLeft) || msLeft <= 0) return 'now';
  if (msLeft < 60_000) return '<1m';
  const totalMin = Math.ceil(msLeft / 60_000);
  const days = Math.floor(totalMin / 1440);
  const hours = Math.floor((totalMin % 1440) / 60);
  const mins = totalMin % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(mins).padStart(2, '0')}m`;
  return `${mins}m`;
}

/** Time-to-reset text of a window ("resets in 2h 05m"); "reset" when stale; "" when the reset time is unknown. */
export function resetCountdown(w: CodexQuotaWindow, nowMs: number): string {
  if (w.isStale) return 'reset';
  if (w.resetsAtMs === null) return '';
  return `resets in ${formatCountdown(w.resetsAtMs - nowMs)}`;
}
