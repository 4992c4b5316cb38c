/**
 * Calendar math in an IANA time zone, for the limits modules (budget periods, daily series, comparisons).
 * Rule: every calendar boundary (day, week, month) is computed in the user's zone, never in UTC, and a boundary
 * is the first instant whose local wall-clock reading is that date at 00:00 (or the DST transition instant when
 * local midnight does not exist that day). Pure: uses only `Intl.DateTimeFormat`.
 */

/** A local calendar date (month 1-12). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** Local wall-clock parts of an instant in a zone. `weekday`: 0 = Sunday … 6 = Saturday. */
export interface LocalParts extends LocalDate {
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const DAY_MS = 86_400_000;

/** True when `Intl` knows the zone name. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** An unknown or empty zone falls back to UTC (bad settings never crash a report). */
export function safeTimeZone(tz: string | null | undefined): string {
  return tz && isValidTimeZone(tz) ? tz : 'UTC';
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: safeTimeZone(tz),
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock parts of `ms` in `tz` (a non-finite or out-of-range `ms` reads as the epoch, never throws). */
export function localParts(ms: number, tz: string): LocalParts {
  const p = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, weekday: 0 };
  const safeMs = Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : 0;
  for (const part of formatter(tz).formatToParts(new Date(safeMs))) {
    switch (part.type) {
      case 'year': p.year = Number(part.value); break;
      case 'month': p.month = Number(part.value); break;
      case 'day': p.day = Number(part.value); break;
      case 'hour': p.hour = Number(part.value) % 24; break;
      case 'minute': p.minute = Number(part.value); break;
      case 'weekday': p.weekday = WEEKDAYS[part.value] ?? 0; break;
    }
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, weekday: p.weekday };
}

/** Offset of `tz` from UTC at instant `ms`, in ms (e.g. +05:45 → 20_700_000). */
export function offsetAt(ms: number, tz: string): number {
  const whole = Math.floor(ms / 60_000) * 60_000;
  const p = localParts(whole, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - whole;
}

/**
 * The instant at which the wall clock in `tz` reads the given local time. In a DST overlap the earlier instant
 * is returned; in a DST gap (the time does not exist) the transition instant is returned.
 */
export function zonedTimeToUtc(date: LocalDate, hour: number, minute: number, tz: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const before = offsetAt(wall - DAY_MS, tz);
  const after = offsetAt(wall + DAY_MS, tz);
  const a = wall - before;
  const b = wall - after;
  const aOk = offsetAt(a, tz) === before;
  const bOk = offsetAt(b, tz) === after;
  if (aOk && bOk) return Math.min(a, b);
  if (aOk) return a;
  if (bOk) return b;
  return Math.max(a, b);
}

/** Start of the local day `date` in `tz`. */
export function startOfLocalDay(date: LocalDate, tz: string): number {
  return zonedTimeToUtc(date, 0, 0, tz);
}

/** Calendar arithmetic on a local date (no zone involved). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Adds months keeping the day (the caller keeps days ≤ 28 where that matters). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1 + months, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: date.day };
}

/** Weekday of a local date, 0 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** `YYYY-MM-DD`. */
export function dateKey(date: LocalDate): string {
  const y = String(date.year).padStart(4, '0');
  return `${y}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Parses `YYYY-MM-DD`; null when malformed. */
export function parseDateKey(key: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return dateKey(addDays(date, 0)) === key ? date : null;
}

/**
 * Memoised local day key per 15-minute bucket: every real zone offset is a multiple of 15 minutes, so a whole
 * bucket falls in one local day and one local hour.
 */
export function bucketDayKeyer(tz: string): (bucketStartMs: number) => string {
  const memo = new Map<number, string>();
  return (ms) => {
    let k = memo.get(ms);
    if (k === undefined) {
      k = dateKey(localParts(ms, tz));
      memo.set(ms, k);
    }
    return k;
  };
}
