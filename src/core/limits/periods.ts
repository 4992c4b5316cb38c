import {
  addDays, addMonths, dateKey, localParts, safeTimeZone, startOfLocalDay, weekdayOf, type LocalDate,
} from '../report/tz';

/**
 * Budget periods in the user's IANA time zone, as half-open ranges [startMs, endMs).
 * - day: local midnight to next local midnight (23 or 25 h across DST).
 * - week: 7 local days from the configured week start (0 = Sunday … 6 = Saturday; ISO weeks start Monday = 1).
 * - month: the billing cycle — from day D (1–28) of one month to day D of the next; D = 1 is the calendar month.
 *   A time before day D belongs to the cycle that started on day D of the previous month.
 * The id (`day:2026-03-15`, `week:2026-03-09`, `month:2026-02-15`) names the local start date, so it changes
 * exactly when the period rolls over.
 */
export type PeriodKind = 'day' | 'week' | 'month';

export interface PeriodOptions {
  /** IANA zone; unknown → UTC */
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday; default 1 (ISO) */
  weekStart?: number;
  /** 1–28; default 1 */
  billingCycleStartDay?: number;
}

export interface Period {
  kind: PeriodKind;
  id: string;
  startMs: number;
  endMs: number;
  /** local start date */
  start: LocalDate;
}

function clampInt(v: number | undefined, lo: number, hi: number, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.trunc(v))) : dflt;
}

/** Local start date of the period of `kind` that contains local date `d`. */
export function periodStartDate(kind: PeriodKind, d: LocalDate, opts: PeriodOptions): LocalDate {
  if (kind === 'day') return { year: d.year, month: d.month, day: d.day };
  if (kind === 'week') {
    const ws = clampInt(opts.weekStart, 0, 6, 1);
    return addDays(d, -((weekdayOf(d) - ws + 7) % 7));
  }
  const cd = clampInt(opts.billingCycleStartDay, 1, 28, 1);
  const thisMonth = { year: d.year, month: d.month, day: cd };
  return d.day >= cd ? thisMonth : addMonths(thisMonth, -1);
}

function nextStartDate(kind: PeriodKind, start: LocalDate): LocalDate {
  if (kind === 'day') return addDays(start, 1);
  if (kind === 'week') return addDays(start, 7);
  return addMonths(start, 1);
}

/** The period starting on local date `start` (which must be a period start). */
export function periodFromStart(kind: PeriodKind, start: LocalDate, opts: PeriodOptions): Period {
  const tz = safeTimeZone(opts.timeZone);
  return {
    kind,
    id: `${kind}:${dateKey(start)}`,
    start,
    startMs: startOfLocalDay(start, tz),
    endMs: startOfLocalDay(nextStartDate(kind, start), tz),
  };
}

/** The period of `kind` containing instant `ms`. */
export function periodAt(kind: PeriodKind, ms: number, opts: PeriodOptions): Period {
  const local = localParts(ms, safeTimeZone(opts.timeZone));
  return periodFromStart(kind, periodStartDate(kind, local, opts), opts);
}

/** The period just before `p`. */
export function previousPeriod(p: Period, opts: PeriodOptions): Period {
  const before = p.kind === 'day' ? addDays(p.start, -1) : p.kind === 'week' ? addDays(p.start, -7) : addMonths(p.start, -1);
  return periodFromStart(p.kind, before, opts);
}
