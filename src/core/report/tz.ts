/**
 * Calendar math in the user's IANA time zone. Days, weeks, months, hours and weekdays are always the user's local
 * ones (never UTC, never file dates). Usage is stored in 15-minute UTC buckets; every real UTC offset is a
 * multiple of 15 minutes (Asia/Kathmandu +05:45, America/St_Johns −03:30), so a bucket never straddles a local
 * day boundary and the local keys of a bucket's start are exact for all of its entries.
 */
import { readlinkSync } from 'node:fs';

export class InvalidTimeZoneError extends Error {}

/**
 * The system's zone (what `Intl` resolves), falling back to UTC. A system on UTC — `TZ` set to `UTC` or `Etc/UTC`,
 * or no `TZ` and /etc/localtime linked to the zoneinfo file of UTC, the two places ICU looks first — is answered
 * without `Intl`: loading ICU's zone data costs ~20 ms of a CLI run, and a UTC calendar never needs it.
 */
export function systemTimeZone(env: Record<string, string | undefined> = process.env): string {
  if (systemIsUtc(env)) return 'UTC';
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function systemIsUtc(env: Record<string, string | undefined>): boolean {
  if (env.TZ !== undefined) return env.TZ === 'UTC' || env.TZ === 'Etc/UTC';
  if (process.platform === 'win32') return false;
  try {
    return /\/zoneinfo\/(Etc\/)?UTC$/.test(readlinkSync('/etc/localtime'));
  } catch {
    return false; // not a link (a copy of a zone file): Intl tells
  }
}

/** Returns the canonical spelling of a zone, or throws InvalidTimeZoneError with a clear message. */
export function validateTimeZone(zone: string): string {
  if (zone === 'UTC') return zone; // canonical as it is (no ICU data loaded for it)
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
  /** made on the first offset asked of a zone other than UTC */
  private fmtMade: Intl.DateTimeFormat | undefined;
  private readonly days = new Map<number, number | { switchMs: number; before: number; after: number }>();
  /** the offset at each UTC midnight asked (the end of one day is the start of the next) */
  private readonly atMidnight = new Map<number, number>();

  constructor(timeZone: string) {
    this.timeZone = validateTimeZone(timeZone);
  }

  private get fmt(): Intl.DateTimeFormat {
    this.fmtMade ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    return this.fmtMade;
  }

  /**
   * Local time minus UTC, in ms, at the UTC instant `utcMs`. Cached per UTC day: a day whose start and end have
   * the same offset has it throughout; otherwise its one transition is found by bisection on 15-minute steps
   * (every zone changes offset at most once a day, on a quarter hour).
   */
  offsetMs(utcMs: number): number {
    if (this.timeZone === 'UTC') return 0;
    const day = Math.floor(utcMs / DAY_MS);
    let e = this.days.get(day);
    if (e === undefined) {
      const dayStart = day * DAY_MS;
      const before = this.midnightOffset(dayStart);
      const after = this.midnightOffset(dayStart + DAY_MS);
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
      if (this.days.size > 100_000) {
        this.days.clear();
        this.atMidnight.clear();
      }
      this.days.set(day, e);
    }
    return typeof e === 'number' ? e : utcMs < e.switchMs ? e.before : e.after;
  }

  private midnightOffset(utcMs: number): number {
    let o = this.atMidnight.get(utcMs);
    if (o === undefined) {
      o = this.rawOffset(utcMs);
      this.atMidnight.set(utcMs, o);
    }
    return o;
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
    return this.startOfLocalMidnight(parseDay(day));
  }

  /** startOfDay of the local day whose midnight, read as UTC, is `localMidnight` (no `YYYY-MM-DD` round trip). */
  startOfLocalMidnight(localMidnight: number): number {
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
      // the day after `until` by arithmetic: after 9999-12-31 comes a day that has no YYYY-MM-DD key
      untilMs: until === undefined ? undefined : this.startOfLocalMidnight(parseDay(until) + DAY_MS),
    };
  }
}

/**
 * Parses `YYYY-MM-DD` (a real calendar date) to its UTC midnight ms; throws RangeError otherwise. Years 0000–0099
 * are rejected too (Date.UTC reads them as 1900–1999, and this calendar code is not meant for them); the CLI
 * accepts 1970-01-01 … 9999-12-31.
 */
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
/**
 * The shared calendar of a zone (its offset cache lives as long as the process, reused by every report, snapshot
 * and limits rule). The one rule for a bad zone everywhere past the point where it enters: an unknown or empty
 * zone reads as UTC. Where a zone enters, it is checked once: the CLI's --timezone with `validateTimeZone`
 * (a usage error), the settings with `isValidTimeZone` (a warning). `new ZoneCalendar` itself throws.
 */
