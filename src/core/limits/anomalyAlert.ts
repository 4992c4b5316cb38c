import type { Alert, AlertEvaluation } from './alerts';
import type { DayAnomaly } from './anomalies';
import { cloneAlertState, type AlertState } from './alertState';

/**
 * The unusual-day notification: the current local day's running cost is above the dashboard's anomaly bound
 * (`anomalousDays`, core/limits/anomalies.ts: the trailing 30 days' mean + 2σ). Once per day: the first evaluation
 * that finds the day unusual fires, later ones that day fire nothing (the key holds the day); "Don't show again this
 * period" mutes the rest of the day. `anomaly` is null when the day is not unusual (or the rule is off).
 * Recorded like the others: value = the day's cost as a percent of the bound, threshold = 100.
 */
export function anomalyScope(day: string): string {
  return `anomaly:day:${day}`;
}

const usd = (v: number) => `$${v.toFixed(2)}`;

export function evaluateAnomalyAlert(anomaly: DayAnomaly | null | undefined, state: AlertState, nowMs: number): AlertEvaluation {
  if (!anomaly || !(anomaly.threshold > 0)) return { fire: [], state };
  const scope = anomalyScope(anomaly.day);
  if (state.fired[scope] !== undefined) return { fire: [], state };
  const next = cloneAlertState(state);
  next.fired[scope] = nowMs;
  if (next.suppressed[scope] !== undefined) return { fire: [], state: next };
  const args = { day: anomaly.day, cost: usd(anomaly.costUsd), threshold: usd(anomaly.threshold), mean: usd(anomaly.mean), days: anomaly.baselineDays };
  const alert: Alert = {
    kind: 'anomaly',
    key: scope,
    scope,
    severity: 'warning',
    threshold: 100,
    value: (anomaly.costUsd / anomaly.threshold) * 100,
    message: `Unusual spend on ${args.day}: ${args.cost} so far, above the usual bound of ${args.threshold} (the ${args.days} days before: mean ${args.mean} + 2σ).`,
    text: { key: 'alert.anomaly.day', args },
  };
  return { fire: [alert], state: next };
}
