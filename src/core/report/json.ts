/**
 * JSON of reports (issue 2 §9), shared by `agentmeter report --format json` and the extension's Export JSON:
 * one object `{ by, timezone, rows, totals, skipped }`. Rows and totals carry the fixed fields first, then extras;
 * times are ISO 8601 UTC strings; dollar amounts are rounded to 1e-10 USD (binary float noise such as
 * 0.19198500000000002 removed, far below a cent).
 */
import type { BlockRow } from './blocks';
import type { GroupedRow } from './group';
import type { ReportRow } from './rows';

/** A dollar amount without binary float noise (10 decimals); null stays null (unpriced). */
export function roundUsd<T extends number | null | undefined>(v: T): T {
  return (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 1e10) / 1e10 : v) as T;
}

const isoOrNull = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

export function jsonRow(r: ReportRow & Partial<BlockRow> & { isoWeek?: string; activity?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    key: r.key,
    source: r.source,
    model: r.model,
    requests: r.requests,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cacheCreationTokens: r.cacheCreationTokens,
    cacheCreation5mTokens: r.cacheCreation5mTokens,
    cacheCreation1hTokens: r.cacheCreation1hTokens,
    cacheReadTokens: r.cacheReadTokens,
    reasoningTokens: r.reasoningTokens,
    totalTokens: r.totalTokens,
    costUSD: roundUsd(r.costUSD),
    unpricedTokens: r.unpricedTokens,
    pricedCostUSD: roundUsd(r.pricedCostUSD),
    webSearchRequests: r.webSearchRequests,
    models: r.models,
    unpricedModels: r.unpricedModels,
    firstTimestamp: isoOrNull(r.firstMs),
    lastTimestamp: isoOrNull(r.lastMs),
  };
  if (r.projectDisplayPath !== undefined) out.projectDisplayPath = r.projectDisplayPath;
  if (r.isoWeek !== undefined) out.isoWeek = r.isoWeek;
  if (r.estimated !== undefined) out.estimated = r.estimated;
  if (r.activity !== undefined) out.activity = r.activity;
  if (r.startMs !== undefined) {
    out.startTime = isoOrNull(r.startMs);
    out.endTime = isoOrNull(r.endMs);
    out.actualEndTime = isoOrNull(r.actualEndMs);
    out.isGap = r.isGap;
    out.isActive = r.isActive;
    out.burnRate = r.burnRate;
    out.projection = r.projection;
    out.usageLimitResetTime = isoOrNull(r.usageLimitResetMs);
  }
  return out;
}

export interface JsonReport {
  by: string;
  timezone: string;
  rows: readonly (GroupedRow | BlockRow)[];
  totals: ReportRow;
  skipped: { malformedLines: number; duplicateLines: number };
  source: string;
  since?: string;
  until?: string;
  weekStart: number;
  prices: { date: string; overridden: boolean };
  /** sessions per source whose usage is not on disk (usage unknown, not counted as zero) */
  unknownUsageSessions?: Record<string, number>;
  /** the agents' own cost estimates (USD) over the range, per source that logs one (Cline, Roo, Kilo, OpenCode) */
  agentCostUSD?: Record<string, number>;
  /**
   * Reports that include estimates (`--estimates`): the part of `totals` that is estimated (a row of the same shape,
   * key "estimated") and its number of days; written as `totals.estimated` = { ...that row, days }.
   */
  estimates?: { days: number; totals: ReportRow };
}

export function reportJson(r: JsonReport): string {
  const out = {
    by: r.by,
    timezone: r.timezone,
    rows: r.rows.map(jsonRow),
    totals: r.estimates ? { ...jsonRow(r.totals), estimated: { ...jsonRow({ ...r.estimates.totals, key: 'estimated' }), days: r.estimates.days } } : jsonRow(r.totals),
    skipped: r.skipped,
    source: r.source,
    since: r.since ?? null,
    until: r.until ?? null,
    weekStart: r.weekStart,
    prices: r.prices,
    unknownUsageSessions: r.unknownUsageSessions ?? {},
    agentCostUSD: Object.fromEntries(Object.entries(r.agentCostUSD ?? {}).map(([s, v]) => [s, roundUsd(v)])),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
