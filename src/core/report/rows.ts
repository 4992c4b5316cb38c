/**
 * The report row: the shape of one row (and of the totals) in the CLI's JSON, CSV and table output and in the
 * extension's exports. Cost is summed from per-(model, tier) costs; when any part is unpriced the row's
 * `costUSD` is null (never a partial sum shown as the total) and `unpricedTokens` counts the unpriced tokens.
 */
import { costOf, unpricedReason } from '../pricing/costOf';
import type { PriceTable } from '../pricing/priceTable';
import { addTokens, totalTokens, zeroTokens, type Fact, type Source, type Tier, type TokenCounts } from '../types';

export interface ReportRow {
  key: string;
  /** The row's source for rows split by source (`--by source|model|session`), else null. */
  source: Source | null;
  /** The model for `--by model` rows, else null. */
  model: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** 5m + 1h cache writes. */
  cacheCreationTokens: number;
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
  cacheReadTokens: number;
  /** Codex reasoning tokens, already inside outputTokens (display only). */
  reasoningTokens: number;
  /** input + output + cacheCreation + cacheRead. */
  totalTokens: number;
  /** USD, or null when any of the row is unpriced. */
  costUSD: number | null;
  /** Tokens of unpriced models (0 when all is priced). */
  unpricedTokens: number;
  /** USD of the priced part only (equals costUSD when nothing is unpriced). */
  pricedCostUSD: number;
  /** Earliest / latest entry time in the row (epoch ms); 0 for empty rows. */
  firstMs: number;
  lastMs: number;
  /** Models used (as written in the logs, `<synthetic>` never), sorted. */
  models: string[];
  /** Models without a price, sorted. */
  unpricedModels: string[];
  /**
   * The unpriced models whose tokens have a price but whose web searches have none (costOf.ts `unpricedReason`), with
   * their searches, sorted by model; a model also unpriced for another reason is not here (its reason is no price).
   */
  unpricedWebSearches: UnpricedWebSearches[];
  webSearchRequests: number;
  /** Display path of the project (project and session rows), when known. */
  projectDisplayPath?: string;
  /**
   * Set only in reports that include estimates (`--estimates`): true for a row of days estimated from Claude Code's
   * stats cache (report/estimates.ts), false for a row from the logs.
   */
  estimated?: boolean;
}

/** A model unpriced because of its web searches, and how many it made. */
export interface UnpricedWebSearches {
  model: string;
  searches: number;
}

/**
 * The models unpriced because of their web searches, from the searches of parts unpriced for that reason and the models
 * unpriced for any other (which the search reason does not explain): sorted by model.
 */
function webSearchReasons(searches: Map<string, number>, noPrice: ReadonlySet<string>): UnpricedWebSearches[] {
  return [...searches].filter(([m]) => !noPrice.has(m)).map(([model, n]) => ({ model, searches: n })).sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
}

/** Sums facts into one row. Tokens are kept per (model, tier) so each part is priced with its own rates. */
export class RowAccumulator {
  private readonly byModel = new Map<string, { model: string; tier: Tier; tokens: TokenCounts }[]>();
  private readonly sources = new Set<Source>();
  private firstMs = Infinity;
  private lastMs = -Infinity;

  add(f: Fact): void {
    let byTier = this.byModel.get(f.model);
    if (!byTier) {
      byTier = [];
      this.byModel.set(f.model, byTier);
    }
    let part = byTier.find((p) => p.tier === f.tier);
    if (!part) {
      part = { model: f.model, tier: f.tier, tokens: zeroTokens() };
      byTier.push(part);
    }
    addTokens(part.tokens, f);
    this.sources.add(f.source);
    if (f.firstMs < this.firstMs) this.firstMs = f.firstMs;
    if (f.lastMs > this.lastMs) this.lastMs = f.lastMs;
  }

  /**
   * The (model, tier) parts in the order of their names, the order `toRow` prices and sums them and a stored block
   * keeps them in (store/claudeBlocks.ts): not the order the facts came in (the dims ids, the order an index read its
   * logs in), so the same usage gives the same cost to the last bit whichever index holds it.
   */
  parts(): { model: string; tier: Tier; tokens: TokenCounts }[] {
    return [...this.byModel.values()].flat().sort(byModelAndTier);
  }

  get isEmpty(): boolean {
    return this.byModel.size === 0;
  }

