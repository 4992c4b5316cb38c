import type { AlertHistoryRow, AlertHistoryView, AlertRuleId } from '../../shared/protocol';
import { ALERT_RULES, HISTORY_CAP, type AlertHistoryEntry } from '../alerts/history';
import { alertText, ruleText } from '../alertText';
import { englishTranslator, type Translator } from '../i18n/translator';

/** Rows the panel lists at most (the history keeps up to HISTORY_CAP). */
export const ALERT_ROWS_SHOWN = 200;

/** The dashboard's alert history: every rule with its count, and the chosen rule's entries, newest first. */
export function alertHistoryView(
  entries: readonly AlertHistoryEntry[], rule: AlertRuleId | null, maxRows = ALERT_ROWS_SHOWN, t: Translator = englishTranslator,
): AlertHistoryView {
  const chosen = entries.filter((e) => rule === null || e.rule === rule);
  const rows: AlertHistoryRow[] = [];
  for (let i = chosen.length - 1; i >= 0 && rows.length < maxRows; i--) {
    const e = chosen[i];
    rows.push({ timeMs: e.timeMs, rule: e.rule, ruleLabel: ruleText(e.rule, t), severity: e.severity, value: e.value, threshold: e.threshold, message: alertText(e, t) });
  }
  return {
    rule,
    rules: ALERT_RULES.map((id) => ({ id, label: ruleText(id, t), count: entries.filter((e) => e.rule === id).length })),
    rows,
    total: chosen.length,
    cap: HISTORY_CAP,
  };
}
