/**
 * Command-line parsing for `agentmeter report` (interface fixed by issue 2 §9). Every problem is a UsageError
 * whose message is printed as one line with exit code 2.
 */
import { parseArgs } from 'node:util';
import { GROUP_BYS, type GroupBy } from '../core/report/group';
import { parseDay, parseWeekStart, systemTimeZone, validateTimeZone, InvalidTimeZoneError } from '../core/report/tz';
import type { Source } from '../core/types';
import { SOURCE_IDS } from '../core/sources/registry';
import { parsePeriodPreset, presetDays, type PeriodPreset } from '../app/reports/period';
import { parseTemplate, TEMPLATES, type TemplateId } from '../app/reports/templates';
import { englishTranslator, type Translator } from '../app/i18n/translator';

export class UsageError extends Error {}

export type ReportBy = GroupBy | 'block';
export type OutputFormat = 'table' | 'json' | 'csv' | DocumentFormat;
/** Report documents (issue 17 §2): written with a template, to `--out` (md and html may go to stdout). */
export type DocumentFormat = 'md' | 'html' | 'xlsx' | 'pdf';
export const DOCUMENT_FORMATS: readonly DocumentFormat[] = ['md', 'html', 'xlsx', 'pdf'];

export interface ReportArgs {
  by: ReportBy;
  /** `--source` as given: 'all' or a comma list of source ids */
  source: string;
  /** the sources `--source` names, in the registry's order */
  sources: Source[];
  since?: string;
  until?: string;
  timeZone: string;
  weekStart: number;
  format: OutputFormat;
  /** explicit folders per source id (`--dir id=DIR[,DIR]`, `--<id>-dir DIR[,DIR]`); ['none'] disables the source */
  dirs: Record<string, string[]>;
  db?: string;
  /** keep the index in memory for this run only (no file) */
  noCache: boolean;
  prices?: string;
  /** `--rate CUR=USD` (repeatable): USD per one unit of a currency some vendors price in (e.g. CNY=0.14) */
  rates: Record<string, number>;
  verbose: boolean;
  /**
   * `--estimates`: include the days no Claude log covers, estimated from Claude Code's stats cache (marked as
   * estimates); absent (not false) without it, so the parsed arguments of a report without it are unchanged
   */
  estimates?: true;
  /** `--out FILE`: where a report document is written (required for xlsx and pdf); absent unless given */
  out?: string;
  /** `--template NAME` of a report document (default summary); absent unless given */
  template?: TemplateId;
  /** `--period NAME`: the preset that set since/until (a document's title says it); absent unless given */
  period?: PeriodPreset;
  /** `--pdf-font FILE`: a .ttf font with the glyphs jsPDF's standard fonts lack (Chinese…) */
  pdfFont?: string;
}

export type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'report'; args: ReportArgs };

/** The options that say which logs and which index (report and sync alike): --source, --dir, --<id>-dir, --db, --no-cache. */
export const LOG_INDEX_OPTIONS = {
  source: { type: 'string' },
  dir: { type: 'string', multiple: true },
  ...Object.fromEntries(SOURCE_IDS.map((id) => [`${id}-dir`, { type: 'string' as const }])),
  db: { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const;

const BYS: readonly ReportBy[] = [...GROUP_BYS, 'block'];
const FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv', ...DOCUMENT_FORMATS];

export function oneOf<T extends string>(name: string, value: string | undefined, choices: readonly T[], dflt: T, t: Translator = englishTranslator): T {
  if (value === undefined) return dflt;
  const v = value.toLowerCase() as T;
  if (!choices.includes(v)) throw new UsageError(t('cli.usage.oneOf', { name, choices: choices.join('|'), value }));
  return v;
}

/** True when a directory option turns its source off (`none`). */
export function isDisabled(dirs: readonly string[] | undefined): boolean {
  return !!dirs && dirs.length === 1 && dirs[0].toLowerCase() === 'none';
}

/**
 * The sources the report covers: `--source`, minus a source whose directory option is `none`. A source read from
 * a directory keeps the history a --db file holds for it (history outlives deleted logs); a disabled one is left
 * out of the report entirely, as if --source named only the other.
 */
export function reportedSources(a: Pick<ReportArgs, 'sources' | 'dirs'>): Source[] {
  return a.sources.filter((id) => !isDisabled(a.dirs[id]));
}

/** `--source all|id[,id]` → the ids, in the registry's order. */
export function sourceList(value: string | undefined, t: Translator = englishTranslator): Source[] {
  if (value === undefined || value.trim().toLowerCase() === 'all') return [...SOURCE_IDS];
  const ids = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = () => new UsageError(t('cli.usage.source', { ids: SOURCE_IDS.join('|'), value }));
  for (const id of ids) if (!SOURCE_IDS.includes(id)) throw bad();
  if (!ids.length) throw bad();
  return SOURCE_IDS.filter((id) => ids.includes(id));
}

/** `--dir id=DIR[,DIR]` (repeatable) and the `--<id>-dir DIR[,DIR]` forms, per source id. */
export function dirsOf(o: Record<string, unknown>, t: Translator = englishTranslator): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of SOURCE_IDS) {
    const v = o[`${id}-dir`];
    if (typeof v === 'string') out[id] = dirList(v, t)!;
  }
  for (const spec of (o.dir as string[] | undefined) ?? []) {
    const eq = spec.indexOf('=');
    const id = eq > 0 ? spec.slice(0, eq).trim().toLowerCase() : '';
    if (!SOURCE_IDS.includes(id)) throw new UsageError(t('cli.usage.dir', { ids: SOURCE_IDS.join('|'), value: spec }));
    out[id] = [...(out[id] ?? []), ...dirList(spec.slice(eq + 1), t)!];
  }
  return out;
}

