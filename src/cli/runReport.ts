/** `agentmeter report`: index the logs, query the facts, group them (or cut 5-hour blocks) and print. */
import { agentCostBySource } from '../core/store/keyedCalls';
import { unknownUsageSessions } from '../core/store/unknownUsage';
import { SOURCE_IDS, sourceDef } from '../core/sources/registry';
import { readFileSync } from 'node:fs';
import { toCsv } from '../core/csv';
import { createPriceTable, parsePriceOverrides, PriceOverrideError, type PriceOverrides, type PriceTable } from '../core/pricing/priceTable';
import { loadCounters, loadFacts, loadLimitResets, loadProjects } from '../core/query/facts';
import { loadReportFacts } from '../core/query/reportFacts';
import { loadActivityFacts } from '../core/query/activityFacts';
import { blocksStartingIn, computeBlocksPerSource, type BlockRow } from '../core/report/blocks';
import { blockCsvColumns, reportCsvColumns } from '../core/report/csvColumns';
import { ESTIMATE_GROUPINGS, estimatedDaysIn, estimatedFacts, mergeEstimatedRows } from '../core/report/estimates';
import { groupFacts, type GroupBy, type GroupedRow } from '../core/report/group';
import { loadEstimatedDays } from '../core/query/estimatedDays';
import { totals, type ReportRow } from '../core/report/rows';
import { zoneCalendar } from '../core/report/tz';
import type { Fact, Logger } from '../core/types';
import { DOCUMENT_FORMATS, reportedSources, UsageError, type DocumentFormat, type ReportArgs } from './args';
import { runDocumentReport } from './runDocumentReport';
import { reportJson } from '../core/report/json';
import { isCorruptDatabaseError } from '../core/store/persist';
import { openCliIndex, type OpenedCliIndex } from './openIndex';
import { blocksTable, groupedTable } from './reportTable';
import { englishTranslator, type Translator } from '../app/i18n/translator';

export function readOverrides(file: string, t: Translator = englishTranslator): PriceOverrides {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(t('cli.usage.pricesUnreadable', { file }));
  }
  // editors on Windows save JSON with a UTF-8 byte order mark, which JSON.parse rejects
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return parsePriceOverrides(JSON.parse(text));
  } catch (e) {
    if (e instanceof PriceOverrideError) throw new UsageError(`--prices: ${e.message}`);
    throw new UsageError(t('cli.usage.pricesNotJson', { file }));
  }
}

/**
 * The price table with the --prices overrides. Overrides that pass the file's field checks can still be rejected
 * when the table is built (a new model without "input" and "output"): that is a usage error (one line, exit 2).
 */
export function priceTableWith(overrides: PriceOverrides | undefined, rates: Record<string, number>): PriceTable {
  try {
    return createPriceTable(overrides, rates);
  } catch (e) {
    if (e instanceof PriceOverrideError) throw new UsageError(`--prices: ${e.message.split('\n')[0]}`);
    throw e;
  }
}

interface Computed {
  rows: (GroupedRow | BlockRow)[];
  blocks: BlockRow[] | undefined;
  total: ReturnType<typeof totals>;
  counters: ReturnType<typeof loadCounters>;
  unknownUsage: Record<string, number>;
  /** the agents' own cost estimates (USD) for the range, per source that logs one */
  agentCost: Record<string, number>;
  /** with --estimates (by day, week, month, model or source): the estimated part of the rows and totals */
  estimates?: { days: number; totals: ReportRow };
}

/** An SQLite corruption error from an index read from a file (the message is SQLite's). */
class CorruptOnUse extends Error {}

async function compute(args: ReportArgs, log: Logger, prices: PriceTable, t0: number, nowMs: number, corrupt?: string, t: Translator = englishTranslator): Promise<Computed> {
  let opened: OpenedCliIndex | undefined;
  try {
    opened = await openCliIndex(args, log, process.env, { corrupt });
    return report(opened, args, log, prices, t0, nowMs, t);
  } catch (e) {
    const fromFile = opened ? opened.fromFile : !args.noCache;
    if (!corrupt && fromFile && isCorruptDatabaseError(e)) throw new CorruptOnUse(e instanceof Error ? e.message : String(e));
    throw e;
  } finally {
    try {
      opened?.db.close();
    } catch {
      /* closed already */
    }
  }
}

