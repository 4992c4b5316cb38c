/**
 * Calendar math in the user's IANA time zone. Days, weeks, months, hours and weekdays are always the user's local
 * ones (never UTC, never file dates). Usage is stored in 15-minute UTC buckets; every real UTC offset is a
 * multiple of 15 minutes (Asia/Kathmandu +05:45, America/St_Johns −03:30), so a bucket never straddles a local
 * day boundary and the local keys of a bucket's start are exact for all of its entries.
 */

export class InvalidTimeZoneError extends Error {}

/** The system's zone (what `Intl` resolves), falling back to UTC. */
export function systemTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Returns the canonical spelling of a zone, or throws InvalidTimeZoneError with a clear message. */
export function validateTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidTimeZoneError(`unknown time zone "${zone}" (expected an IANA name such as Europe/Berlin or UTC)`);
  }
}

const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export const WEEKDAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** Parses a week start: a day name (`monday`, `mon`) or 0–6 (0 = Sunday). Throws on anything else. */
export function parseWeekStart(value: string | number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 6) return value;
  const s = String(value).trim().toLowerCase();
  if (/^[0-6]$/.test(s)) return Number(s);
  const i = WEEKDAY_NAMES.findIndex((d) => s.length >= 3 && d.startsWith(s));
  if (i < 0) throw new RangeError(`unknown week start "${value}" (expected monday, tuesday, …, sunday)`);
  return i;
}

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
/** `YYYY-MM-DD` of a "local clock as UTC" millisecond value. */
const ymd = (localMs: number) => new Date(localMs).toISOString().slice(0, 10);

/** Local calendar of one zone with cached offset lookups (by 15-minute UTC bucket). */
export class ZoneCalendar {
  readonly timeZone: string;
  private readonly fmt: Intl.DateTimeFormat;
  private readonly days = new Map<number, number | { switchMs: number; before: number; after: number }>();

  constructor(timeZone: string) {
    this.timeZone = validateTimeZone(timeZone);
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /**
   * Local time minus UTC, in ms, at the UTC instant `utcMs`. Cached per UTC day: a day whose start and end have
   * the same offset has it throughout; otherwise its one transition is found by bisection on 15-minute steps
   * (every zone changes offset at most once a day, on a quarter hour).
   */
  offsetMs(utcMs: number): number {
    const day = Math.floor(utcMs / DAY_MS);
    let e = this.days.get(day);
    if (e === undefined) {
      const dayStart = day * DAY_MS;
      const before = this.rawOffset(dayStart);
      const after = this.rawOffset(dayStart + DAY_MS);
      if (before === after) e = before;
      else {
        let lo = 0; // offset(lo) === before
        let hi = DAY_MS / QUARTER_MS; // offset(hi) === after
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (this.rawOffset(dayStart + mid * QUARTER_MS) === before) lo = mid;
          else hi = mid;
        }
        e = { switchMs: dayStart + hi * QUARTER_MS, before, after };
      }
      if (this.days.size > 100_000) this.days.clear();
      this.days.set(day, e);
    }
    return typeof e === 'number' ? e : utcMs < e.switchMs ? e.before : e.after;
  }

  /** The offset straight from Intl (no cache). */
  private rawOffset(utcMs: number): number {
    const p: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(new Date(utcMs))) {
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    }
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utcMs / 1000) * 1000;
  }

  /** The local clock reading of `utcMs`, expressed as a UTC ms value (read it with getUTC*). */
  localMs(utcMs: number): number {
    return utcMs + this.offsetMs(utcMs);
  }

  /** Local day `YYYY-MM-DD`. */
  dayKey(utcMs: number): string {
    return ymd(this.localMs(utcMs));
  }

  /** Local month `YYYY-MM`. */
  monthKey(utcMs: number): string {
    return ymd(this.localMs(utcMs)).slice(0, 7);
  }

  /** Local hour of day, 0–23. */
  hourOfDay(utcMs: number): number {
    return new Date(this.localMs(utcMs)).getUTCHours();
  }

  /** Local weekday, 0 = Sunday … 6 = Saturday. */
  weekday(utcMs: number): number {
    return new Date(this.localMs(utcMs)).getUTCDay();
  }

  /** Week key: `YYYY-MM-DD` of the local first day of the week that contains `utcMs` (weekStart 0 = Sunday). */
  weekKey(utcMs: number, weekStart: number): string {
    const local = this.localMs(utcMs);
    const back = (new Date(local).getUTCDay() - weekStart + 7) % 7;
    return ymd(local - back * DAY_MS);
  }

  /** ISO 8601 week label `YYYY-Www` (weeks start on Monday; week 1 holds the year's first Thursday). */
  isoWeekLabel(utcMs: number): string {
    return isoWeekOfDay(this.dayKey(utcMs));
  }

  /**
   * UTC ms of the first instant of local day `YYYY-MM-DD`. When local midnight does not exist (a DST jump at
   * midnight) the day starts at the jump; when it exists twice, the earlier one.
   */
  startOfDay(day: string): number {
    const localMidnight = parseDay(day);
    const before = this.offsetMs(localMidnight - DAY_MS);
    const after = this.offsetMs(localMidnight + DAY_MS);
    const t1 = localMidnight - before;
    const t2 = localMidnight - after;
    if (this.localMs(t1) !== localMidnight && this.localMs(t2) === localMidnight) return t2;
    return t1;
  }

  /** `[startMs, endMs)` in UTC covering local days `since` … `until` inclusive (either side may be open). */
  dayRange(since?: string, until?: string): { sinceMs?: number; untilMs?: number } {
    return {
      sinceMs: since === undefined ? undefined : this.startOfDay(since),
      untilMs: until === undefined ? undefined : this.startOfDay(ymd(parseDay(until) + DAY_MS)),
    };
  }
}

/** Parses `YYYY-MM-DD` (a real calendar date) to its UTC midnight ms; throws RangeError otherwise. */
export function parseDay(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (ymd(ms) === day) return ms;
  }
  throw new RangeError(`invalid date "${day}" (expected YYYY-MM-DD)`);
}

/** ISO week label of a calendar day `YYYY-MM-DD`. */
export function isoWeekOfDay(day: string): string {
  const ms = parseDay(day);
  const dow = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = ms + (3 - dow) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${pad2(week)}`;
}

const calendars = new Map<string, ZoneCalendar>();
/** A shared calendar per zone (its offset cache is reused across reports). */
export function zoneCalendar(timeZone: string): ZoneCalendar {
  let c = calendars.get(timeZone);
  if (!c) {
    c = new ZoneCalendar(timeZone);
    calendars.set(timeZone, c);
  }
  return c;
}
