/**
 * The one translator of AgentMeter's own string tables (src/shared/i18n): `createTranslator(locale)` gives
 * `t(key, args)` in the display language (VS Code's `vscode.env.language`, or the CLI's `--lang`/`LANG`), English
 * for any language without a table. The app layer never reads a locale itself: the host (or the CLI) passes the
 * translator, or the locale it was built from, in. The host's own notifications use `vscode.l10n.t` instead.
 */
import { formatMessage, type MessageArgs } from '../../shared/i18n/format';
import { resolveLanguage, type Language } from '../../shared/i18n/languages';
import { en, type MessageKey, type Messages } from '../../shared/i18n/messages.en';
import { dashboardEn, type DashboardKey, type DashboardStrings } from '../../shared/i18n/dashboard.en';
import { zhCn } from '../../shared/i18n/zh-cn';

export type { MessageKey, MessageArgs, Language };
export { resolveLanguage };

export type Translator = ((key: MessageKey, args?: MessageArgs) => string) & { readonly language: Language };

const TABLES: Readonly<Record<Language, Messages>> = { en, 'zh-cn': zhCn };

export function tableOf(language: Language): Messages {
  return TABLES[language];
}

export function createTranslator(locale: string | undefined | null): Translator {
  const language = resolveLanguage(locale);
  const table = TABLES[language];
  const t = (key: MessageKey, args?: MessageArgs) => formatMessage(table[key] ?? en[key] ?? key, args);
  return Object.assign(t, { language });
}

/** English, for callers that were given no translator (tests, older call sites). */
export const englishTranslator: Translator = createTranslator('en');

/** The dashboard's strings in the display language, handed to the webview by the host. */
export function dashboardStrings(locale: string | undefined | null): DashboardStrings {
  const table = TABLES[resolveLanguage(locale)];
  const out = {} as Record<DashboardKey, string>;
  for (const key of Object.keys(dashboardEn) as DashboardKey[]) out[key] = table[key];
  return out;
}
