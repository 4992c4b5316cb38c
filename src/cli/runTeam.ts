/**
 * The team database's commands (issue 16): `agentmeter sync` (index the logs as `report` does, then push this
 * machine's buckets, holding the index's lock so the push state is saved with it), `team init`, `team add-member`,
 * `team budget` and `report --team` (the team's totals, priced here with this machine's price table).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  addTeamMember, initTeamDatabase, type MachineFreshness, openTeamConnection, pushTeam, readMachines, readTeamActivityFacts, readTeamFacts, readTeamRole, setTeamBudget,
  type TeamConnection, type TeamFact, type TeamRole,
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
import { englishTranslator, type MessageKey, type Translator } from '../app/i18n/translator';

type Env = Record<string, string | undefined>;

function connect(a: { postgres?: string; caFile?: string }, env: Env, checkSchema = true): Promise<TeamConnection> {
  return openTeamConnection({ url: a.postgres, env: env as NodeJS.ProcessEnv }, { caFile: a.caFile, checkSchema });
}

/** A new login's password: from the variable `--password-env` names, or 24 random characters (base64url). */
function newLoginPassword(variable: string | undefined, env: Env): string {
  if (!variable) return randomBytes(18).toString('base64url');
  const v = env[variable];
  if (!v) throw new UsageError(`--password-env ${variable}: the variable is not set or empty`);
  return v;
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

export async function runTeamCommand(cmd: TeamCommand, log: Logger, version: string, env: Env = process.env, t: Translator = englishTranslator): Promise<string> {
  switch (cmd.kind) {
    case 'sync':
      return runSync(cmd.args, log, version, env, t);
    case 'team-init': {
      const conn = await connect(cmd.args, env, false);
      try {
        const r = await initTeamDatabase(conn);
        return `${r.from === r.to ? t('team.init.current', { db: conn.identity, to: r.to }) : t('team.init.migrated', { db: conn.identity, from: r.from, to: r.to })}\n`;
      } finally {
        await conn.close();
      }
    }
    case 'team-add-member': {
      const conn = await connect(cmd.args, env);
      try {
        const a = cmd.args;
        const password = a.createLogin ? newLoginPassword(a.passwordEnv, env) : undefined;
        const { created } = await addTeamMember(conn, a.login, a.member, a.lead, password);
        const bound = t(a.lead ? 'team.addMember.lead' : 'team.addMember', { login: a.login, member: JSON.stringify(a.member) });
        if (!a.createLogin) return `${bound}\n`;
        if (!created) return `${bound}\n${t('team.addMember.existed', { login: a.login })}\n`;
        return `${bound}\n${a.passwordEnv ? t('team.addMember.createdEnv', { login: a.login, variable: a.passwordEnv }) : t('team.addMember.created', { login: a.login, password: password! })}\n`;
      } finally {
        await conn.close();
      }
    }
    case 'team-budget': {
      const conn = await connect(cmd.args, env);
      try {
        const { member, period, usd } = cmd.args;
        await setTeamBudget(conn, member ?? null, period, usd);
        const whose = member ? t('team.budget.member', { member: JSON.stringify(member) }) : t('team.budget.team');
        const name = t(`team.budget.${period}` as MessageKey);
        return `${usd === null ? t('team.budget.removed', { period: name, whose }) : t('team.budget.set', { period: name, whose, usd })}\n`;
      } finally {
        await conn.close();
      }
    }
    case 'team-report':
      return runTeamReport(cmd.args, log, env, t);
  }
}

async function runSync(a: SyncArgs, log: Logger, version: string, env: Env, t: Translator): Promise<string> {
  const member = a.member ?? gitUserEmail(env);
  if (!member) throw new UsageError(t('team.sync.noMember'));
  const machine = a.machine ?? hostname();
  // connect first: an unreachable database fails fast, before the logs are read
  const conn = await connect(a, env);
  try {
    let summary = '';
    const opened = await openCliIndex(a.index, log, env, {
      afterRefresh: async (db) => {
        const r = await pushTeam(db, conn, { member, machine, projects: a.projects, salt: a.salt, version }, (p) =>
          log.info(`pushed ${p.batch}/${p.batches}: ${p.buckets} buckets`));
        const from = r.fromMs === null ? t('team.sync.nothing') : t('team.sync.from', { time: new Date(r.fromMs).toISOString() });
        summary = `${t('team.sync.pushed', { buckets: r.buckets, from, n: r.batches, db: conn.identity, member: JSON.stringify(member), machine: JSON.stringify(machine) })}\n`;
      },
    });
    opened.db.close();
    return summary;
  } finally {
    await conn.close();
  }
}

/** The team's facts of a range (the member's own with --member) and its machines' last pushes. */
async function readTeam(
  a: TeamReportArgs,
  env: Env,
  q: { sinceMs?: number; untilMs?: number; activity?: boolean },
): Promise<{ facts: TeamFact[]; machines: MachineFreshness[]; identity: string; role: TeamRole }> {
  const conn = await connect(a, env);
  try {
    const role = await readTeamRole(conn);
    const { activity, ...range } = q;
    const scope = a.member ? { scope: 'me-all' as const, member: a.member, ...range } : { scope: 'team' as const, ...range };
    // by activity: the activity hours summed on the server per (source, model, tier, activity), whoever pushed them
    const facts = activity
      ? (await readTeamActivityFacts(conn, scope)).map((f) => ({ ...f, member: '', machine: '', activity: f.activity ?? '' }))
      : await readTeamFacts(conn, scope);
    const machines = (await readMachines(conn)).filter((m) => !a.member || m.member === a.member);
    return { facts, machines, identity: conn.identity, role };
  } finally {
    await conn.close();
  }
}

async function runTeamReport(a: TeamReportArgs, log: Logger, env: Env, t: Translator): Promise<string> {
  const overrides = a.prices ? readOverrides(a.prices, t) : undefined;
  const prices = priceTableWith(overrides, a.rates);
  if (a.format === 'md' || a.format === 'html' || a.format === 'xlsx' || a.format === 'pdf') {
    const { runTeamDocumentReport } = await import('./runTeamDocumentReport');
    return runTeamDocumentReport(a, a.format, log, prices, !!overrides && Object.keys(overrides).length > 0, Date.now(), (q) => readTeam(a, env, q), t);
  }
  const { sinceMs, untilMs } = zoneCalendar(a.timeZone).dayRange(a.since, a.until);
  const { facts, machines, identity } = await readTeam(a, env, { sinceMs, untilMs, activity: a.by === 'activity' });
  log.info(`${facts.length} team facts from ${identity}`);
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
      if (!rows.length) return `${t(a.since || a.until ? 'team.report.noneInRange' : 'team.report.none')}\n`;
      return teamTable(rows, total, { by: a.by, priceDate: prices.date, overridden, machines, t });
  }
}
