/**
 * The webview's string table: the dashboard's strings in the display language, handed over by the host in the page
 * (`<script type="application/json" id="agentmeter-strings">`, see host/dashboard/html.ts), English
 * (shared/i18n/dashboard.en.ts) for any key the host did not send. Every user-visible text of the webview goes
 * through `t` (scripts/check-l10n.mjs fails on an English literal elsewhere in src/webview).
 */
import { dashboardEn, type DashboardKey } from '../shared/i18n/dashboard.en';
import { formatMessage, type MessageArgs } from '../shared/i18n/format';

export const STRINGS_ELEMENT_ID = 'agentmeter-strings';

let table: Record<string, string> = { ...dashboardEn };

/** Replaces the table (string values only; unknown keys ignored). */
export function setStrings(strings: unknown): void {
  const next: Record<string, string> = { ...dashboardEn };
  if (strings && typeof strings === 'object') {
    for (const [k, v] of Object.entries(strings as Record<string, unknown>)) {
      if (typeof v === 'string' && Object.hasOwn(dashboardEn, k)) next[k] = v;
    }
  }
  table = next;
}

/** Reads the table the host put into the page (English when there is none or it does not parse). */
export function loadStringsFromPage(doc: Document = document): void {
  const el = doc.getElementById(STRINGS_ELEMENT_ID);
  if (!el?.textContent) return;
  try {
    setStrings(JSON.parse(el.textContent));
  } catch {
    /* keep English */
  }
}

export function t(key: DashboardKey, args?: MessageArgs): string {
  return formatMessage(table[key] ?? dashboardEn[key], args);
}
