/**
 * One report file from an index: resolve the period, read the data (core queries), build the model, render, write
 * (temp file + rename). Run by the index worker for the editor's command and its scheduled reports; the CLI does the
 * same steps on its own index (src/cli/runDocumentReport.ts).
 */
import type { Database } from 'sql.js';
import type { CurrencyRates, PriceOverrides, PriceTable } from '../../core/pricing/priceTable';
import type { TeamFact } from '../../core/team/types';
import { gatherReportData, type ReportData, type ReportScope } from './gather';
import { loadRenderers } from './loadRenderers';
import { buildReport, type BudgetLimits, type TeamReportSource } from './model';
import { resolvePeriod, type PeriodSpec } from './period';
import type { ReportFormat } from './render/formats';
import type { TemplateId } from './templates';
import { writeReportFile } from './writeReportFile';
import { teamReportData } from './teamReportData';
import { createTranslator, type Translator } from '../i18n/translator';

export interface ReportQuery {
  template: TemplateId;
  period: PeriodSpec;
  scope: ReportScope;
  format: ReportFormat;
  path: string;
  timeZone: string;
  weekStart: number;
  priceOverrides: PriceOverrides;
  currencyRates?: CurrencyRates;
  budgets?: BudgetLimits;
  pdfFontFile?: string;
  /** the report's language: the editor's display language (`vscode.env.language`); English when absent */
  locale?: string;
  /** the clock (tests); default now */
  nowMs?: number;
}

export interface ReportWritten {
  path: string;
  bytes: number;
  periodLabel: string;
  totalTokens: number;
  costUSD: number | null;
  pricedCostUSD: number;
}

/** The report's now, its language's translator and its period resolved in its zone. */
function reportClock(q: ReportQuery) {
  const nowMs = q.nowMs ?? Date.now();
  const t = createTranslator(q.locale);
  return { nowMs, t, period: resolvePeriod(q.period, nowMs, q.timeZone, q.weekStart, t) };
}

export async function createReportFile(
  read: <T>(use: (db: Database) => T) => T,
  prices: (overrides: PriceOverrides, rates?: CurrencyRates) => PriceTable,
  q: ReportQuery,
): Promise<ReportWritten> {
  const { nowMs, t, period } = reportClock(q);
  const data = read((db) => gatherReportData(db, period, q.scope));
  return buildAndWrite(data, period, q, prices(q.priceOverrides, q.currencyRates), nowMs, t);
}

/** The team database's facts of a range, its machines' last pushes, where they were read from and as whom. */
export type TeamReportRead = (range: { sinceMs?: number; untilMs?: number }) => Promise<TeamReportSource & { facts: TeamFact[] }>;

/**
 * The same report from the team database (the index worker's team connection, issue 17 §2): the facts of the
 * period read through `readTeam` (nothing is written when that fails), then the same model, renderers and write.
 */
export async function createTeamReportFile(
  readTeam: TeamReportRead,
  prices: (overrides: PriceOverrides, rates?: CurrencyRates) => PriceTable,
  q: ReportQuery,
): Promise<ReportWritten> {
  const { nowMs, t, period } = reportClock(q);
  const { facts, ...team } = await readTeam({ sinceMs: period.sinceMs, untilMs: period.untilMs });
  return buildAndWrite(teamReportData(facts, q.scope), period, q, prices(q.priceOverrides, q.currencyRates), nowMs, t, team);
}

async function buildAndWrite(
  data: ReportData,
  period: ReturnType<typeof resolvePeriod>,
  q: ReportQuery,
  table: PriceTable,
  nowMs: number,
  t: Translator,
  team?: TeamReportSource,
): Promise<ReportWritten> {
  const doc = buildReport(data, {
    template: q.template,
    period,
    scope: q.scope,
    timeZone: q.timeZone,
    weekStart: q.weekStart,
    prices: table,
    pricesOverridden: Object.keys(q.priceOverrides).length > 0,
    nowMs,
    budgets: q.budgets,
    t,
    ...(team ? { team } : {}),
  });
  const bytes = await loadRenderers().renderReport(doc, q.format, { fontFile: q.pdfFontFile });
  await writeReportFile(q.path, bytes);
  return { path: q.path, bytes: bytes.length, periodLabel: period.label, totalTokens: doc.totals.totalTokens, costUSD: doc.totals.costUSD, pricedCostUSD: doc.totals.pricedCostUSD };
}
