// Ground truth of a generated Claude corpus: each distinct API call counted once, per model, with its final usage.
// Shared by the default corpus (claudeCorpus.mjs) and the one-year corpus (yearClaude.mjs).

export function emptyClaudeTotals() {
  return {
    calls: 0, input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 0, longRequests: 0,
    // requests whose input (input + cache writes + cache reads) exceeds 200k: their usage, and (ccusage's rule)
    // the parts of each field of any request above 200k, so the benchmark can explain cost differences
    long: { input: 0, cw5m: 0, cw1h: 0, cacheRead: 0, output: 0 },
    abovePerField: { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 },
    // the requests above 200k by UTC day of their final line ('YYYY-MM-DD' → their usage), when the generator gives
    // the time: rates that changed on a date (Opus 4.6's long rates until 2026-03-13) are priced per day
    longByDay: {},
  };
}

/**
 * Counts one distinct API call (final usage `u` = { input, cw5m, cw1h, cacheRead, output, webSearch }, made at `atMs`,
 * the epoch ms of its final line, when given) into `truthByModel[model]`.
 */
export function countClaudeCall(truthByModel, model, u, atMs) {
  truthByModel[model] ??= emptyClaudeTotals();
  const t = truthByModel[model];
  t.calls++;
  t.input += u.input; t.output += u.output; t.cw5m += u.cw5m; t.cw1h += u.cw1h; t.cacheRead += u.cacheRead; t.webSearch += u.webSearch;
  if (u.input + u.cw5m + u.cw1h + u.cacheRead > 200_000) {
    t.longRequests++;
    t.long.input += u.input; t.long.cw5m += u.cw5m; t.long.cw1h += u.cw1h; t.long.cacheRead += u.cacheRead; t.long.output += u.output;
    if (atMs !== undefined) {
      const day = new Date(atMs).toISOString().slice(0, 10);
      t.longByDay[day] ??= { input: 0, cw5m: 0, cw1h: 0, cacheRead: 0, output: 0 };
      const d = t.longByDay[day];
      d.input += u.input; d.cw5m += u.cw5m; d.cw1h += u.cw1h; d.cacheRead += u.cacheRead; d.output += u.output;
    }
  }
  const above = (x) => Math.max(0, x - 200_000);
  t.abovePerField.input += above(u.input); t.abovePerField.cacheWrite += above(u.cw5m + u.cw1h);
  t.abovePerField.cacheRead += above(u.cacheRead); t.abovePerField.output += above(u.output);
}
