/**
 * `agentmeter report --format md|html|xlsx|pdf`: the report document of issue 17 §2, built by the application's
 * report model (src/app/reports) from the same index, facts and price table as `--format json`, written to
 * `--out` through a temp file and a rename (md and html without --out go to stdout).
 */
import type { PriceTable } from '../core/pricing/priceTable';
import { isCorruptDatabaseError } from '../core/store/persist';
import type { Logger } from '../core/types';
import { gatherReportData, type ReportData } from '../app/reports/gather';
import { buildReport } from '../app/reports/model';
import { resolvePeriod } from '../app/reports/period';
import { loadRenderers } from '../app/reports/loadRenderers';
import { writeReportFile } from '../app/reports/writeReportFile';
import { englishTranslator, type Translator } from '../app/i18n/translator';
import { reportedSources, type DocumentFormat, type ReportArgs } from './args';
import { openCliIndex, type OpenedCliIndex } from './openIndex';

async function readData(args: ReportArgs, log: Logger, period: ReturnType<typeof resolvePeriod>, corrupt?: string): Promise<ReportData> {
  let opened: OpenedCliIndex | undefined;
  try {
    opened = await openCliIndex(args, log, process.env, { corrupt });
    return gatherReportData(opened.db, period, { sources: reportedSources(args) });
  } catch (e) {
    const fromFile = opened ? opened.fromFile : !args.noCache;
    // damage found on first use: moved aside and rebuilt from the logs, once (as runReport does)
    if (!corrupt && fromFile && isCorruptDatabaseError(e)) return readData(args, log, period, `database is unreadable (${e instanceof Error ? e.message : String(e)})`);
    throw e;
  } finally {
    try {
      opened?.db.close();
    } catch {
      /* closed already */
    }
  }
}

/** The document is in the CLI's language (`t`: `--lang`, else LANG/LC_ALL/LC_MESSAGES). */
export async function runDocumentReport(
  args: ReportArgs,
  format: DocumentFormat,
  log: Logger,
  prices: PriceTable,
  overridden: boolean,
  nowMs: number,
  t: Translator = englishTranslator,
): Promise<string> {
  const spec = args.period
    ? { preset: args.period }
    : args.since !== undefined || args.until !== undefined
      ? { preset: 'custom' as const, since: args.since, until: args.until }
      : { preset: 'all' as const };
  const period = resolvePeriod(spec, nowMs, args.timeZone, args.weekStart, t);
  const data = await readData(args, log, period);
  const doc = buildReport(data, {
    template: args.template ?? 'summary',
    period,
    scope: { sources: reportedSources(args) },
    timeZone: args.timeZone,
    weekStart: args.weekStart,
    prices,
    pricesOverridden: overridden,
    nowMs,
    t,
  });
  const bytes = await loadRenderers().renderReport(doc, format, { fontFile: args.pdfFont });
  if (!args.out) return bytes.toString('utf8');
  await writeReportFile(args.out, bytes);
  log.info(t('report.cli.wrote', { template: doc.templateLabel.toLowerCase(), format, path: args.out }));
  return '';
}
