/**
 * The display languages AgentMeter has string tables for, and how a locale (VS Code's `vscode.env.language`,
 * `LANG`/`LC_ALL`/`LC_MESSAGES`, `--lang`) maps to one: any Chinese locale (`zh`, `zh-CN`, `zh_CN.UTF-8`, `zh-Hans`,
 * `zh-TW` …) reads the zh-CN tables (the only Chinese ones), everything else English.
 * A new language: a table beside `zh-cn.ts`, one entry here and in `translator.ts`, plus its nls and bundle files.
 */
export const LANGUAGES = ['en', 'zh-cn'] as const;
export type Language = (typeof LANGUAGES)[number];

export function resolveLanguage(locale: string | undefined | null): Language {
  const l = (locale ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (l === 'zh' || l.startsWith('zh-') || l.startsWith('zh.')) return 'zh-cn';
  return 'en';
}

/** The BCP 47 tag for `Intl` of a POSIX locale value (`zh_CN.UTF-8` → `zh-CN`); `C`/`POSIX`/empty → undefined. */
export function posixLocaleToBcp47(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const base = value.split(/[.@]/)[0];
  if (!base || base === 'C' || base === 'POSIX') return undefined;
  const tag = base.replace(/_/g, '-');
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}
