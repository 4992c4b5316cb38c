/**
 * Calendar math in the user's IANA time zone for the dashboard (pure, no vscode).
 * Days, hours and weekdays are always taken in the configured zone, never in UTC or the file dates.
 * Facts are 15-minute UTC buckets and every real zone offset is a multiple of 15 minutes, so one bucket lies in
 * exactly one local day and hour: results are cached per bucket start.
 */

export interface LocalParts {
  /** YYYY-MM-DD in the zone */
  day: string;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Returns a function ms → local parts in `timeZone`, memoised per 15-minute bucket. Invalid zones fall back to UTC. */
export function zoneClock(timeZone: string): (ms: number) => LocalParts {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', weekday: 'short',
    });
  } catch {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'UTC', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', weekday: 'short',
    });
  }
  const cache = new Map<number, LocalParts>();
  return (ms: number): LocalParts => {
    const bucket = Math.floor(ms / 900_000) * 900_000;
    const hit = cache.get(bucket);
    if (hit && ms - bucket < 900_000) return withMinute(hit, ms, bucket);
    const p: Record<string, string> = {};
    for (const part of fmt.formatToParts(bucket)) p[part.type] = part.value;
    const parts: LocalParts = {
      day: `${p.year}-${p.month}-${p.day}`,
      hour: Number(p.hour) % 24,
      minute: Number(p.minute),
      weekday: WEEKDAYS[p.weekday] ?? 0,
    };
    if (cache.size > 200_000) cache.clear();
    cache.set(bucket, parts);
    return withMinute(parts, ms, bucket);
  };
}

function withMinute(p: LocalParts, ms: number, bucket: number): LocalParts {
  if (ms === bucket) return p;
  return { ...p, minute: p.minute + Math.floor((ms - bucket) / 60_000) };
}

/** Adds `n` calendar days to a YYYY-MM-DD key (calendar arithmetic, independent of zones). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  const [ay, am, ad] = a.split('-').map(Number);
  const [by, bm, bd] = b.split('-').map(Number);
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / 86_400_000);
}

/** Every day key from `from` to `to`, inclusive. */
export function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** JS weekday (0 = Sunday) of a day key. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** First day of the week containing `day`, for a week starting on `weekStart` (0 = Sunday). */
export function weekStartDay(day: string, weekStart: number): string {
  return addDays(day, -((weekdayOf(day) - weekStart + 7) % 7));
}

/**
 * First day of the billing month containing `day`: the `cycleDay` (1–28) of this month when `day` is on or after
 * it, else of the previous month. cycleDay 1 = calendar months.
 */
export function cycleStartDay(day: string, cycleDay: number): string {
  const c = Math.min(28, Math.max(1, Math.floor(cycleDay) || 1));
  const [y, m, d] = day.split('-').map(Number);
  const start = d >= c ? new Date(Date.UTC(y, m - 1, c)) : new Date(Date.UTC(y, m - 2, c));
  return start.toISOString().slice(0, 10);
}

/** Epoch ms of local midnight starting `day` in the clock's zone (the first existing instant of that day). */
export function startOfDayMs(day: string, clock: (ms: number) => LocalParts): number {
  const [y, m, d] = day.split('-').map(Number);
  const target = Date.UTC(y, m - 1, d);
  let t = target;
  for (let i = 0; i < 4; i++) {
    const p = clock(t);
    const [py, pm, pd] = p.day.split('-').map(Number);
    const diff = target - Date.UTC(py, pm - 1, pd, p.hour, p.minute);
    if (diff === 0) break;
    t += diff;
  }
  return t;
}
