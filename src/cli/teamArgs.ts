/**
 * Command-line parsing of the team database's commands (issue 16): `agentmeter sync`, `agentmeter team init`,
 * `agentmeter team add-member`, `agentmeter team budget` and `agentmeter report --team`. Every problem is a UsageError
 * (one line, exit code 2). Which logs and which index `sync` reads: the report's options (args.ts).
 */
import { parseArgs } from 'node:util';
import { TEAM_GROUP_BYS, type TeamGroupBy } from '../core/report/teamGroup';
import { SOURCE_IDS } from '../core/sources/registry';
import { PROJECT_MODES, type BudgetPeriod, type ProjectMode } from '../core/team/types';
import type { PeriodPreset } from '../app/reports/period';
import type { TemplateId } from '../app/reports/templates';
import { checkDay, dirsOf, DOCUMENT_FORMATS, documentOptions, LOG_INDEX_OPTIONS, oneOf, ratesOf, sourceList, UsageError, zoneOptions, type OutputFormat, type ReportArgs } from './args';

interface Connection {
  /** --postgres URL (else AGENTMETER_POSTGRES_URL, else the PG* variables) */
  postgres?: string;
  /** --ca-file: a PEM CA bundle the server's certificate must chain to */
  caFile?: string;
  verbose: boolean;
}

export interface SyncArgs extends Connection {
  /** --member (default: git config user.email) */
  member?: string;
  /** --machine (default: the host name) */
  machine?: string;
  projects: ProjectMode;
  /** --project-salt (else AGENTMETER_PROJECT_SALT): the hash mode's salt */
  salt?: string;
  /** the index options, as `report` takes them */
  index: ReportArgs;
}

export interface TeamReportArgs extends Connection {
  by: TeamGroupBy;
  member?: string;
  since?: string;
  until?: string;
  timeZone: string;
  weekStart: number;
  /** table, JSON or CSV; or a report document (md|html|xlsx|pdf) built from the team's facts */
  format: OutputFormat;
  /** a document's --out FILE (required for xlsx and pdf), --template, --period and --pdf-font */
  out?: string;
  template?: TemplateId;
  period?: PeriodPreset;
  pdfFont?: string;
  prices?: string;
  rates: Record<string, number>;
}

export type TeamCommand =
  | { kind: 'sync'; args: SyncArgs }
  | { kind: 'team-init'; args: Connection }
  | { kind: 'team-add-member'; args: Connection & { login: string; member: string; lead: boolean; createLogin: boolean; passwordEnv?: string } }
  | { kind: 'team-budget'; args: Connection & { member?: string; period: BudgetPeriod; usd: number | null } }
  | { kind: 'team-report'; args: TeamReportArgs };

/** Whether argv is one of the team commands (main.ts dispatches on it). */
export function isTeamCommand(argv: readonly string[]): boolean {
  return argv[0] === 'sync' || argv[0] === 'team' || (argv[0] === 'report' && argv.includes('--team'));
}

const CONNECTION = {
  postgres: { type: 'string' },
  'ca-file': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  // read by main.ts before parsing (cli/lang.ts)
  lang: { type: 'string' },
} as const;

function parse(argv: readonly string[], options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError(String(e instanceof Error ? e.message : e).split('\n')[0].replace(/\. To specify a positional argument.*$/, ''));
  }
}

function nonEmpty(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && !v.trim()) throw new UsageError(`--${name} must not be empty`);
  return v;
}

function connection(o: Record<string, unknown>): Connection {
  const postgres = nonEmpty('postgres', o.postgres as string | undefined);
  if (postgres !== undefined && !/^postgres(ql)?:\/\//i.test(postgres)) {
    throw new UsageError('--postgres must be a postgres:// or postgresql:// URL');
  }
  return { postgres, caFile: nonEmpty('ca-file', o['ca-file'] as string | undefined), verbose: !!o.verbose };
}

function noPositionals(positionals: string[], n: number): void {
  if (positionals.length > n) throw new UsageError(`unexpected argument "${positionals[n]}"`);
}

export function parseTeamCli(argv: readonly string[], env: Record<string, string | undefined> = process.env): TeamCommand {
  if (argv[0] === 'sync') return { kind: 'sync', args: parseSync(argv.slice(1), env) };
  if (argv[0] === 'report') return { kind: 'team-report', args: parseTeamReport(argv.slice(1)) };
  const sub = argv[1];
  const rest = argv.slice(2);
  if (sub === 'init') {
    const { values: o, positionals } = parse(rest, { ...CONNECTION });
    noPositionals(positionals, 0);
    return { kind: 'team-init', args: connection(o) };
  }
  if (sub === 'add-member') {
    const { values: o, positionals } = parse(rest, {
      ...CONNECTION, login: { type: 'string' }, member: { type: 'string' }, lead: { type: 'boolean' }, 'create-login': { type: 'boolean' },
      'password-env': { type: 'string' },
    });
    noPositionals(positionals, 0);
    const login = nonEmpty('login', o.login as string | undefined);
    const member = nonEmpty('member', o.member as string | undefined);
    if (!login || !member) throw new UsageError('team add-member needs --login LOGIN and --member NAME');
    const passwordEnv = nonEmpty('password-env', o['password-env'] as string | undefined);
    if (passwordEnv && !o['create-login']) throw new UsageError('--password-env goes with --create-login');
    return { kind: 'team-add-member', args: { ...connection(o), login, member, lead: !!o.lead, createLogin: !!o['create-login'], passwordEnv } };
  }
  if (sub === 'budget') {
    const { values: o, positionals } = parse(rest, { ...CONNECTION, member: { type: 'string' }, period: { type: 'string' }, usd: { type: 'string' } });
    noPositionals(positionals, 0);
    if (o.period === undefined || o.usd === undefined) throw new UsageError('team budget needs --period daily|weekly|monthly and --usd N (or --usd none)');
    const period = oneOf('period', o.period as string, ['daily', 'weekly', 'monthly'] as const, 'monthly');
    const usdText = String(o.usd).trim().toLowerCase();
    const usd = usdText === 'none' ? null : Number(usdText);
    if (usd !== null && (!usdText || !Number.isFinite(usd) || usd < 0)) throw new UsageError(`--usd must be a number ≥ 0 or none (got "${o.usd}")`);
    return { kind: 'team-budget', args: { ...connection(o), member: nonEmpty('member', o.member as string | undefined), period, usd } };
  }
  throw new UsageError(`unknown command "team${sub ? ` ${sub}` : ''}" (try: agentmeter team init|add-member|budget)`);
}

