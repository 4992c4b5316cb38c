/**
 * `agentmeter report --team --format md|html|xlsx|pdf` (issue 17 §2, team scope): the report documents of
 * runDocumentReport.ts built from the team database's facts (session '', plus member and machine) instead of the
 * local index. Sessions are never sent, so the sessions template says so; the summary gets a by-member table; the
 * provenance names the database, its members and machines and each machine's last push.
 */
import type { PriceTable } from '../core/pricing/priceTable';
import type { MachineFreshness, TeamFact } from '../core/team/types';
import type { Logger } from '../core/types';
import type { ReportData } from '../app/reports/gather';
import { buildReport } from '../app/reports/model';
import { englishTranslator, type Translator } from '../app/i18n/translator';
import type { DocumentFormat } from './args';
import type { TeamReportArgs } from './teamArgs';
import { cliPeriod, emitDocument } from './runDocumentReport';

export type TeamReader = (q: { sinceMs?: number; untilMs?: number }) => Promise<{ facts: TeamFact[]; machines: MachineFreshness[]; identity: string }>;

export async function runTeamDocumentReport(
  a: TeamReportArgs,
  format: DocumentFormat,
  log: Logger,
  prices: PriceTable,
  overridden: boolean,
  nowMs: number,
  read: TeamReader,
  t: Translator = englishTranslator,
): Promise<string> {
  const period = cliPeriod(a, nowMs, t);
  const team = await read({ sinceMs: period.sinceMs, untilMs: period.untilMs });
  log.info(`${team.facts.length} team facts from ${team.identity}`);
  const data: ReportData = {
    facts: team.facts,
    displayPaths: {},
    skipped: { malformedLines: 0, duplicateLines: 0 },
    unknownUsage: {},
    estimatedDays: [],
    agentCostUSD: {},
    latestQuota: null,
  };
  const doc = buildReport(data, {
    template: a.template ?? 'summary',
    period,
    scope: { sources: [] },
    timeZone: a.timeZone,
    weekStart: a.weekStart,
    prices,
    pricesOverridden: overridden,
    nowMs,
    t,
    team: { identity: team.identity, machines: team.machines },
  });
  return emitDocument(doc, format, a, log, t);
}
