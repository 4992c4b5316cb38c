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
  for (const t of Object.values(manifest[source].truthByModel)) for (const [k, v] of Object.entries(t)) if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

/**
 * Sonnet 4/4.5 long-context premium (USD per million tokens added above the standard rates: input +3, 5m write
 * +3.75, 1h write +6, cache read +0.3, output +7.5; pricing.md). Anthropic applies it to the whole request when
 * its input exceeds 200k; ccusage applies it per field, to the part of that field above 200k (formats.md A.8).
 * Returns both premiums for the corpus' Sonnet 4/4.5 calls: their difference explains a cost difference.
 */
export function longContextPremium(manifest) {
  let wholeRequest = 0, perField = 0;
  for (const [model, t] of Object.entries(manifest.claude.truthByModel)) {
    if (!/sonnet-4-5|sonnet-4-2|4-sonnet/.test(model) || !t.long) continue;
    wholeRequest += (t.long.input * 3 + t.long.cw5m * 3.75 + t.long.cw1h * 6 + t.long.cacheRead * 0.3 + t.long.output * 7.5) / 1e6;
    const a = t.abovePerField;
    perField += (a.input * 3 + a.cacheWrite * 3.75 + a.cacheRead * 0.3 + a.output * 7.5) / 1e6;
  }
  return { wholeRequest, perField };
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

/**
 * List prices (USD per million tokens; pricing.md) of the models the generators write, kept here on their own so
 * the cost truth does not come from the code it checks. Claude: 1h cache writes = 2 × input; Sonnet 4.5 requests
 * over 200k input are billed whole at the long rates; Opus 4.6 requests over 200k too, but only those made before
 * 2026-03-13 00:00 UTC (`longUntil`: the 1M window went GA at the standard rates that day, claude.com/blog/1m-context-ga;
 * genai-prices and LiteLLM list 10 / 37.50 / 12.50 / 1 above 200k before it); each web search
 * (`usage.server_tool_use.web_search_requests`) costs $10 per 1,000 on top (Anthropic's pricing page, Web search
 * tool), whatever the model. Codex: input = uncached part at `input`, cached at `cached`.
 */
export const CLAUDE_WEB_SEARCH_USD = 10 / 1000;
const CLAUDE_RATES = {
  'claude-sonnet-4-5-20250929': { input: 3, output: 15, cw5m: 3.75, cacheRead: 0.3, long: { input: 6, output: 22.5, cw5m: 7.5, cacheRead: 0.6 } },
  'claude-opus-4-6': { input: 5, output: 25, cw5m: 6.25, cacheRead: 0.5, long: { input: 10, output: 37.5, cw5m: 12.5, cacheRead: 1 }, longUntil: '2026-03-13' },
  'claude-haiku-4-5-20251001': { input: 1, output: 5, cw5m: 1.25, cacheRead: 0.1 },
};
const CODEX_RATES = {
  'gpt-5.3-codex': { input: 1.75, cached: 0.175, output: 14 },
  'gpt-5.2-codex': { input: 1.75, cached: 0.175, output: 14 },
  'gpt-5-codex': { input: 1.25, cached: 0.125, output: 10 },
  'gpt-5.1-codex-max': { input: 1.25, cached: 0.125, output: 10 },
  'gpt-5.4': { input: 2.5, cached: 0.25, output: 15 },
};

/** The first UTC day of a corpus ('YYYY-MM-DD'): the year corpus' `startDay`, the default corpus' `startMs`; '' when unknown. */
function corpusStartDay(manifest) {
  if (typeof manifest.startDay === 'string') return manifest.startDay;
  return typeof manifest.startMs === 'number' ? new Date(manifest.startMs).toISOString().slice(0, 10) : '';
}

/**
 * Cost in USD of the corpus' ground truth, per source: { claude, codex } (NaN when a model has no rate here, or has
 * long requests whose days a manifest of an older generator does not give while its rates changed in the corpus' span).
 */
export function truthCost(manifest) {
  const claudeOf = (r, t) => (t.input * r.input + t.output * r.output + t.cw5m * r.cw5m + t.cw1h * 2 * r.input + t.cacheRead * r.cacheRead) / 1e6;
  let claude = 0;
  for (const [model, t] of Object.entries(manifest.claude.truthByModel)) {
    const r = CLAUDE_RATES[model];
    if (!r) return { claude: NaN, codex: NaN };
    claude += claudeOf(r, t) + t.webSearch * CLAUDE_WEB_SEARCH_USD;
    // the long requests again, at the difference between the long and the standard rates (only those of the days
    // before `longUntil` for a model whose long rates ended)
    if (r.long && t.long && !r.longUntil) claude += claudeOf(r.long, t.long) - claudeOf(r, t.long);
    if (r.long && r.longUntil && t.longRequests > 0) {
      if (t.longByDay) {
        for (const [day, d] of Object.entries(t.longByDay)) if (day < r.longUntil) claude += claudeOf(r.long, d) - claudeOf(r, d);
      } else if (!(corpusStartDay(manifest) >= r.longUntil)) return { claude: NaN, codex: NaN }; // no days to tell
    }
  }
  let codex = 0;
  for (const [model, t] of Object.entries(manifest.codex.truthByModel)) {
    const r = CODEX_RATES[model];
    if (!r) return { claude, codex: NaN };
    codex += ((t.input - t.cached) * r.input + t.cached * r.cached + t.output * r.output) / 1e6;
  }
  return { claude, codex };
}