  toRow(key: string, prices: PriceTable, model: string | null = null): ReportRow {
    const sum = zeroTokens();
    let cost = 0;
    let unpricedTokens = 0;
    const models = new Set<string>();
    const unpriced = new Set<string>();
    const noPrice = new Set<string>();
    const searches = new Map<string, number>();
    for (const p of this.parts()) {
      addTokens(sum, p.tokens);
      models.add(p.model);
      const c = costOf(p.tokens, p.model, p.tier, prices);
      if (c === null) {
        unpriced.add(p.model);
        unpricedTokens += totalTokens(p.tokens);
        if (unpricedReason(p.tokens, p.model, p.tier, prices) === 'webSearch') searches.set(p.model, (searches.get(p.model) ?? 0) + p.tokens.webSearch);
        else noPrice.add(p.model);
      } else {
        cost += c;
      }
    }
    const row = rowFromTokens(key, sum, {
      source: this.sources.size === 1 ? [...this.sources][0] : null,
      model,
      costUSD: unpriced.size ? null : cost,
      pricedCostUSD: cost,
      unpricedTokens,
      models: [...models].sort(),
      unpricedModels: [...unpriced].sort(),
      unpricedWebSearches: webSearchReasons(searches, noPrice),
    });
    row.firstMs = this.isEmpty ? 0 : this.firstMs;
    row.lastMs = this.isEmpty ? 0 : this.lastMs;
    return row;
  }
}

const byModelAndTier = (a: { model: string; tier: Tier }, b: { model: string; tier: Tier }): number =>
  a.model < b.model ? -1 : a.model > b.model ? 1 : a.tier < b.tier ? -1 : a.tier > b.tier ? 1 : 0;

/** A row from summed tokens and already computed cost facts. */
export function rowFromTokens(
  key: string,
  t: TokenCounts,
  extra: Pick<ReportRow, 'source' | 'model' | 'costUSD' | 'pricedCostUSD' | 'unpricedTokens' | 'models' | 'unpricedModels' | 'unpricedWebSearches'>,
): ReportRow {
  return {
    key,
    source: extra.source,
    model: extra.model,
    requests: t.requests,
    inputTokens: t.input,
    outputTokens: t.output,
    cacheCreationTokens: t.cacheWrite5m + t.cacheWrite1h,
    cacheCreation5mTokens: t.cacheWrite5m,
    cacheCreation1hTokens: t.cacheWrite1h,
    cacheReadTokens: t.cacheRead,
    reasoningTokens: t.reasoning,
    totalTokens: totalTokens(t),
    costUSD: extra.costUSD,
    unpricedTokens: extra.unpricedTokens,
    pricedCostUSD: extra.pricedCostUSD,
    firstMs: 0,
    lastMs: 0,
    models: extra.models,
    unpricedModels: extra.unpricedModels,
    unpricedWebSearches: extra.unpricedWebSearches,
    webSearchRequests: t.webSearch,
  };
}

/** The totals row over `rows` (key "total"); cost null when any row's cost is null. */
export function totals(rows: readonly ReportRow[]): ReportRow {
  const t = zeroTokens();
  let cost = 0;
  let priced = 0;
  let unpricedTokens = 0;
  let anyUnpriced = false;
  const models = new Set<string>();
  const unpriced = new Set<string>();
  const noPrice = new Set<string>();
  const searches = new Map<string, number>();
  const sources = new Set<Source | null>();
  const rowModels = new Set<string | null>();
  let first = Infinity;
  let last = -Infinity;
  for (const r of rows) {
    t.requests += r.requests;
    t.input += r.inputTokens;
    t.output += r.outputTokens;
    t.cacheWrite5m += r.cacheCreation5mTokens;
    t.cacheWrite1h += r.cacheCreation1hTokens;
    t.cacheRead += r.cacheReadTokens;
    t.reasoning += r.reasoningTokens;
    t.webSearch += r.webSearchRequests;
    if (r.costUSD === null) anyUnpriced = true;
    else cost += r.costUSD;
    priced += r.pricedCostUSD;
    unpricedTokens += r.unpricedTokens;
    for (const m of r.models) models.add(m);
    for (const m of r.unpricedModels) unpriced.add(m);
    for (const w of r.unpricedWebSearches) searches.set(w.model, (searches.get(w.model) ?? 0) + w.searches);
    for (const m of r.unpricedModels) if (!r.unpricedWebSearches.some((w) => w.model === m)) noPrice.add(m);
    sources.add(r.source);
    rowModels.add(r.model);
    if (r.firstMs && r.firstMs < first) first = r.firstMs;
    if (r.lastMs && r.lastMs > last) last = r.lastMs;
  }
  const row = rowFromTokens('total', t, {
    source: sources.size === 1 ? [...sources][0] : null,
    model: rowModels.size === 1 ? [...rowModels][0] : null,
    costUSD: anyUnpriced ? null : cost,
    pricedCostUSD: priced,
    unpricedTokens,
    models: [...models].sort(),
    unpricedModels: [...unpriced].sort(),
    unpricedWebSearches: webSearchReasons(searches, noPrice),
  });
  row.firstMs = Number.isFinite(first) ? first : 0;
  row.lastMs = Number.isFinite(last) ? last : 0;
  return row;
}
