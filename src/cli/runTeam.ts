/**
 * The team database's commands (issue 16): `agentmeter sync` (index the logs as `report` does, then push this
 * machine's buckets, holding the index's lock so the push state is saved with it), `team init`, `team add-member`,
 * `team budget` and `report --team` (the team's totals, priced here with this machine's price table).
 */
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import {
  addTeamMember, initTeamDatabase, openTeamConnection, pushTeam, readMachines, readTeamFacts, setTeamBudget, type TeamConnection,
} from '../app/team/api';
import { toCsv, type CsvColumn } from '../core/csv';
import { reportCsvColumns } from '../core/report/csvColumns';
import { totals } from '../core/report/rows';
import { groupTeamFacts, type TeamRow } from '../core/report/teamGroup';
import { teamReportJson } from '../core/report/teamJson';
import { zoneCalendar } from '../core/report/tz';
import type { Logger } from '../core/types';
import { UsageError } from './args';
import { openCliIndex } from './openIndex';
import { priceTableWith, readOverrides } from './runReport';
import type { SyncArgs, TeamCommand, TeamReportArgs } from './teamArgs';
import { teamTable } from './teamReportTable';

type Env = Record<string, string | undefined>;

function connect(a: { postgres?: string; caFile?: string }, env: Env, checkSchema = true): Promise<TeamConnection> {
  return openTeamConnection({ url: a.postgres, env: env as NodeJS.ProcessEnv }, { caFile: a.caFile, checkSchema });
}

/** `git config user.email`, or undefined. */
export function gitUserEmail(env: Env = process.env): string | undefined {
  try {
    const out = execFileSync('git', ['config', '--get', 'user.email'], { encoding: 'utf8', env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function runTeamCommand(cmd: TeamCommand, log: Logger, version: string, env: Env = process.env): Promise<string> {
  switch (cmd.kind) {
    case 'sync':
      return runSync(cmd.args, log, version, env);
    case 'team-init': {
      const conn = await connect(cmd.args, env, false);
      try {
        const r = await initTeamDatabase(conn);
        return r.from === r.to
          ? `team database ${conn.identity}: already at schema version ${r.to}\n`
          : `team database ${conn.identity}: schema version ${r.from} → ${r.to} (tables, roles agentmeter_member and agentmeter_lead, row-level security, views)\n`;
      } finally {
        await conn.close();
      }
    }
    case 'team-add-member': {
      const conn = await connect(cmd.args, env);
      try {
        await addTeamMember(conn, cmd.args.login, cmd.args.member, cmd.args.lead);
        return `login ${cmd.args.login} may push member ${JSON.stringify(cmd.args.member)}${cmd.args.lead ? ' and read the whole team (lead)' : ''}\n`;
      } finally {
        await conn.close();
      }
    }
    case 'team-budget': {
      const conn = await connect(cmd.args, env);
      try {
        const { member, period, usd } = cmd.args;
        await setTeamBudget(conn, member ?? null, period, usd);
        const whose = member ? `member ${JSON.stringify(member)}` : 'the team';
        return usd === null ? `${period} budget of ${whose} removed\n` : `${period} budget of ${whose}: ${usd} USD\n`;
      } finally {
        await conn.close();
      }
    }
    case 'team-report':
      return runTeamReport(cmd.args, log, env);
  }
}

async function runSync(a: SyncArgs, log: Logger, version: string, env: Env): Promise<string> {
  const member = a.member ?? gitUserEmail(env);
  if (!member) throw new UsageError('--member NAME is needed (git config user.email is not set)');
  const machine = a.machine ?? hostname();
  // connect first: an unreachable database fails fast, before the logs are read
  const conn = await connect(a, env);
  try {
    let summary = '';
    const opened = await openCliIndex(a.index, log, env, {
      afterRefresh: async (db) => {
        const r = await pushTeam(db, conn, { member, machine, projects: a.projects, salt: a.salt, version }, (p) =>
          log.info(`pushed ${p.batch}/${p.batches}: ${p.buckets} buckets`));
        const from = r.fromMs === null ? 'nothing to send' : `from ${new Date(r.fromMs).toISOString()}`;
        summary = `pushed ${r.buckets} buckets (${from}, ${r.batches} transaction${r.batches === 1 ? '' : 's'}) to ${conn.identity} as ${JSON.stringify(member)} on ${JSON.stringify(machine)}\n`;
      },
    });
    opened.db.close();
    return summary;
  } finally {
    await conn.close();
  }
}

async function runTeamReport(a: TeamReportArgs, log: Logger, env: Env): Promise<string> {
  const overrides = a.prices ? readOverrides(a.prices) : undefined;
  const prices = priceTableWith(overrides, a.rates);
  const { sinceMs, untilMs } = zoneCalendar(a.timeZone).dayRange(a.since, a.until);
  const conn = await connect(a, env);
  let facts;
  let machines;
  try {
    facts = await readTeamFacts(conn, a.member ? { scope: 'me-all', member: a.member, sinceMs, untilMs } : { scope: 'team', sinceMs, untilMs });
    machines = (await readMachines(conn)).filter((m) => !a.member || m.member === a.member);
  } finally {
    await conn.close();
  }
  log.info(`${facts.length} team facts from ${conn.identity}`);
  const rows = groupTeamFacts(facts, a.by, { timeZone: a.timeZone, weekStart: a.weekStart, prices });
  const total = totals(rows);
  const overridden = !!overrides && Object.keys(overrides).length > 0;
  switch (a.format) {
    case 'json':
      return teamReportJson({
        by: a.by, timezone: a.timeZone, rows, totals: total, since: a.since, until: a.until, weekStart: a.weekStart,
        prices: { date: prices.date, overridden }, member: a.member, machines,
      });
    case 'csv': {
      const cols = [
        ...(reportCsvColumns() as CsvColumn<TeamRow>[]),
        { header: 'member', value: (r: TeamRow) => r.member },
        { header: 'machine', value: (r: TeamRow) => r.machine },
      ];
      return toCsv(cols, rows);
    }
    case 'table':
      if (!rows.length) return `No team usage found${a.since || a.until ? ' in that date range' : ''}.\n`;
      return teamTable(rows, total, { by: a.by, priceDate: prices.date, overridden, machines });
  }
}