/**
 * The days --since/--until accept: real calendar dates of years 1970 to 9999 (the calendar code and the usage
 * timestamps start at the Unix epoch; `YYYY` has four digits).
 */
const FIRST_DAY = '1970-01-01';
const LAST_DAY = '9999-12-31';

export function checkDay(name: string, v: string, t: Translator = englishTranslator): void {
  let ok = v >= FIRST_DAY && v <= LAST_DAY;
  if (ok) {
    try {
      parseDay(v);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new UsageError(t('cli.usage.day', { name, first: FIRST_DAY, last: LAST_DAY, value: v }));
}

function dirList(value: string | undefined, t: Translator): string[] | undefined {
  if (value === undefined) return undefined;
  const dirs = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!dirs.length) throw new UsageError(t('cli.usage.emptyDirs'));
  return dirs;
}

/** `--rate CUR=USD` values: a three-letter currency code and a number > 0. */
export function ratesOf(specs: string[] | undefined, t: Translator = englishTranslator): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of specs ?? []) {
    const m = /^\s*([A-Za-z]{3})\s*=\s*([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*$/.exec(spec);
    const rate = m ? Number(m[2]) : NaN;
    if (!m || !(rate > 0) || !Number.isFinite(rate)) throw new UsageError(t('cli.usage.rate', { value: spec }));
    out[m[1].toUpperCase()] = rate;
  }
  return out;
}

/** node's parseArgs over the CLI's options; what it rejects is a UsageError of one line. */
function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        by: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        timezone: { type: 'string' },
        'week-start': { type: 'string' },
        format: { type: 'string' },
        ...LOG_INDEX_OPTIONS,
        prices: { type: 'string' },
        rate: { type: 'string', multiple: true },
        verbose: { type: 'boolean', short: 'v' },
        estimates: { type: 'boolean' },
        out: { type: 'string', short: 'o' },
        template: { type: 'string' },
        period: { type: 'string' },
        'pdf-font': { type: 'string' },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    // node's messages are multi-line for unknown options; keep the first line
    throw new UsageError(String(e instanceof Error ? e.message : e).split('\n')[0].replace(/\. To specify a positional argument.*$/, ''));
  }
}

/** --timezone (default: the system's) and --week-start (default Monday), each a UsageError when invalid. */
export function zoneOptions(timezone: string | undefined, weekStartOpt: string | undefined): { timeZone: string; weekStart: number } {
  let timeZone: string;
  try {
    timeZone = validateTimeZone(timezone ?? systemTimeZone());
  } catch (e) {
    if (e instanceof InvalidTimeZoneError) throw new UsageError(`--timezone: ${e.message}`);
    throw e;
  }
  let weekStart = 1;
  if (weekStartOpt !== undefined) {
    try {
      weekStart = parseWeekStart(weekStartOpt);
    } catch (e) {
      throw new UsageError(`--week-start: ${(e as Error).message}`);
    }
  }
  return { timeZone, weekStart };
}

