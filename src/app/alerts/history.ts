import type { Alert, AlertKind, AlertSeverity } from '../../core/limits/alerts';

/**
 * The alert history: every notification AgentMeter raised, newest last, capped at `HISTORY_CAP` entries (the
 * oldest dropped first). Kept as one small JSON file in the extension's global storage (`historyFile.ts`), shared
 * by the windows; only the writer window evaluates alerts, so only it appends.
 */
export const HISTORY_CAP = 500;
export const ALERT_RULES: readonly AlertKind[] = ['budget', 'codexQuota', 'claudeProjection', 'anomaly'];
const RULE_LABELS: Record<AlertKind, string> = {
  budget: 'Budget',
  codexQuota: 'Codex quota',
  claudeProjection: 'Claude plan limit',
  anomaly: 'Unusual spend',
};

export function ruleLabel(rule: AlertKind): string {
  return RULE_LABELS[rule];
}

const SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'error'];

export interface AlertHistoryEntry {
  /** when it fired, epoch ms */
  timeMs: number;
  /** the rule that raised it (the alert's kind) */
  rule: AlertKind;
  severity: AlertSeverity;
  /** percent of the limit used when it fired; null when unknown */
  value: number | null;
  /** percent crossed (the Claude projection: 100, the plan limit) */
  threshold: number | null;
  message: string;
  /** the alert's fired-state key (budget/window/block and threshold) */
  key: string;
  /** the message as a string-table key and arguments (core `Alert.text`): shown in the display language */
  text?: { key: string; args: Record<string, string | number> };
}

export function entryFromAlert(a: Alert, timeMs: number): AlertHistoryEntry {
  return {
    timeMs,
    rule: a.kind,
    severity: a.severity,
    value: a.value,
    threshold: a.threshold ?? (a.kind === 'claudeProjection' ? 100 : null),
    message: a.message,
    key: a.key,
    ...(a.text ? { text: a.text } : {}),
  };
}

const finiteOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A stored `text` ({ key, args } of strings and numbers), as `{ text }`; null when there is none or it is not one. */
function readText(raw: unknown): { text: NonNullable<AlertHistoryEntry['text']> } | null {
  if (!raw || typeof raw !== 'object') return null;
  const { key, args } = raw as { key?: unknown; args?: unknown };
  if (typeof key !== 'string' || !args || typeof args !== 'object') return null;
  const clean: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(args)) if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) clean[k] = v;
  return { text: { key, args: clean } };
}

/** One stored entry, or null when it is not one (a hand-edited or damaged file loses only that entry). */
export function readEntry(raw: unknown): AlertHistoryEntry | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  const timeMs = finiteOrNull(o.timeMs);
  if (timeMs === null || !ALERT_RULES.includes(o.rule as AlertKind) || typeof o.message !== 'string') return null;
  return {
    timeMs,
    rule: o.rule as AlertKind,
    severity: SEVERITIES.includes(o.severity as AlertSeverity) ? (o.severity as AlertSeverity) : 'info',
    value: finiteOrNull(o.value),
    threshold: finiteOrNull(o.threshold),
    message: o.message,
    key: typeof o.key === 'string' ? o.key : '',
    ...(readText(o.text) ?? {}),
  };
}

/** The stored history (`{ v: 1, entries: [...] }`); anything else reads as empty. Oldest first, at most `cap`. */
export function readHistory(raw: unknown, cap = HISTORY_CAP): AlertHistoryEntry[] {
  const list = raw && typeof raw === 'object' ? (raw as { entries?: unknown }).entries : undefined;
  if (!Array.isArray(list)) return [];
  const out = list.map(readEntry).filter((e): e is AlertHistoryEntry => e !== null);
  out.sort((a, b) => a.timeMs - b.timeMs);
  return out.slice(Math.max(0, out.length - cap));
}

/** The history with `added` appended (in time order), cut to the newest `cap` entries. */
export function appendHistory(history: readonly AlertHistoryEntry[], added: readonly AlertHistoryEntry[], cap = HISTORY_CAP): AlertHistoryEntry[] {
  const all = [...history, ...added].sort((a, b) => a.timeMs - b.timeMs);
  return all.slice(Math.max(0, all.length - cap));
}

export function historyDocument(entries: readonly AlertHistoryEntry[]): { v: 1; entries: readonly AlertHistoryEntry[] } {
  return { v: 1, entries };
}