function report({ db, ingest }: OpenedCliIndex, args: ReportArgs, log: Logger, prices: PriceTable, t0: number, nowMs: number, t: Translator): Computed {
  const t1 = performance.now();
  log.info(
    `indexed ${ingest.filesScanned} files (${ingest.filesChanged} changed, ${(ingest.bytesRead / 1e6).toFixed(1)} MB read, ` +
      `${ingest.records} new records) in ${Math.round(t1 - t0)} ms`,
  );

  const cal = zoneCalendar(args.timeZone);
  const { sinceMs, untilMs } = cal.dayRange(args.since, args.until);
  // A source turned off (`--source`, or `--claude-dir none` / `--codex-dir none`) is left out of the report, also
  // when a --db file holds its history. 5-hour blocks are cut on all entries (a block's window depends on the
  // entries before it) and then selected by their start; other reports read only the facts of the range.
  const sources = reportedSources(args);
  // Grouped reports read the aggregates when they give the same rows (query/reportFacts.ts); blocks need 15-minute rows.
  const source = sources.length === 1 ? sources[0] : undefined;
  let facts: Fact[] = [];
  let path = 'buckets';
  if (!sources.length) facts = [];
  else if (args.by === 'block') facts = loadFacts(db, { source });
  else if (args.by === 'activity') {
    // the activity aggregate (store/usageActivity.ts): per UTC hour, source, model and tier; no project or branch
    facts = loadActivityFacts(db, { sinceMs, untilMs, sources });
    path = 'activity hours';
  } else ({ facts, path } = loadReportFacts(db, { by: args.by, timeZone: args.timeZone, sinceMs, untilMs, source }));
  // several sources but not all: the others' history in the index is left out too
  if (sources.length > 1 && sources.length < SOURCE_IDS.length) facts = facts.filter((f) => sources.includes(f.source));
  // project display paths: read when a row needs one (by project), not for every report (a DISTINCT over every dim)
  let displayPaths: Map<string, string> | undefined;
  const displayPathOf = (s: string, p: string) => {
    displayPaths ??= new Map(loadProjects(db).map((x) => [`${x.source}\u0000${x.project}`, x.displayPath]));
    return displayPaths.get(`${s}\u0000${p}`);
  };
  const counters = loadCounters(db);
  log.info(`skipped lines: ${counters.malformedLines} malformed, ${counters.duplicateLines} duplicate copies (lifetime of the index)`);
  const unknownUsage = Object.fromEntries(Object.entries(unknownUsageSessions(db)).filter(([s]) => sources.includes(s)));
  for (const [s, n] of Object.entries(unknownUsage)) log.warn(t('cli.warn.unknownUsage', { source: sourceDef(s).label, n }));
  if (counters.codexFallbackModelEvents > 0) {
    log.info(`${counters.codexFallbackModelEvents} Codex events had no model (no turn_context before them) and are priced as gpt-5`);
  }

  let rows: (GroupedRow | BlockRow)[];
  let blocks: BlockRow[] | undefined;
  let estimates: Computed['estimates'];
  const groupOptions = {
    timeZone: args.timeZone,
    weekStart: args.weekStart,
    prices,
    projectDisplayPath: displayPathOf,
  };
  if (args.by === 'block') {
    const all = computeBlocksPerSource(facts, { prices, nowMs, limitResets: loadLimitResets(db, Number.MIN_SAFE_INTEGER) });
    blocks = blocksStartingIn(all, sinceMs, untilMs);
    rows = blocks;
  } else {
    rows = groupFacts(facts, args.by, groupOptions);
  }
  // days no Claude log covers, from Claude Code's stats cache: shown (as estimates) only when asked
  if (sources.includes('claude')) {
    const est = loadEstimatedDays(db);
    for (const note of est.notes) log.info(note);
    const days = estimatedDaysIn(est.days, args.since, args.until);
    const dayCount = new Set(days.map((d) => d.date)).size;
    if (!args.estimates) {
      if (dayCount) log.warn(t('cli.warn.estimatesAvailable', { n: dayCount }));
    } else if (blocks || !ESTIMATE_GROUPINGS.has(args.by as GroupBy)) {
      if (dayCount) log.warn(t('cli.warn.estimatesBy', { n: dayCount, by: args.by }));
    } else {
      const estRows = groupFacts(estimatedFacts(days, args.timeZone), args.by as GroupBy, groupOptions);
      estimates = { days: dayCount, totals: totals(estRows) };
      rows = mergeEstimatedRows(rows as GroupedRow[], estRows, args.by as GroupBy);
    }
  }
  const total = totals(blocks ? blocks.filter((b) => !b.isGap) : rows);
  log.info(`report of ${facts.length} facts (${path}) in ${Math.round(performance.now() - t1)} ms`);
  const agentCost = Object.fromEntries([...agentCostBySource(db, sinceMs ?? Number.MIN_SAFE_INTEGER, untilMs ?? Number.MAX_SAFE_INTEGER)].filter(([s]) => sources.includes(s)));
  return { rows, blocks, total, counters, unknownUsage, agentCost, estimates };
}

