/**
 * The persisted memory of notifications: a plain JSON object the host keeps in `globalState`.
 * `fired[key]` = when the notification with that key was shown (key = scope + threshold);
 * `suppressed[scope]` = when the user chose "Don't show again this period" for that scope.
 * Scopes carry the period id (or quota reset time, or block start), so a new period starts with a clean slate
 * and old entries are only pruned for size.
 */
export interface AlertState {
  v: 1;
  fired: Record<string, number>;
  suppressed: Record<string, number>;
}

export function emptyAlertState(): AlertState {
  return { v: 1, fired: {}, suppressed: {} };
}

function numberRecord(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/** Reads a stored state; anything malformed becomes an empty state (never throws). */
export function readAlertState(raw: unknown): AlertState {
  if (!raw || typeof raw !== 'object') return emptyAlertState();
  const r = raw as { fired?: unknown; suppressed?: unknown };
  return { v: 1, fired: numberRecord(r.fired), suppressed: numberRecord(r.suppressed) };
}

export function cloneAlertState(s: AlertState): AlertState {
  return { v: 1, fired: { ...s.fired }, suppressed: { ...s.suppressed } };
}

/** "Don't show again this period": no more notifications for `scope` (a period/window/block). */
export function suppressScope(state: AlertState, scope: string, nowMs: number): AlertState {
  const next = cloneAlertState(state);
  next.suppressed[scope] = nowMs;
  return next;
}

/** Entries older than `maxAgeMs` (default 62 days: longer than any period) are dropped to keep the state small. */
export function pruneAlertState(state: AlertState, nowMs: number, maxAgeMs = 62 * 86_400_000): AlertState {
  const keep = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, t]) => nowMs - t <= maxAgeMs));
  return { v: 1, fired: keep(state.fired), suppressed: keep(state.suppressed) };
}
