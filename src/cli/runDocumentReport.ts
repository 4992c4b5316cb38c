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
  const period = cliPeriod(args, nowMs, t);
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
  return emitDocument(doc, format, args, log, t);
}

/** The report's period from the CLI's options: --period, else --since/--until (a custom range), else all time. */
export function cliPeriod(
  a: Pick<ReportArgs, 'period' | 'since' | 'until' | 'timeZone' | 'weekStart'>,
  nowMs: number,
  t: Translator,
): ReturnType<typeof resolvePeriod> {
  const spec = a.period
    ? { preset: a.period }
    : a.since !== undefined || a.until !== undefined
      ? { preset: 'custom' as const, since: a.since, until: a.until }
      : { preset: 'all' as const };
  return resolvePeriod(spec, nowMs, a.timeZone, a.weekStart, t);
}

/** Renders the document; writes it to --out (temp file, rename) and returns '', or returns md/html text for stdout. */
export async function emitDocument(
  doc: ReturnType<typeof buildReport>,
  format: DocumentFormat,
  a: { out?: string; pdfFont?: string },
  log: Logger,
  t: Translator,
): Promise<string> {
  const bytes = await loadRenderers().renderReport(doc, format, { fontFile: a.pdfFont });
  if (!a.out) return bytes.toString('utf8');
  await writeReportFile(a.out, bytes);
  log.info(t('report.cli.wrote', { template: doc.templateLabel.toLowerCase(), format, path: a.out }));
  return '';
}
