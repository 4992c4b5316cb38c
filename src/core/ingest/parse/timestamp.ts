/**
 * A line's `timestamp` as epoch ms (NaN when it is not a parseable string).
 *
 * Claude Code and Codex write ISO-8601 UTC with a `Z` (formats.md A.3, B.2). `Date.parse` reads a date-time without
 * an offset as the machine's local time, which would put the same log on different days on different machines; such
 * a timestamp is read as UTC here. Date-only strings are UTC for `Date.parse` already; explicit offsets are kept.
 */
const EXPLICIT_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

export function logTimestampMs(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  if (v.charCodeAt(v.length - 1) === 0x5a /* Z: the form the agents write */) {
    const ms = utcMsOf(v);
    return Number.isNaN(ms) ? Date.parse(v) : ms;
  }
  const t = v.length > 10 ? v.charCodeAt(10) : 0;
  if (t !== 0x54 /* T */ && t !== 0x74 /* t */ && t !== 0x20 /* space */) return Date.parse(v);
  return EXPLICIT_ZONE.test(v.slice(11)) ? Date.parse(v) : Date.parse(`${v}Z`);
}

/**
 * logTimestampMs of the string in bytes [s, e) of `b` (a JSON string's bytes without escapes): the agents' form read
 * from the bytes, without building the string; any other form through the string.
 */
export function logTimestampMsOfBytes(b: Uint8Array, s: number, e: number): number {
  if (e > s && b[e - 1] === 0x5a /* Z */) {
    const ms = utcMsOfBytes(b, s, e);
    if (!Number.isNaN(ms)) return ms;
  }
  return logTimestampMs(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', s, e));
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at i as a number, or -1. */
function two(v: string, i: number): number {
  const a = v.charCodeAt(i) - 0x30;
  const b = v.charCodeAt(i + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.mmmZ` (the agents' form: `Date.prototype.toISOString()`, chrono's
 * millisecond RFC 3339) read by hand — a tenth of the time of `Date.parse` on every counted line — as `Date.parse`
 * reads it; NaN for any other form or a date `Date.parse` would not accept (then `Date.parse` decides).
 */
function utcMsOf(v: string): number {
  const n = v.length;
  if ((n !== 20 && n !== 24) || v.charCodeAt(4) !== 0x2d || v.charCodeAt(7) !== 0x2d || v.charCodeAt(10) !== 0x54 || v.charCodeAt(13) !== 0x3a || v.charCodeAt(16) !== 0x3a) return NaN;
  const y1 = two(v, 0);
  const y2 = two(v, 2);
  const mo = two(v, 5);
  const d = two(v, 8);
  const h = two(v, 11);
  const mi = two(v, 14);
  const s = two(v, 17);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return NaN;
  const y = y1 * 100 + y2;
  if (y < 100) return NaN; // Date.UTC would read years 0–99 as 1900–1999
  if (d > DAYS_IN_MONTH[mo - 1] || (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) return NaN;
  let ms = 0;
  if (n === 24) {
    const c = v.charCodeAt(22) - 0x30;
    if (v.charCodeAt(19) !== 0x2e || c < 0 || c > 9) return NaN;
    const ab = two(v, 20);
    if (ab < 0) return NaN;
    ms = ab * 10 + c;
  }
  return daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms;
}

/** Two ASCII digits at b[i] as a number, or -1. */
function twoB(b: Uint8Array, i: number): number {
  const x = b[i] - 0x30;
  const y = b[i + 1] - 0x30;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/**
 * utcMsOf of the bytes [s, e) (ASCII only: every position is checked to be a digit or a separator, so a byte
 * that is not ASCII never passes).
 */
function utcMsOfBytes(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if ((n !== 20 && n !== 24) || b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || b[s + 10] !== 0x54 || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a) return NaN;
  const y1 = twoB(b, s);
  const y2 = twoB(b, s + 2);
  const mo = twoB(b, s + 5);
  const d = twoB(b, s + 8);
  const h = twoB(b, s + 11);
  const mi = twoB(b, s + 14);
  const sec = twoB(b, s + 17);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
  const y = y1 * 100 + y2;
  if (y < 100) return NaN;
  if (d > DAYS_IN_MONTH[mo - 1] || (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) return NaN;
  let ms = 0;
  if (n === 24) {
    const c = b[s + 22] - 0x30;
    if (b[s + 19] !== 0x2e || c < 0 || c > 9) return NaN;
    const ab = twoB(b, s + 20);
    if (ab < 0) return NaN;
    ms = ab * 10 + c;
  }
  return daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (month 1–12, year ≥ 1), by arithmetic — the value Date.UTC
 * gives, without its call into the runtime (H. Hinnant's days_from_civil).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  // Every operand is a small non-negative integer (the callers take years ≥ 100), so `(a / b) | 0` is the floor. It
  // keeps V8 from guessing an exact quotient from the first dates seen (e.g. 2024/4) and deoptimising on the next
  // ("lost precision", several recompiles of utcMsOf per thread).
  const era = (y / 400) | 0;
  const yoe = y - era * 400;
  const doy = ((153 * ((month + 9) % 12) + 2) / 5) | 0;
  return era * 146_097 + yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy + day - 1 - 719_468;
}
