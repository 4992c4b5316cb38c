// Ground truth of the add-on corpus of the other sources (mixCorpus.mjs): per source, the requests and token sums in
// AgentMeter's conventions (src/core/sources/plugin.ts KeyedUsage: input without cache, output with reasoning),
// computed by the generator from the raw numbers it writes, each source's raw-to-convention rule restated where it
// writes them (never read back through AgentMeter).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The sources of the mix, in the registry's order. */
export const MIX_SOURCES = ['gemini', 'qwen', 'cline', 'roo', 'copilot-cli', 'opencode'];

export function emptyTruth() {
  return { files: 0, bytes: 0, requests: 0, input: 0, output: 0, cacheWrite: 0, cacheRead: 0, reasoning: 0 };
}

/** Adds one record (already in AgentMeter's conventions) to a source's truth. */
export function count(t, r) {
  t.requests += r.requests;
  t.input += r.input;
  t.output += r.output;
  t.cacheWrite += r.cacheWrite ?? 0;
  t.cacheRead += r.cacheRead ?? 0;
  t.reasoning += r.reasoning ?? 0;
}

/** Writes a file (parents created) and counts its bytes in the source's truth. */
export function writeLog(t, path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const buf = Buffer.from(text);
  writeFileSync(path, buf);
  t.files++;
  t.bytes += buf.length;
}

/**
 * How many of a source's `total` items (at scale 1) fall on each day: in proportion to the day's Claude calls (heavy
 * weekdays, light weekends), rounded with the remainder carried so the year adds up to round(total × scale).
 */
export function perDay(days, total, scale) {
  const sum = days.reduce((n, d) => n + d.calls, 0);
  let carry = 0;
  return days.map((d) => {
    const exact = (total * scale * d.calls) / sum + carry;
    const n = Math.round(exact);
    carry = exact - n;
    return n;
  });
}

/**
 * Comparison of stored totals per source (rows of `{ source, requests, input, output, cw5m, cw1h, cacheRead,
 * reasoning }`, summed over models) with the mix truth. Returns { ok, bySource: { [source]: { ok, details } } }.
 */
export function compareMix(rows, truth) {
  const bySource = {};
  let ok = true;
  for (const source of MIX_SOURCES) {
    const t = truth[source];
    const got = { requests: 0, input: 0, output: 0, cacheWrite: 0, cacheRead: 0, reasoning: 0 };
    for (const r of rows.filter((x) => x.source === source)) {
      got.requests += r.requests;
      got.input += r.input;
      got.output += r.output;
      got.cacheWrite += r.cw5m + r.cw1h;
      got.cacheRead += r.cacheRead;
      got.reasoning += r.reasoning;
    }
    const details = Object.keys(got).filter((k) => got[k] !== t[k]).map((k) => `${source} ${k}: stored ${got[k]}, truth ${t[k]}`);
    bySource[source] = { ok: details.length === 0, details, requests: got.requests };
    ok &&= details.length === 0;
  }
  return { ok, bySource };
}
