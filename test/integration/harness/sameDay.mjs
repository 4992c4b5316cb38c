// The fixtures are stamped "today" when they are written, and the tests compare what the extension shows for today
// with the CLI's row for today. A suite that runs across local midnight compares two different days: the extension's
// "today" moves on, the fixture's does not. So a suite that would start less than `needMs` before local midnight waits
// until just after it, and runs on one calendar day.

/** Milliseconds from `now` to the next local midnight. */
export function msToLocalMidnight(now = new Date()) {
  const next = new Date(now);
  next.setHours(24, 0, 0, 0);
  return next.getTime() - now.getTime();
}

/**
 * Waits until local midnight has passed (plus 2 s) when fewer than `needMs` remain of the local day; returns the
 * milliseconds waited (0 when the day has room for the suite).
 */
export async function startOnOneDay(needMs, log = () => {}, now = new Date(), sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
  const left = msToLocalMidnight(now);
  if (left >= needMs) return 0;
  const wait = left + 2_000;
  log(`only ${Math.round(left / 1000)} s of today left: waiting ${Math.round(wait / 1000)} s for tomorrow, so the suite's fixtures and checks share one day`);
  await sleep(wait);
  return wait;
}
