/**
 * CSV columns of report rows, shared by the CLI (`--format csv`) and the extension's export so both write the
 * same file for the same rows. Data rows only (no totals row, so spreadsheet sums stay right); times in ISO UTC.
 */
import type { CsvColumn } from '../csv';
import type { BlockRow } from './blocks';
import type { ReportRow } from './rows';
import { roundUsd } from './json';

const iso = (ms: number | null | undefined) => (ms ? new Date(ms) : null);

/**
 * The columns every CSV has (their positions are fixed: columns added later are appended after the grouping's
 * own columns so existing positions never move).
 */
function baseColumns(): CsvColumn<ReportRow>[] {
  return [
    { header: 'key', value: (r) => r.key },
    { header: 'source', value: (r) => r.source },
    { header: 'model', value: (r) => r.model },
    { header: 'requests', value: (r) => r.requests },
    { header: 'inputTokens', value: (r) => r.inputTokens },
    { header: 'outputTokens', value: (r) => r.outputTokens },
    { header: 'cacheCreationTokens', value: (r) => r.cacheCreationTokens },
    { header: 'cacheCreation5mTokens', value: (r) => r.cacheCreation5mTokens },
    { header: 'cacheCreation1hTokens', value: (r) => r.cacheCreation1hTokens },
    { header: 'cacheReadTokens', value: (r) => r.cacheReadTokens },
    { header: 'reasoningTokens', value: (r) => r.reasoningTokens },
    { header: 'totalTokens', value: (r) => r.totalTokens },
    { header: 'costUSD', value: (r) => roundUsd(r.costUSD) },
    { header: 'unpricedTokens', value: (r) => r.unpricedTokens },
    { header: 'webSearchRequests', value: (r) => r.webSearchRequests },
    { header: 'firstTimestamp', value: (r) => iso(r.firstMs) },
    { header: 'lastTimestamp', value: (r) => iso(r.lastMs) },
    { header: 'models', value: (r) => r.models.join(' ') },
    { header: 'unpricedModels', value: (r) => r.unpricedModels.join(' ') },
    { header: 'projectDisplayPath', value: (r) => r.projectDisplayPath },
  ];
}

/** The priced part of the cost (equals costUSD when nothing is unpriced), as in the JSON rows. */
const pricedCost: CsvColumn<ReportRow> = { header: 'pricedCostUSD', value: (r) => roundUsd(r.pricedCostUSD) };

/**
 * Grouped rows: the JSON row fields; `isoWeek` is filled for weeks starting on Monday, empty otherwise; `activity` (the
 * stored activity key, core/activity.ts) for rows by activity, empty otherwise. With `estimated` (reports that include
 * estimates) a last column `estimated`: true for rows of days estimated from Claude Code's stats cache, false for rows
 * from the logs.
 */
export function reportCsvColumns(o: { estimated?: boolean } = {}): CsvColumn<ReportRow & { isoWeek?: string; activity?: string }>[] {
  const cols: CsvColumn<ReportRow & { isoWeek?: string; activity?: string }>[] = [...baseColumns(), pricedCost, { header: 'isoWeek', value: (r) => r.isoWeek }, { header: 'activity', value: (r) => r.activity }];
  if (o.estimated) cols.push({ header: 'estimated', value: (r) => r.estimated === true });
  return cols;
}

/** 5-hour blocks: the JSON block fields, burn rate and projection flattened. */
export function blockCsvColumns(): CsvColumn<BlockRow>[] {
  return [
    ...(baseColumns() as CsvColumn<BlockRow>[]),
    { header: 'startTime', value: (b) => iso(b.startMs) },
    { header: 'endTime', value: (b) => iso(b.endMs) },
    { header: 'actualEndTime', value: (b) => iso(b.actualEndMs) },
    { header: 'isGap', value: (b) => b.isGap },
    { header: 'isActive', value: (b) => b.isActive },
    { header: 'tokensPerMinute', value: (b) => b.burnRate?.tokensPerMinute },
    { header: 'costPerHour', value: (b) => b.burnRate?.costPerHour },
    { header: 'projectedTotalTokens', value: (b) => b.projection?.totalTokens },
    { header: 'projectedCostUSD', value: (b) => b.projection?.costUSD },
    { header: 'usageLimitResetTime', value: (b) => iso(b.usageLimitResetMs) },
    pricedCost as CsvColumn<BlockRow>,
  ];
}
