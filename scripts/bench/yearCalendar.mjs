// The calendar of the one-year corpus: 365 local days ending yesterday, heavy use on weekdays, light at weekends,
// all of it in working hours (local time). Pure functions of the end day and the scale.

/** One year of heavy Claude Code use (issue 14): ~1.5 million API calls in ~12,750 session files over 40 projects. */
export const YEAR_SHAPE = {
  days: 365,
  weekdayCalls: 5_100,
  weekendCalls: 1_600,
  projects: 40,
  /** 1.5 million calls in 12,750 session files */
  callsPerSession: 1_500_000 / 12_750,
  /** Codex: a tenth of the Claude calls, in rollouts of about this many calls */
  codexShare: 0.1,
  codexCallsPerSession: 40,
  workStartHour: 9,
  workEndHour: 18,
};

const pad = (n) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of a local date. */
export const localDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Yesterday in local time, as 'YYYY-MM-DD'. */
export function yesterdayLocal(now = new Date()) {
  return localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
}

/**
 * The corpus days, oldest first: { day, weekend, calls (Claude), codexCalls, workStartMs, workEndMs } (local time).
 * `scale` shrinks the calls (1 = the full year; tests use ~0.002); every day keeps at least one call.
 * @param {string} endDay 'YYYY-MM-DD' @param {number} scale
 */
export function yearDays(endDay, scale = 1, shape = YEAR_SHAPE) {
  const [y, m, d] = endDay.split('-').map(Number);
  const out = [];
  for (let i = shape.days - 1; i >= 0; i--) {
    const date = new Date(y, m - 1, d - i);
    const weekend = date.getDay() === 0 || date.getDay() === 6;
    const calls = Math.max(1, Math.round((weekend ? shape.weekendCalls : shape.weekdayCalls) * scale));
    out.push({
      day: localDay(date),
      weekend,
      calls,
      codexCalls: Math.max(1, Math.round(calls * shape.codexShare)),
      workStartMs: new Date(date.getFullYear(), date.getMonth(), date.getDate(), shape.workStartHour).getTime(),
      workEndMs: new Date(date.getFullYear(), date.getMonth(), date.getDate(), shape.workEndHour).getTime(),
    });
  }
  return out;
}

/**
 * Splits a day's calls into `sessions` sessions of uneven length (each at least one call).
 * @returns {number[]}
 */
export function splitCalls(rng, calls, sessions) {
  const n = Math.max(1, Math.min(sessions, calls));
  const weights = Array.from({ length: n }, () => rng.logUniform(40, 300));
  const total = weights.reduce((a, b) => a + b, 0);
  const rest = calls - n;
  const parts = weights.map((w) => 1 + Math.floor((rest * w) / total));
  parts[n - 1] += calls - parts.reduce((a, b) => a + b, 0);
  return parts;
}

/**
 * Start time and gap between calls for a session of `calls` calls with gaps of `gapMs()` on average, placed
 * inside the working hours of the day. Returns the timestamps of its calls (ascending, all within the hours).
 */
export function sessionTimes(rng, day, calls, gapMs) {
  const gaps = Array.from({ length: calls }, gapMs);
  const span = gaps.reduce((a, b) => a + b, 0);
  const window = day.workEndMs - day.workStartMs - 60_000;
  const squeeze = span > window ? window / span : 1;
  let t = day.workStartMs + Math.floor(rng.next() * Math.max(0, window - span * squeeze));
  return gaps.map((g) => (t += Math.max(1, Math.floor(g * squeeze))));
}
