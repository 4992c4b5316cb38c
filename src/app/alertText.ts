import type { Alert, AlertKind } from '../core/limits/alerts';
import { en } from '../shared/i18n/messages.en';
import { englishTranslator, type MessageKey, type Translator } from './i18n/translator';
import { localizeCountdown, localizeWindowLabel } from './i18n/durations';

/**
 * A notification's text in the display language: the alert's string-table key and arguments (`Alert.text`, set by
 * the core rules), else its English `message` (an alert without a known key is shown as the core wrote it).
 */
/** An alert rule's name in the display language (English: app/alerts/history.ts `ruleLabel`). */
export function ruleText(rule: AlertKind, t: Translator = englishTranslator): string {
  return t(`alertRule.${rule}` as MessageKey);
}

export function alertText(a: Pick<Alert, 'message' | 'text'>, t: Translator = englishTranslator): string {
  if (!a.text || !Object.hasOwn(en, a.text.key)) return a.message;
  // the core wrote countdowns and window names in its compact English form: in the display language here
  const args: Record<string, string | number> = { ...a.text.args };
  for (const k of ['countdown', 'inTime']) if (typeof args[k] === 'string') args[k] = localizeCountdown(args[k] as string, t);
  if (typeof args.label === 'string') args.label = localizeWindowLabel(args.label, t);
  return t(a.text.key as MessageKey, args);
}