function parseSync(argv: readonly string[], env: Record<string, string | undefined>): SyncArgs {
  const { values: o, positionals } = parse(argv, {
    ...CONNECTION,
    member: { type: 'string' },
    machine: { type: 'string' },
    projects: { type: 'string' },
    'project-salt': { type: 'string' },
    ...LOG_INDEX_OPTIONS,
  });
  noPositionals(positionals, 0);
  if (o.db !== undefined && !String(o.db).trim()) throw new UsageError('--db needs a file path');
  if (o.db !== undefined && o['no-cache']) throw new UsageError('--db and --no-cache cannot be used together');
  const projects = oneOf('projects', o.projects as string | undefined, PROJECT_MODES, 'folder');
  const salt = nonEmpty('project-salt', o['project-salt'] as string | undefined) ?? (env.AGENTMETER_PROJECT_SALT || undefined);
  if (projects === 'hash' && !salt) throw new UsageError('--projects hash needs a salt: --project-salt S or AGENTMETER_PROJECT_SALT');
  const sources = sourceList(o.source as string | undefined);
  return {
    ...connection(o),
    member: nonEmpty('member', o.member as string | undefined),
    machine: nonEmpty('machine', o.machine as string | undefined),
    projects,
    salt,
    index: {
      by: 'day', source: sources.length === SOURCE_IDS.length ? 'all' : sources.join(','), sources, timeZone: 'UTC', weekStart: 1,
      format: 'table', dirs: dirsOf(o), db: o.db as string | undefined, noCache: !!o['no-cache'], rates: {}, verbose: !!o.verbose,
    },
  };
}

function parseTeamReport(argv: readonly string[]): TeamReportArgs {
  const { values: o, positionals } = parse(argv, {
    ...CONNECTION,
    team: { type: 'boolean' },
    by: { type: 'string' },
    member: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    timezone: { type: 'string' },
    'week-start': { type: 'string' },
    format: { type: 'string' },
    prices: { type: 'string' },
    rate: { type: 'string', multiple: true },
    out: { type: 'string', short: 'o' },
    template: { type: 'string' },
    period: { type: 'string' },
    'pdf-font': { type: 'string' },
  });
  noPositionals(positionals, 0);
  for (const [name, v] of [['since', o.since], ['until', o.until]] as const) if (v !== undefined) checkDay(name, v as string);
  if (o.since && o.until && o.since > o.until) throw new UsageError(`--since ${o.since} is after --until ${o.until}`);
  const { timeZone, weekStart } = zoneOptions(o.timezone as string | undefined, o['week-start'] as string | undefined);
  if (o.prices !== undefined && !String(o.prices).trim()) throw new UsageError('--prices needs a file path');
  const format = oneOf('format', o.format as string | undefined, ['table', 'json', 'csv', ...DOCUMENT_FORMATS] as const, 'table');
  const doc = (DOCUMENT_FORMATS as readonly string[]).includes(format);
  const docFormats = DOCUMENT_FORMATS.join('|');
  for (const name of ['out', 'template', 'period', 'pdf-font'] as const) {
    const v = nonEmpty(name, o[name] as string | undefined);
    if (v !== undefined && !doc) throw new UsageError(`--${name} is only for --format ${docFormats}`);
  }
  if ((format === 'xlsx' || format === 'pdf') && o.out === undefined) throw new UsageError(`--format ${format} needs --out FILE`);
  const { template, period, since, until } = documentOptions(
    { template: o.template as string | undefined, period: o.period as string | undefined, since: o.since as string | undefined, until: o.until as string | undefined },
    timeZone, weekStart);
  return {
    ...connection(o),
    by: oneOf('by', o.by as string | undefined, TEAM_GROUP_BYS, 'member'),
    member: nonEmpty('member', o.member as string | undefined),
    since,
    until,
    timeZone,
    weekStart,
    format,
    ...(o.out !== undefined ? { out: o.out as string } : {}),
    ...(template ? { template } : {}),
    ...(period ? { period } : {}),
    ...(o['pdf-font'] !== undefined ? { pdfFont: o['pdf-font'] as string } : {}),
    prices: o.prices as string | undefined,
    rates: ratesOf(o.rate as string[] | undefined),
  };
}