/**
 * --template and --period of a report document: the template id, and the period preset resolved into --since/--until
 * days in `timeZone` (a preset with --since/--until is a UsageError, as is an unknown template or period).
 */
export function documentOptions(
  o: { template?: string; period?: string; since?: string; until?: string }, timeZone: string, weekStart: number, t: Translator = englishTranslator,
): { template?: TemplateId; period?: PeriodPreset; since?: string; until?: string } {
  let template: TemplateId | undefined;
  if (o.template !== undefined) {
    template = parseTemplate(o.template);
    if (!template) throw new UsageError(t('cli.usage.oneOf', { name: 'template', choices: TEMPLATES.join('|'), value: o.template }));
  }
  let period: PeriodPreset | undefined;
  let { since, until } = o;
  if (o.period !== undefined) {
    period = parsePeriodPreset(o.period);
    if (!period) throw new UsageError(t('cli.usage.oneOf', { name: 'period', choices: 'today|yesterday|this-week|last-week|this-month|last-month|all', value: o.period }));
    if (o.since !== undefined || o.until !== undefined) throw new UsageError(t('cli.usage.periodWithRange'));
    if (period !== 'all') ({ since, until } = presetDays(period, Date.now(), timeZone, weekStart));
  }
  return { template, period, since, until };
}

export function parseCli(argv: readonly string[], t: Translator = englishTranslator): Command {
  const { values: o, positionals } = parseOptions(argv);
  if (o.help) return { kind: 'help' };
  if (o.version) return { kind: 'version' };
  if (positionals.length === 0) return { kind: 'help' };
  if (positionals[0] === 'help') return { kind: 'help' };
  if (positionals[0] !== 'report') throw new UsageError(t('cli.usage.unknownCommand', { command: positionals[0] }));
  if (positionals.length > 1) throw new UsageError(t('cli.usage.unexpected', { value: positionals[1] }));

  for (const [name, v] of [['since', o.since], ['until', o.until]] as const) {
    if (v !== undefined) checkDay(name, v, t);
  }
  if (o.since && o.until && o.since > o.until) throw new UsageError(t('cli.usage.sinceAfterUntil', { since: o.since, until: o.until }));

  const { timeZone, weekStart } = zoneOptions(o.timezone, o['week-start']);
  for (const [name, v] of [['db', o.db], ['prices', o.prices]] as const) {
    if (v !== undefined && !v.trim()) throw new UsageError(t('cli.usage.needsPath', { name }));
  }
  if (o.db !== undefined && o['no-cache']) throw new UsageError(t('cli.usage.dbNoCache'));
  const format = oneOf('format', o.format, FORMATS, 'table', t);
  const doc = (DOCUMENT_FORMATS as readonly string[]).includes(format);
  for (const [name, v] of [['out', o.out], ['pdf-font', o['pdf-font']]] as const) {
    if (v !== undefined && !v.trim()) throw new UsageError(t('cli.usage.needsPath', { name }));
  }
  const docFormats = DOCUMENT_FORMATS.join('|');
  if (o.out !== undefined && !doc) throw new UsageError(t('cli.usage.outNotDocument', { formats: docFormats }));
  if ((format === 'xlsx' || format === 'pdf') && o.out === undefined) throw new UsageError(t('cli.usage.formatNeedsOut', { format }));
  if (o.template !== undefined && !doc) throw new UsageError(t('cli.usage.templateNotDocument', { formats: docFormats }));
  const { template, period, since, until } = documentOptions(o, timeZone, weekStart, t);

  return {
    kind: 'report',
    args: {
      by: oneOf('by', o.by, BYS, 'day', t),
      source: o.source === undefined ? 'all' : sourceList(o.source, t).length === SOURCE_IDS.length ? 'all' : sourceList(o.source, t).join(','),
      sources: sourceList(o.source, t),
      since,
      until,
      timeZone,
      weekStart,
      format,
      dirs: dirsOf(o, t),
      db: o.db,
      noCache: !!o['no-cache'],
      prices: o.prices,
      rates: ratesOf(o.rate as string[] | undefined, t),
      verbose: !!o.verbose,
      ...(o.estimates ? { estimates: true as const } : {}),
      ...(o.out !== undefined ? { out: o.out } : {}),
      ...(template ? { template } : {}),
      ...(period ? { period } : {}),
      ...(o['pdf-font'] !== undefined ? { pdfFont: o['pdf-font'] } : {}),
    },
  };
}
