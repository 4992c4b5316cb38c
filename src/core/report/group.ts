/**
 * Groups facts into report rows by a time grain (local day/week/month/hour/weekday in the user's zone) or a
 * dimension (session, project, model, source, git branch, activity). `--by model` rows are split per source.
 */
import type { PriceTable } from '../pricing/priceTable';
import type { Fact, Source } from '../types';
import { RowAccumulator, type ReportRow } from './rows';
import { WEEKDAY_SHORT, isoWeekOfDay, zoneCalendar } from './tz';
import { SUBAGENT_PREFIX } from '../activity';

export type GroupBy = 'day' | 'week' | 'month' | 'session' | 'project' | 'model' | 'source' | 'branch' | 'activity' | 'hour' | 'weekday';
export const GROUP_BYS: readonly GroupBy[] = ['day', 'week', 'month', 'session', 'project', 'model', 'source', 'branch', 'activity', 'hour', 'weekday'];

export interface GroupOptions {
  /** IANA zone for day/week/month/hour/weekday keys. */
  timeZone: string;
  /** First day of the week, 0 = Sunday … 6 = Saturday (default 1, Monday). */
  weekStart?: number;
  prices: PriceTable;
  /** Display path of a project key (Claude: from the entries' cwd; Codex: the cwd itself). */
  projectDisplayPath?: (source: Source, project: string) => string | undefined;
}

/**
 * Week rows with a Monday start also carry their ISO 8601 label (`YYYY-Www`); activity rows their activity key as
 * stored (core/activity.ts; '' unknown), beside the display key.
 */
export type GroupedRow = ReportRow & { isoWeek?: string; activity?: string };

/** Rows for the branch with no known git branch. */
export const NO_BRANCH = '(none)';

/** Rows for usage whose activity is unknown (indexed before activity was recorded, or a source without tool calls). */
export const NO_ACTIVITY = '(unknown)';

/** `<synthetic>` lines are written by the client (errors, notices), carry no tokens and are never a model. */
const SYNTHETIC = '<synthetic>';

const TIME_GRAINS: ReadonlySet<GroupBy> = new Set(['day', 'week', 'month', 'hour']);
/** Groupings whose rows belong to one source; the others report `source: null` (not applicable). */
const ONE_SOURCE_ROWS: ReadonlySet<GroupBy> = new Set(['source', 'model', 'session']);

export function groupFacts(facts: readonly Fact[], by: GroupBy, opts: GroupOptions): GroupedRow[] {
  const cal = zoneCalendar(opts.timeZone);
  const weekStart = opts.weekStart ?? 1;
  const display = (f: Fact) => opts.projectDisplayPath?.(f.source, f.project);
  const groups = new Map<string, { key: string; model: string | null; acc: RowAccumulator; project?: string; activity?: string }>();
  // facts come ordered by bucket: the time key of the previous bucket is reused
  let lastBucket = NaN;
  let lastTimeKey = '';
  const timeKey = (bucket: number, of: (ms: number) => string): string => {
    if (bucket !== lastBucket) {
      lastBucket = bucket;
      lastTimeKey = of(bucket);
    }
    return lastTimeKey;
  };
  const dayOf = (ms: number) => cal.dayKey(ms);
  const weekOf = (ms: number) => cal.weekKey(ms, weekStart);
  const monthOf = (ms: number) => cal.monthKey(ms);
  const hourOf = (ms: number) => String(cal.hourOfDay(ms)).padStart(2, '0');
  const weekdayOf = (ms: number) => WEEKDAY_SHORT[cal.weekday(ms)];

  for (const f of facts) {
    if (f.model === SYNTHETIC) continue;
    let key: string;
    let id: string;
    let model: string | null = null;
    let project: string | undefined;
    let activity: string | undefined;
    switch (by) {
      case 'day':
        key = id = timeKey(f.bucketStartMs, dayOf);
        break;
      case 'week':
        key = id = timeKey(f.bucketStartMs, weekOf);
        break;
      case 'month':
        key = id = timeKey(f.bucketStartMs, monthOf);
        break;
      case 'hour':
        key = id = timeKey(f.bucketStartMs, hourOf);
        break;
      case 'weekday':
        key = id = timeKey(f.bucketStartMs, weekdayOf);
        break;
      case 'session':
        key = f.session;
        id = `${f.source}\u0000${f.session}`;
        project = display(f) ?? f.project;
        break;
      case 'project':
        // Claude and Codex name the same folder differently (encoded folder vs cwd); the display path joins them.
        key = id = display(f) ?? f.project;
        project = key;
        break;
      case 'model':
        key = model = f.model;
        id = `${f.source}\u0000${f.model}`;
        break;
      case 'source':
        key = id = f.source;
        break;
      case 'branch':
        key = id = f.branch || NO_BRANCH;
        break;
      case 'activity':
        // core/activity.ts keys: coding, exploring, mcp:<server>, subagent/…; '' unknown
        activity = f.activity ?? '';
        key = id = activityKey(activity);
        break;
    }
    let g = groups.get(id);
    if (!g) {
      g = { key, model, acc: new RowAccumulator(), project, activity };
      groups.set(id, g);
    }
    g.acc.add(f);
  }

  const rows: GroupedRow[] = [];
  for (const g of groups.values()) {
    const row: GroupedRow = g.acc.toRow(g.key, opts.prices, g.model);
    if (!ONE_SOURCE_ROWS.has(by)) row.source = null;
    if (g.project !== undefined) row.projectDisplayPath = g.project;
    if (g.activity !== undefined) row.activity = g.activity;
    if (by === 'week' && weekStart === 1) row.isoWeek = isoWeekOfDay(g.key);
    rows.push(row);
  }
  return sortRows(rows, by, weekStart);
}

/** The report key of an activity ('' unknown → NO_ACTIVITY, a subagent's unknown → `subagent/(unknown)`). */
export function activityKey(activity: string): string {
  if (activity === '') return NO_ACTIVITY;
  if (activity === SUBAGENT_PREFIX) return SUBAGENT_PREFIX + NO_ACTIVITY;
  return activity;
}

/**
 * Time grains ascending; weekdays from the week start; sessions by last activity; the rest by cost (unpriced
 * rows by their priced part), then tokens, descending.
 */
function sortRows(rows: GroupedRow[], by: GroupBy, weekStart: number): GroupedRow[] {
  if (TIME_GRAINS.has(by)) return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (by === 'weekday') {
    const pos = (k: string) => (WEEKDAY_SHORT.indexOf(k as (typeof WEEKDAY_SHORT)[number]) - weekStart + 7) % 7;
    return rows.sort((a, b) => pos(a.key) - pos(b.key));
  }
  if (by === 'session') return rows.sort((a, b) => a.lastMs - b.lastMs || a.key.localeCompare(b.key));
  return rows.sort(
    (a, b) =>
      (b.costUSD ?? b.pricedCostUSD) - (a.costUSD ?? a.pricedCostUSD) ||
      b.totalTokens - a.totalTokens ||
      a.key.localeCompare(b.key) ||
      (a.source ?? '').localeCompare(b.source ?? ''),
  );
}
