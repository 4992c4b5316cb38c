// Ground truth of the corpus (from manifest.json, counted by the generator as it wrote each call) and the check
// of an index's stored totals against it. Truth is exact: Claude = every distinct API call once with its final
// usage; Codex = the sum of the real per-call usage (cached inside input, reasoning inside output).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every *.jsonl under dir, recursively. */
export function listFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.name.endsWith('.jsonl')) out.push(p);
  }
  return out;
}

/** Truth summed over models. Claude: { calls, input, output, cw5m, cw1h, cacheRead, webSearch, longRequests };
 * Codex: { calls, input (incl. cached), cached, output (incl. reasoning), reasoning }. */
export function sumTruth(manifest, source) {
  const sum = {};
  for (const t of Object.values(manifest[source].truthByModel)) for (const [k, v] of Object.entries(t)) sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

/**
 * Compares the stored usage (rows of { source, requests, input, output, cw5m, cw1h, cacheRead, reasoning }) with the
 * truth, per source, in the index's normalised terms (Codex input = uncached, cacheRead = cached).
 * @returns {{ ok: boolean, summary: string, details: string[] }}
 */
export function compareTotals(rows, manifest, parts) {
  const details = [];
  for (const source of ['claude', 'codex']) {
    if (!parts[source]) continue;
    const t = sumTruth(manifest, source);
    const want = source === 'claude'
      ? { requests: t.calls, input: t.input, output: t.output, cw5m: t.cw5m, cw1h: t.cw1h, cacheRead: t.cacheRead }
      : { requests: t.calls, input: t.input - t.cached, output: t.output, cw5m: 0, cw1h: 0, cacheRead: t.cached, reasoning: t.reasoning };
    const got = {};
    for (const r of rows.filter((x) => x.source === source)) for (const k of Object.keys(want)) got[k] = (got[k] ?? 0) + (r[k] ?? 0);
    for (const [k, v] of Object.entries(want)) {
      const g = got[k] ?? 0;
      if (g !== v) details.push(`  ${source} ${k}: stored ${g.toLocaleString('en-US')}, truth ${v.toLocaleString('en-US')} (${v ? (((g - v) / v) * 100).toFixed(2) : '∞'}%)`);
    }
  }
  const summary = details.length === 0 ? 'exact' : `${details.length} counter(s) off`;
  return { ok: details.length === 0, summary, details };
}
