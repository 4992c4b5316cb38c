import type { CodexQuota } from './codexQuota';
import { formatCountdown } from './codexQuota';
import type { BlockForecast } from './blockForecast';
import type { PlanLimit } from './plans';
import { cloneAlertState, type AlertState } from './alertState';
import { severityFor, type Alert, type AlertEvaluation } from './alerts';

/**
 * Quota notifications.
 * - Codex: once per window instance per threshold (default 80 / 95 %). A window instance is identified by its
 *   reset time; Codex recomputes `resets_at` on every event, so reset times within 15 minutes of an already fired
 *   one count as the same window. Stale windows never alert.
 * - Claude: once per 5-hour block (keyed by block start) when the projection reaches the plan limit before the
 *   block resets, or an API error said the limit was reached.
 */
export const CODEX_QUOTA_THRESHOLDS: readonly number[] = [80, 95];
const SAME_WINDOW_MS = 15 * 60_000;

/**
 * The anchor (reset time) under which this window instance was recorded before, when one lies within
 * SAME_WINDOW_MS of `anchor`; else `anchor` itself. Keys look like `codex:primary:5h@<resetMs>[:<threshold>]`.
 */
function knownAnchor(state: AlertState, prefix: string, anchor: number): number {
  for (const rec of [state.suppressed, state.fired]) {
    for (const k of Object.keys(rec)) {
      if (!k.startsWith(`${prefix}@`)) continue;
      const v = Number(k.slice(prefix.length + 1).split(':')[0]);
      if (Number.isFinite(v) && Math.abs(v - anchor) <= SAME_WINDOW_MS) return v;
    }
  }
  return anchor;
}

export function evaluateCodexQuotaAlerts(
  quota: CodexQuota | null,
  state: AlertState,
  nowMs: number,
  thresholds: readonly number[] = CODEX_QUOTA_THRESHOLDS,
): AlertEvaluation {
  const next = cloneAlertState(state);
  const fire: Alert[] = [];
  if (!quota) return { fire, state: next };
  const ts = [...thresholds].filter((t) => Number.isFinite(t) && t > 0).sort((a, b) => a - b);
  for (const w of quota.windows) {
    if (w.isStale) continue;
    // no reset time: identify the window instance by the window-length slot the snapshot falls in
    const windowMs = (w.windowMinutes ?? 300) * 60_000;
    const anchor: number = w.resetsAtMs ?? Math.floor(quota.observedMs / windowMs) * windowMs + windowMs;
    const prefix = `codex:${w.slot}:${w.label}`;
    const scope = `${prefix}@${knownAnchor(next, prefix, anchor)}`;
    const fresh = ts.filter((t) => w.usedPercent >= t && next.fired[`${scope}:${t}`] === undefined);
    if (fresh.length === 0) continue;
    for (const t of fresh) next.fired[`${scope}:${t}`] = nowMs;
    if (next.suppressed[scope] !== undefined) continue;
    const top = fresh[fresh.length - 1];
    const resetText = w.resetsAtMs === null ? '' : ` Resets in ${formatCountdown(w.resetsAtMs - nowMs)}.`;
    fire.push({
      kind: 'codexQuota',
      key: `${scope}:${top}`,
      scope,
      severity: top >= 95 ? 'error' : severityFor(top),
      threshold: top,
      value: w.usedPercent,
      message: `Codex ${w.label} quota at ${Math.round(w.usedPercent)}% (past ${top}%).${resetText}`,
      text: w.resetsAtMs === null
        ? { key: 'alert.codexQuota', args: { label: w.label, pct: Math.round(w.usedPercent), top } }
        : { key: 'alert.codexQuotaResets', args: { label: w.label, pct: Math.round(w.usedPercent), top, countdown: formatCountdown(w.resetsAtMs - nowMs) } },
    });
  }
  return { fire, state: next };
}

const pctOrNull = (f: number | null): number | null => (f === null || !Number.isFinite(f) ? null : f * 100);

export function evaluateClaudeProjectionAlert(
  blockStartMs: number,
  forecast: BlockForecast,
  limit: PlanLimit,
  state: AlertState,
  nowMs: number,
): AlertEvaluation {
  const next = cloneAlertState(state);
  const scope = `claude-projection:${blockStartMs}`;
  if (!forecast.crossesLimit || next.fired[scope] !== undefined) return { fire: [], state: next };
  next.fired[scope] = nowMs;
  if (next.suppressed[scope] !== undefined) return { fire: [], state: next };
  const est = limit.isEstimate ? ' (estimated limit)' : '';
  const message = forecast.limitReached
    ? `Claude usage limit reached${est}. Resets in ${formatCountdown(forecast.resetsAtMs - nowMs)}.`
    : `Claude 5-hour block is projected to reach the ${limit.plan} limit${est}` +
      (forecast.msToLimit !== null ? ` in ${formatCountdown(forecast.msToLimit)}` : '') +
      `, before it resets in ${formatCountdown(forecast.resetsAtMs - nowMs)}.`;
  const args = { plan: limit.plan, countdown: formatCountdown(forecast.resetsAtMs - nowMs), inTime: forecast.msToLimit !== null ? formatCountdown(forecast.msToLimit) : '' };
  const key = `alert.claude.${forecast.limitReached ? 'reached' : forecast.msToLimit !== null ? 'projectedIn' : 'projected'}${limit.isEstimate ? 'Estimated' : ''}`;
  return {
    fire: [{
      kind: 'claudeProjection', key: scope, scope, severity: forecast.limitReached ? 'error' : 'warning', threshold: null,
      value: pctOrNull(forecast.limitReached ? forecast.usedFraction : forecast.projectedFraction), message, text: { key, args },
    }],
    state: next,
  };
}
