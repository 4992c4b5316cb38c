import type { IngestProgress } from './indexApi';
import { englishTranslator, type Translator } from './i18n/translator';

/** "120 / 3,400 files · 85.2 / 1,024.0 MB" for the first-index progress notification (numbers in the display language). */
export function progressMessage(p: IngestProgress, t: Translator = englishTranslator): string {
  const locale = t.language === 'zh-cn' ? 'zh-CN' : 'en-US';
  const n = (x: number) => x.toLocaleString(locale);
  const mb = (b: number) => (b / 1e6).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return t('progress.files', { done: n(p.filesDone), total: n(p.filesTotal), mbDone: mb(p.bytesDone), mbTotal: mb(p.bytesTotal) });
}