const isDocumentFormat = (f: string): f is DocumentFormat => (DOCUMENT_FORMATS as readonly string[]).includes(f);

export async function runReport(args: ReportArgs, log: Logger, nowMs = Date.now(), t: Translator = englishTranslator): Promise<string> {
  const t0 = performance.now();
  const overrides = args.prices ? readOverrides(args.prices, t) : undefined;
  const prices = priceTableWith(overrides, args.rates);
  if (isDocumentFormat(args.format)) {
    return runDocumentReport(args, args.format, log, prices, !!overrides && Object.keys(overrides).length > 0, nowMs, t);
  }
  let r: Computed;
  try {
    r = await compute(args, log, prices, t0, nowMs, undefined, t);
  } catch (e) {
    // damage inside the index file shows up when its pages are first used (openIndexDatabase checks only the
    // header and the schema): the file is moved aside and the index rebuilt from the logs, once
    if (!(e instanceof CorruptOnUse)) throw e;
    r = await compute(args, log, prices, t0, nowMs, `database is unreadable (${e.message})`, t);
  }
  const { rows, blocks, total, counters, unknownUsage, agentCost, estimates } = r;

  const overridden = !!overrides && Object.keys(overrides).length > 0;
  switch (args.format) {
    case 'json':
      return reportJson({
        by: args.by,
        timezone: args.timeZone,
        rows,
        totals: total,
        skipped: { malformedLines: counters.malformedLines, duplicateLines: counters.duplicateLines },
        source: args.source,
        since: args.since,
        until: args.until,
        weekStart: args.weekStart,
        prices: { date: prices.date, overridden },
        unknownUsageSessions: unknownUsage,
        agentCostUSD: agentCost,
        estimates,
      });
    case 'csv':
      return blocks ? toCsv(blockCsvColumns(), blocks) : toCsv(reportCsvColumns({ estimated: !!estimates }), rows);
    case 'table': {
      const agentEstimates = Object.entries(agentCost).map(([s, usd]) => ({ label: sourceDef(s).label, usd }));
      const ctx = { by: args.by, timeZone: args.timeZone, priceDate: prices.date, overridden, agentEstimates, t };
      if (!rows.length) return `${t(args.since || args.until ? 'cli.noUsageInRange' : 'cli.noUsage')}\n`;
      return blocks ? blocksTable(blocks, total, ctx, nowMs) : groupedTable(rows as GroupedRow[], total, { ...ctx, estimates });
    }
  }
}
