import type { ZoneCalendar } from '../report/tz';

const QUARTER_MS = 900_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A stretch of UTC time [fromMs, toMs) (whole hours) over which the zone's offset is one whole number of hours. */
export interface OffsetSegment {
  fromMs: number;
  toMs: number;
  offsetMs: number;
}

/** More segments than this (over 100 years of DST) and the 15-minute rows answer (SQL compound select limits). */
const MAX_SEGMENTS = 200;

/**
 * Whether usage summed per UTC hour (usage_hours) groups exactly like the 15-minute rows it sums: the one place that
 * decides between the hourly aggregates and the 15-minute rows. Returns null when the 15-minute rows are needed;
 * otherwise the stretches of constant offset covering `span` (the hours holding data), each a whole number of hours.
 *
 * - The range bounds (sinceMs/untilMs, from the report's local days) must be whole UTC hours, so that a range selects
 *   whole hours. Zones with :30/:45 offsets (Asia/Kolkata, Asia/Kathmandu, Australia/Adelaide) start their days
 *   inside an hour, so a range in them always needs the 15-minute rows.
 * - For local-time grains (`localKeys`: day, week, month, hour, weekday) every hour of `span` must have one offset
 *   throughout, a whole number of hours: then its four buckets read the same local hour, day, week and month. The
 *   :30/:45 zones fail this, and so does a span holding a half-hour DST shift (Australia/Lord_Howe, +10:30/+11) or
 *   a past offset that was not whole hours. Other groupings ignore the zone.
 *
 * Uses the calendar's own offsets (those the grouping uses), assuming like it at most one offset change per UTC day.
 */
export function hourRowsExact(
  cal: ZoneCalendar,
  range: { sinceMs?: number; untilMs?: number },
  localKeys: boolean,
  span: { fromMs: number; toMs: number },
): OffsetSegment[] | null {
  if (range.sinceMs !== undefined && range.sinceMs % HOUR_MS !== 0) return null;
  if (range.untilMs !== undefined && range.untilMs % HOUR_MS !== 0) return null;
  if (!localKeys) return [{ fromMs: span.fromMs, toMs: span.toMs, offsetMs: 0 }];
  const segments: OffsetSegment[] = [];
  let cur = { fromMs: span.fromMs, offsetMs: cal.offsetMs(span.fromMs) };
  /** the offset is `offsetMs` from `ms` on */
  const from = (ms: number, offsetMs: number): boolean => {
    if (offsetMs % HOUR_MS !== 0) return false;
    if (offsetMs === cur.offsetMs) return true;
    if (ms <= span.fromMs) cur = { fromMs: span.fromMs, offsetMs };
    else {
      if (ms % HOUR_MS !== 0) return false; // a switch inside an hour
      segments.push({ fromMs: cur.fromMs, toMs: ms, offsetMs: cur.offsetMs });
      cur = { fromMs: ms, offsetMs };
    }
    return true;
  };
  if (!from(span.fromMs, cur.offsetMs)) return null;
  // each UTC day's part of the span: its offset at the start and at the last quarter hour, and the switch between
  for (let day = Math.floor(span.fromMs / DAY_MS) * DAY_MS; day < span.toMs; day += DAY_MS) {
    const start = Math.max(day, span.fromMs);
    const last = Math.min(day + DAY_MS, span.toMs) - QUARTER_MS;
    const before = cal.offsetMs(start);
    const after = cal.offsetMs(last);
    if (!from(start, before)) return null;
    if (before !== after && !from(switchOf(cal, start, last, before), after)) return null;
    if (segments.length > MAX_SEGMENTS) return null;
  }
  segments.push({ fromMs: cur.fromMs, toMs: span.toMs, offsetMs: cur.offsetMs });
  return segments;
}

/** The first quarter hour in (start, last] whose offset is no longer `before` (the offset at `start`). */
function switchOf(cal: ZoneCalendar, start: number, last: number, before: number): number {
  let lo = 0;
  let hi = (last - start) / QUARTER_MS;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cal.offsetMs(start + mid * QUARTER_MS) === before) lo = mid;
    else hi = mid;
  }
  return start + hi * QUARTER_MS;
}