export function zoneCalendar(timeZone: string | null | undefined): ZoneCalendar {
  const key = timeZone ?? '';
  let c = calendars.get(key);
  if (!c) {
    const zone = new ZoneCalendar(safeTimeZone(timeZone)).timeZone; // canonical spelling: aliases share one calendar
    c = calendars.get(zone) ?? new ZoneCalendar(zone);
    calendars.set(zone, c);
    calendars.set(key, c);
  }
  return c;
}

// ---- Functional helpers on plain dates and instants, over the shared calendar (`zoneCalendar`, so an unknown
// zone reads as UTC here too). Every calendar boundary (day, week, month) is computed in the user's zone, never in
// UTC, and a boundary is the first instant whose local wall-clock reading is that date at 00:00 (or the DST
// transition instant when local midnight does not exist that day).

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

const validity = new Map<string, boolean>();
/** True when `Intl` knows the zone name (remembered per name). */
export function isValidTimeZone(tz: string): boolean {
  if (tz === 'UTC') return true; // no ICU data loaded for it
  let ok = validity.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (validity.size > 1000) validity.clear();
    validity.set(tz, ok);
  }
  return ok;
}

/** An unknown or empty zone falls back to UTC (bad settings never crash a report). */
export function safeTimeZone(tz: string | null | undefined): string {
  return tz && isValidTimeZone(tz) ? tz : 'UTC';
}

/** Instants this far from the epoch (a day short of Date's limit, so offsets can be read around them) are usable. */
const MAX_MS = 8.64e15 - 2 * DAY_MS;

/** Wall-clock parts of `ms` in `tz` (a non-finite or out-of-range `ms` reads as the epoch, never throws). */
export function localParts(ms: number, tz: string): LocalParts {
  const safeMs = Number.isFinite(ms) && Math.abs(ms) <= MAX_MS ? ms : 0;
  const d = new Date(zoneCalendar(tz).localMs(safeMs));
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay(),
  };
}

/** Offset of `tz` from UTC at instant `ms`, in ms (e.g. +05:45 → 20_700_000), in whole minutes. */
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
  return zoneCalendar(tz).startOfLocalMidnight(Date.UTC(date.year, date.month - 1, date.day));
}

/**
 * The starts of the local days in `timeZone` from the one holding `fromMs` up to `toMs` (a local day start), with
 * `toMs` last: consecutive elements bound one day each.
 */
