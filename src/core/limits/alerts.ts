import type { BudgetStatus } from './budgets';
import { cloneAlertState, type AlertState } from './alertState';

/**
 * Budget notifications, exactly once per period per threshold:
 * - a threshold fires the first time an evaluation finds it crossed in a period; repeated evaluations in the same
 *   period fire nothing more for it; a new period (new id in the key) starts again;
 * - when several thresholds are crossed at once (e.g. 0 % → 85 %), one notification is shown for the highest and
 *   all of them are marked as fired;
 * - a scope the user suppressed ("Don't show again this period") fires nothing until its period ends.
 * Also the status-bar level: `error` at ≥ 100 % of any budget, `warning` at the first configured threshold at or
 * above 80 % (80 % when none is configured there), else `none`.
 */
export type AlertKind = 'budget' | 'codexQuota' | 'claudeProjection' | 'anomaly';
export type AlertSeverity = 'info' | 'warning' | 'error';

export interface Alert {
  kind: AlertKind;
  /** fired-state key: scope + threshold */
  key: string;
  /** suppression scope, pass to `suppressScope` for "Don't show again this period" */
  scope: string;
  severity: AlertSeverity;
  /** percent, null for the Claude projection alert (an unusual day: 100, its bound) */
  threshold: number | null;
  /**
   * percent of the limit used when it fired (a budget's spend, a Codex window's use, the Claude block's projection
   * — or its use once the limit is reached); null when unknown
   */
  value: number | null;
  message: string;
  /** the message as a string-table key and its arguments, for the display language (app/alertText.ts) */
  text?: AlertText;
}

/** `key` names a template of the app's string tables (`alert.*`); `args` fill it. */
export interface AlertText {
  key: string;
  args: Record<string, string | number>;
}

export interface AlertEvaluation {
  fire: Alert[];
  /** the state to persist (a copy; the input is not modified) */
  state: AlertState;
}

export function severityFor(thresholdPct: number): AlertSeverity {
  return thresholdPct >= 100 ? 'error' : thresholdPct >= 80 ? 'warning' : 'info';
}

/** Scope of a budget in its current period, e.g. `budget:monthly:month:2026-03-01`. */
export function budgetScope(s: BudgetStatus): string {
  return `budget:${s.budgetId}:${s.period.id}`;
}

function budgetName(s: BudgetStatus): string {
  if (s.project !== undefined) return `Project budget "${s.project}"`;
  return s.kind === 'day' ? 'Daily budget' : s.kind === 'week' ? 'Weekly budget' : 'Monthly budget';
}

const usd = (v: number) => `$${v.toFixed(2)}`;

export function evaluateBudgetAlerts(statuses: readonly BudgetStatus[], state: AlertState, nowMs: number): AlertEvaluation {
  const next = cloneAlertState(state);
  const fire: Alert[] = [];
  for (const s of statuses) {
    const scope = budgetScope(s);
    const fresh = s.crossed.filter((t) => next.fired[`${scope}:${t}`] === undefined);
    if (fresh.length === 0) continue;
    for (const t of fresh) next.fired[`${scope}:${t}`] = nowMs;
    if (next.suppressed[scope] !== undefined) continue;
    const top = fresh[fresh.length - 1];
    fire.push({
      kind: 'budget',
      key: `${scope}:${top}`,
      scope,
      severity: severityFor(top),
      threshold: top,
      value: s.fraction * 100,
      message: `${budgetName(s)}: ${usd(s.spentUsd)} of ${usd(s.limitUsd)} spent (${Math.floor(s.fraction * 100 + 1e-6)}%), past ${top}%.`,
      text: {
        key: s.project !== undefined ? 'alert.budget.project' : `alert.budget.${s.kind}`,
        args: { project: s.project ?? '', spent: usd(s.spentUsd), limit: usd(s.limitUsd), pct: Math.floor(s.fraction * 100 + 1e-6), top },
      },
    });
  }
  return { fire, state: next };
}

export type StatusLevel = 'none' | 'warning' | 'error';

/** Colour level of the status bar from the budgets' progress fractions. */
export function statusBarLevel(fractions: readonly number[], thresholds: readonly number[] = [50, 80, 100]): StatusLevel {
  const warnAt = [...thresholds].filter((t) => Number.isFinite(t) && t >= 80 && t < 100).sort((a, b) => a - b)[0] ?? 80;
  let level: StatusLevel = 'none';
  for (const f of fractions) {
    if (!Number.isFinite(f)) continue;
    if (f >= 1 - 1e-9) return 'error';
    if (f * 100 >= warnAt - 1e-9) level = 'warning';
  }
  return level;
}
