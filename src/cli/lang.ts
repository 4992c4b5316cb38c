/**
 * The CLI's display language: `--lang en|zh-CN` (also `--lang=…`), else the POSIX locale variables in their order of
 * precedence (LC_ALL, then LC_MESSAGES, then LANG; `C`/`POSIX`/empty say nothing). Chinese for any zh* locale,
 * English otherwise. Read before the arguments are parsed, so the help and the usage errors are in it too.
 */
import { createTranslator, resolveLanguage, type Translator } from '../app/i18n/translator';

export class BadLangError extends Error {
  constructor(readonly value: string) {
    super(`--lang must be en or zh-CN (got "${value}")`);
  }
}

/** The `--lang` value of argv, if any (undefined when absent; '' when given without a value). */
function langArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--lang') return argv[i + 1] ?? '';
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}

/** A locale such as `zh-CN` / `en` from argv and the environment (`en` when nothing says otherwise). */
export function cliLocale(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const arg = langArg(argv);
  if (arg !== undefined) {
    if (!/^(en|zh)([-_][A-Za-z0-9]+)*$/i.test(arg.trim())) throw new BadLangError(arg);
    return resolveLanguage(arg) === 'zh-cn' ? 'zh-CN' : 'en';
  }
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const v = env[name]?.trim();
    if (!v || v === 'C' || v === 'POSIX' || v.startsWith('C.')) continue;
    return resolveLanguage(v) === 'zh-cn' ? 'zh-CN' : 'en';
  }
  return 'en';
}

export function cliTranslator(argv: readonly string[], env: NodeJS.ProcessEnv): Translator {
  return createTranslator(cliLocale(argv, env));
}
