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
  if (v.charCodeAt(v.length - 1) === 0x5a /* Z: the form the agents write */) return Date.parse(v);
  const t = v.length > 10 ? v.charCodeAt(10) : 0;
  if (t !== 0x54 /* T */ && t !== 0x74 /* t */ && t !== 0x20 /* space */) return Date.parse(v);
  return EXPLICIT_ZONE.test(v.slice(11)) ? Date.parse(v) : Date.parse(`${v}Z`);
}
