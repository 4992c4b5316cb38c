import type { Fact } from '../types';
import { periodAt, type Period, type PeriodKind, type PeriodOptions } from './periods';
import { spendInRange, type CostOf } from './spend';

/**
 * Budgets: daily, weekly and monthly USD limits on all spend, plus monthly USD limits per project.
 * Spend in a period = cost of the facts whose 15-minute bucket starts in [period start, period end) (buckets never
 * straddle a local day boundary, since every real zone offset is a multiple of 15 min). Unpriced usage adds no
 * dollars and is reported as `unpricedTokens`.
 * Progress = spent / budget; a threshold T (percent) is crossed when progress ≥ T / 100.
 */
export const DEFAULT_THRESHOLDS: readonly number[] = [50, 80, 100];

export interface BudgetSettings {
  dailyUsd?: number | null;
  weeklyUsd?: number | null;
  monthlyUsd?: number | null;
  /** project path or name → monthly USD */
  projectsMonthlyUsd?: Record<string, number>;
  /** percents; default 50/80/100 */
  thresholds?: readonly number[];
}

export interface BudgetStatus {
  /** `daily` | `weekly` | `monthly` | `project:<key as configured>` */
  budgetId: string;
  kind: PeriodKind;
  /** the configured project key, for project budgets */
  project?: string;
  period: Period;
  limitUsd: number;
  spentUsd: number;
  unpricedTokens: number;
  /** spent / limit (may exceed 1) */
  fraction: number;
  /** thresholds (percent, ascending) reached in this period */
  crossed: number[];
}

/** Sorted, de-duplicated positive thresholds; the defaults when none are valid. */
export function normalizeThresholds(thresholds: readonly number[] | undefined): number[] {
  const t = [...new Set((thresholds ?? []).filter((x) => Number.isFinite(x) && x > 0))].sort((a, b) => a - b);
  return t.length ? t : [...DEFAULT_THRESHOLDS];
}

/** Thresholds (percent) reached at `fraction`. A tiny epsilon absorbs float noise at exactly 100 %. */
export function crossedThresholds(fraction: number, thresholds: readonly number[]): number[] {
  return thresholds.filter((t) => fraction * 100 >= t - 1e-9);
}

/** Claude's project folder name for a path: every non-alphanumeric character becomes '-'. */
function claudeFolderName(path: string): string {
  return path.replace(/[^a-zA-Z0-9]/g, '-');
}

function stripSlash(p: string): string {
  return p.length > 1 ? p.replace(/[\\/]+$/, '') : p;
}

/**
 * Whether a configured project key matches a fact's project. A key matches the project key itself, its display
 * path, the last segment of that path (a name), or — for a path key — the Claude folder name encoded from it.
 * A key starting with `~/` matches any display path ending in the rest (the home folder is not known here).
 */
export function projectMatches(key: string, project: string, displayPath: string | undefined): boolean {
  const k = stripSlash(key.trim());
  if (!k) return false;
  if (k === project || stripSlash(project) === k) return true;
  const shown = displayPath === undefined ? undefined : stripSlash(displayPath);
  if (shown !== undefined && (shown === k || shown.split(/[\\/]/).pop() === k)) return true;
  if (k.startsWith('~/') && k.length > 2) {
    const rest = k.slice(1);
    if ((shown ?? project).endsWith(rest)) return true;
    if (claudeFolderName(project) === project && project.endsWith(claudeFolderName(rest))) return true;
  }
  if (/[\\/]/.test(k) && claudeFolderName(k) === project) return true;
  if (!/[\\/]/.test(k) && shown === undefined && stripSlash(project).split(/[\\/]/).pop() === k) return true;
  return false;
}

function positive(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * Status of every configured budget at `nowMs`. `displayPathOf` maps a project key to its display path (from
 * `loadProjects`); without it only keys and path-encoded folder names match.
 */
export function budgetStatuses(
  facts: readonly Fact[],
  costOf: CostOf,
  settings: BudgetSettings,
  opts: PeriodOptions,
  nowMs: number,
  displayPathOf?: (project: string) => string | undefined,
): BudgetStatus[] {
  const thresholds = normalizeThresholds(settings.thresholds);
  const out: BudgetStatus[] = [];
  const make = (budgetId: string, kind: PeriodKind, limitUsd: number, filter?: (f: Fact) => boolean, project?: string) => {
    const period = periodAt(kind, nowMs, opts);
    const s = spendInRange(facts, costOf, period.startMs, period.endMs, filter);
    const fraction = s.costUsd / limitUsd;
    out.push({
      budgetId, kind, period, limitUsd, spentUsd: s.costUsd, unpricedTokens: s.unpricedTokens, fraction,
      crossed: crossedThresholds(fraction, thresholds), ...(project !== undefined ? { project } : {}),
    });
  };
  const daily = positive(settings.dailyUsd);
  const weekly = positive(settings.weeklyUsd);
  const monthly = positive(settings.monthlyUsd);
  if (daily !== null) make('daily', 'day', daily);
  if (weekly !== null) make('weekly', 'week', weekly);
  if (monthly !== null) make('monthly', 'month', monthly);
  for (const [key, usd] of Object.entries(settings.projectsMonthlyUsd ?? {})) {
    const limit = positive(usd);
    if (limit === null) continue;
    const memo = new Map<string, boolean>();
    const filter = (f: Fact) => {
      let m = memo.get(f.project);
      if (m === undefined) {
        m = projectMatches(key, f.project, displayPathOf?.(f.project));
        memo.set(f.project, m);
      }
      return m;
    };
    make(`project:${key}`, 'month', limit, filter, key);
  }
  return out;
}
