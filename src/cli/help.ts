import { SOURCE_DEFS } from '../core/sources/registry';
import { englishTranslator, type Translator } from '../app/i18n/translator';

const SOURCES = SOURCE_DEFS.map((s) => `  ${s.id.padEnd(13)}${s.label}`).join('\n');

/** `agentmeter --help` text in the CLI's language (the sources listed from the registry). */
export function helpText(t: Translator = englishTranslator): string {
  return t('cli.help', { sources: SOURCES });
}