export function localDayStarts(fromMs: number, toMs: number, timeZone: string): number[] {
  const tz = zoneCalendar(timeZone).timeZone;
  let date: LocalDate = localParts(fromMs, tz);
  let start = startOfLocalDay(date, tz);
  const out: number[] = [];
  while (start < toMs) {
    out.push(start);
    date = addDays(date, 1);
    start = startOfLocalDay(date, tz);
  }
  out.push(toMs);
  return out;
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
 * Local day key of a 15-minute bucket start (every real zone offset is a multiple of 15 minutes, so a whole bucket
 * falls in one local day and one local hour), from the zone's shared clock memo. A non-finite time reads as the
 * epoch, as in `localParts`.
 */
export function bucketDayKeyer(tz: string): (bucketStartMs: number) => string {
  const clock = zoneClock(tz);
  return (ms) => clock(Number.isFinite(ms) && Math.abs(ms) <= MAX_MS ? ms : 0).day;
}

// ---- Day-key (`YYYY-MM-DD` string) helpers and a memoised clock, for the dashboard (formerly host/dashboard/zone.ts).

/** Local wall-clock reading of an instant, with the day as a `YYYY-MM-DD` key. `weekday`: 0 = Sunday … 6 = Saturday. */
export interface ClockParts {
  /** YYYY-MM-DD in the zone */
  day: string;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const clocks = new Map<string, Map<number, ClockParts>>();
/** Local times whose `toISOString` day is a plain `YYYY-MM-DD` (years 0000–9999). */
const MIN_ISO_MS = -62_167_219_200_000; // 0000-01-01T00:00:00Z
const MAX_ISO_MS = Date.UTC(10000, 0, 1);

/** The day keys of local days (by local ms / DAY_MS, floored) already made: a year's buckets fall on 365 days. */
const dayKeys = new Map<number, string>();

/** `ymd(local)`, made once per local day (a first snapshot meets ~45k new buckets; toISOString was most of their cost). */
function dayKeyOfLocal(local: number): string {
  const n = Math.floor(local / DAY_MS);
  let key = dayKeys.get(n);
  if (key === undefined) {
    key = ymd(n * DAY_MS);
    if (dayKeys.size > 100_000) dayKeys.clear();
    dayKeys.set(n, key);
  }
  return key;
}

/**
 * Returns a function ms → local parts in `timeZone` (an unknown zone reads as UTC, as everywhere), memoised per
 * 15-minute bucket in a memo kept per zone across calls: a dashboard snapshot reuses what the previous one read.
 * Throws RangeError for a time outside Date's range.
 */
export function zoneClock(timeZone: string): (ms: number) => ClockParts {
  const cal = zoneCalendar(timeZone);
  let cache = clocks.get(cal.timeZone);
  if (!cache) {
    cache = new Map();
    clocks.set(cal.timeZone, cache);
  }
  const memo = cache;
  return (ms: number): ClockParts => {
    const bucket = Math.floor(ms / QUARTER_MS) * QUARTER_MS;
    const hit = memo.get(bucket);
    if (hit && ms - bucket < QUARTER_MS) return withMinute(hit, ms, bucket);
    if (!Number.isFinite(bucket) || Math.abs(bucket) > MAX_MS) throw new RangeError('Invalid time value');
    const local = cal.localMs(bucket);
    const d = new Date(local);
    const day = local >= MIN_ISO_MS && local < MAX_ISO_MS ? dayKeyOfLocal(local) : dateKey({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
    const parts: ClockParts = { day, hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
    if (memo.size > 200_000) memo.clear();
    memo.set(bucket, parts);
    return withMinute(parts, ms, bucket);
  };
}

function withMinute(p: ClockParts, ms: number, bucket: number): ClockParts {
  if (ms === bucket) return p;
  return { ...p, minute: p.minute + Math.floor((ms - bucket) / 60_000) };
}

/** Splits a `YYYY-MM-DD` key into numbers (no validation). */
function splitKey(day: string): LocalDate {
  const [year, month, date] = day.split('-').map(Number);
  return { year, month, day: date };
}

/** Adds `n` calendar days to a YYYY-MM-DD key (calendar arithmetic, independent of zones). */
export function addDaysToKey(day: string, n: number): string {
  const d = splitKey(day);
  return ymd(Date.UTC(d.year, d.month - 1, d.day + n));
}

/** Whole days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  const x = splitKey(a);
  const y = splitKey(b);
  return Math.round((Date.UTC(y.year, y.month - 1, y.day) - Date.UTC(x.year, x.month - 1, x.day)) / DAY_MS);
}

/** Every day key from `from` to `to`, inclusive. */
export function dayKeyRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDaysToKey(d, 1)) out.push(d);
  return out;
}

/** JS weekday (0 = Sunday) of a day key. */
export function weekdayOfKey(day: string): number {
  return weekdayOf(splitKey(day));
}

/** First day of the week containing `day`, for a week starting on `weekStart` (0 = Sunday). */
export function weekStartDay(day: string, weekStart: number): string {
  return addDaysToKey(day, -((weekdayOfKey(day) - weekStart + 7) % 7));
}

/**
 * First day of the billing month containing `day`: the `cycleDay` (1–28) of this month when `day` is on or after
 * it, else of the previous month. cycleDay 1 = calendar months.
 */
export function cycleStartDay(day: string, cycleDay: number): string {
  const c = Math.min(28, Math.max(1, Math.floor(cycleDay) || 1));
  const { year: y, month: m, day: d } = splitKey(day);
  return ymd(d >= c ? Date.UTC(y, m - 1, c) : Date.UTC(y, m - 2, c));
}

/**
 * UTC ms of the first instant of local day `day` (`YYYY-MM-DD`) in `timeZone` (an unknown zone reads as UTC). When
 * local midnight does not exist (a DST jump at midnight, e.g. Africa/Cairo, America/Santiago) the day starts at the
 * jump; when it exists twice, at the earlier one. Same result as ZoneCalendar.startOfDay for a valid zone.
 */
export function startOfDayKey(day: string, timeZone: string): number {
  return startOfLocalDay(splitKey(day), timeZone);
}
