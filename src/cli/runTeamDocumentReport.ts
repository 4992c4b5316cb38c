/**
 * `agentmeter report --team --format md|html|xlsx|pdf` (issue 17 §2, team scope): the report documents of
 * runDocumentReport.ts built from the team database's facts (session '', plus member and machine) instead of the
 * local index. Sessions are never sent, so the sessions template says so; the summary gets a by-member table; the
 * provenance names the database, its members and machines and each machine's last push.
 */
import type { PriceTable } from '../core/pricing/priceTable';
import type { MachineFreshness, TeamFact, TeamRole } from '../core/team/types';
import type { Logger } from '../core/types';
import { teamReportData } from '../app/reports/teamReportData';
import { buildReport } from '../app/reports/model';
import { englishTranslator, type Translator } from '../app/i18n/translator';
import type { DocumentFormat } from './args';
import type { TeamReportArgs } from './teamArgs';
import { cliPeriod, emitDocument } from './runDocumentReport';

export type TeamReader = (q: { sinceMs?: number; untilMs?: number }) => Promise<{ facts: TeamFact[]; machines: MachineFreshness[]; identity: string; role?: TeamRole }>;

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
  const doc = buildReport(teamReportData(team.facts), {
    template: a.template ?? 'summary',
    period,
    scope: { sources: [] },
    timeZone: a.timeZone,
    weekStart: a.weekStart,
    prices,
    pricesOverridden: overridden,
    nowMs,
    t,
    team: {
      identity: team.identity, machines: team.machines, role: team.role,
      ...(a.member ? { scope: 'me-all' as const, member: a.member } : { scope: 'team' as const }),
    },
  });
  return emitDocument(doc, format, a, log, t);
}
