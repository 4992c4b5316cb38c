/**
 * Cost of normalised token counts (see types.ts) for one model and pricing tier. A pure function of tokens and
 * the price table; `null` means unpriced (the model has no entry) and is never turned into 0.
 *
 * Entries are priced in their own currency (`ModelPrice.currency`, USD when absent: CNY for vendors that publish
 * CNY prices only). The cost is computed in that currency and converted to USD with the table's rate; an entry
 * whose currency has no rate is **no rate**: `costOf` gives null for it (not summed into USD) and `costDetail`
 * says why.
 */
import type { PlainTier, Tier, TokenCounts } from '../types';
import { isFlex } from './flexTier';
import { isUsOnly, plainTierOf } from './inferenceGeo';
import { contextTierIndex, priceChangeIndex, undatedTier } from './contextTier';
import { BASE_CURRENCY, type ModelPrice, type PriceTable } from './priceTable';

const PER_MILLION = 1_000_000;
/** Anthropic list prices: 5-minute cache write 1.25x input, 1-hour write 2x input, cache hit 0.1x input. */
const CACHE_WRITE_5M_FACTOR = 1.25;
const CACHE_WRITE_1H_FACTOR = 2;
const CACHE_READ_FACTOR = 0.1;

/**
 * Claude: input×in + output×out + 5m writes×cacheWrite5m + 1h writes×2×in + reads×cacheRead.
 * Tier `long` (the request's input exceeded 200k) bills the **whole request** at the >200k rates when the model
 * has them (Sonnet 4/4.5, and Opus 4.6 / Sonnet 4.6 in their period before 2026-03-13); the 1h write is then 2× the
 * long input rate. Models without long rates (Opus 4.6, Sonnet 4.6 from 2026-03-13: flat 1M window) keep their
 * standard rates. Tier `fast` multiplies by the model's fast multiplier, `longfast` multiplies its long rates by it.
 */
function claudeCost(t: TokenCounts, p: ModelPrice, tier: PlainTier): number {
  const long = contextTierIndex(tier) > 0 && p.inputAbove200k !== undefined;
  const inRate = long ? p.inputAbove200k! : p.input;
  const outRate = long ? (p.outputAbove200k ?? p.output) : p.output;
  const cw5mRate = long
    ? (p.cacheWrite5mAbove200k ?? inRate * CACHE_WRITE_5M_FACTOR)
    : (p.cacheWrite5m ?? inRate * CACHE_WRITE_5M_FACTOR);
  const readRate = long ? (p.cacheReadAbove200k ?? inRate * CACHE_READ_FACTOR) : (p.cacheRead ?? inRate * CACHE_READ_FACTOR);
  const usd =
    t.input * inRate +
    t.output * outRate +
    t.cacheWrite5m * cw5mRate +
    t.cacheWrite1h * inRate * CACHE_WRITE_1H_FACTOR +
    t.cacheRead * readRate;
  const multiplier = tier === 'fast' || tier === 'longfast' ? (p.fastMultiplier ?? 1) : 1;
  return (usd * multiplier) / PER_MILLION;
}

/**
 * Every other provider (OpenAI/Codex, Google Gemini, xAI, DeepSeek, Moonshot, Zhipu/Z.AI, Alibaba, MiniMax), from our
 * normalised counts: `input` is the uncached part, `cacheRead` the cache hits at the cached-input rate (the input rate
 * when the model has none), output includes reasoning/thinking (billed at the output rate, never again). Cache writes
 * are billed at the listed cache-write rate (MiniMax and Alibaba list one), else as plain input (OpenAI, Gemini and xAI
 * write none; DeepSeek bills cache misses as input). Tier `long` bills the whole request at the model's long-context
 * rates when it has them (Gemini 2.5/3 Pro, Grok 4.x); a long rate it does not list stays the standard one. A model
 * with input-length tiers (Qwen) bills the whole request at the rates of its tier (`long` = the first tier above the
 * base rates, `long2` the second, …; a tier beyond the listed ones takes the last). Tier `peak` multiplies by the
 * model's peak multiplier (DeepSeek V4), `offpeak` by its discount hours' multiplier, `fast` by its fast multiplier.
 */
function listedCost(t: TokenCounts, p: ModelPrice, tier: PlainTier): number {
  const index = contextTierIndex(tier);
  const ct = index > 0 && p.contextTiers?.length ? p.contextTiers[Math.min(index, p.contextTiers.length) - 1] : undefined;
  const long = !ct && index > 0 && p.inputAbove200k !== undefined;
  const inRate = ct ? ct.input : long ? p.inputAbove200k! : p.input;
  const outRate = ct ? ct.output : long ? (p.outputAbove200k ?? p.output) : p.output;
  const readRate = ct ? (ct.cacheRead ?? inRate) : long ? (p.cacheReadAbove200k ?? p.cacheRead ?? inRate) : (p.cacheRead ?? inRate);
  const writeRate = ct ? (ct.cacheWrite5m ?? inRate) : long ? (p.cacheWrite5mAbove200k ?? p.cacheWrite5m ?? inRate) : (p.cacheWrite5m ?? inRate);
  const writes = t.cacheWrite5m + t.cacheWrite1h;
  // writes without a rate of their own are input: summed before multiplying (the same arithmetic as before)
  const inputPart = writeRate === inRate ? (t.input + writes) * inRate : t.input * inRate + writes * writeRate;
  const usd = inputPart + t.cacheRead * readRate + t.output * outRate;
  const multiplier =
    tier === 'fast' || tier === 'longfast' ? (p.fastMultiplier ?? 1) : tier === 'peak' ? (p.peak?.multiplier ?? 1) : tier === 'offpeak' ? (p.offPeak?.multiplier ?? 1) : 1;
  return (usd * multiplier) / PER_MILLION;
}

/**
 * The price of a request in the model's peak / discount hours (tier `peak` / `offpeak`, after its period's rates were
 * chosen): the hours' own rates when they list them (DeepSeek's night price of 2025), else the period's rates, which
 * `listedCost` multiplies by the hours' multiplier.
 */
function hourPrice(p: ModelPrice, tier: 'peak' | 'offpeak'): [ModelPrice, PlainTier] {
  const rates = (tier === 'peak' ? p.peak : p.offPeak)?.rates;
  if (!rates) return [p, tier];
  const price = atRates(p, rates);
  if (rates.cacheRead !== undefined) price.cacheRead = rates.cacheRead;
  return [price, 'standard'];
}

/** An entry of `p`'s provider and currency at other input and output rates (its other fields as the caller adds). */
function atRates(p: ModelPrice, rates: { input: number; output: number }): ModelPrice {
  const price: ModelPrice = { provider: p.provider, input: rates.input, output: rates.output };
  if (p.currency !== undefined) price.currency = p.currency;
  return price;
}

/**
 * The price and tier to bill a `dated<n>…` request at: the entry's n-th announced price period (from a date on, or
 * before one: `PriceChange`) with the tier it had without it (`dated1long` → the period's long rates), or null for any
 * other tier. A period the entry does not list (an override replaced its prices on every date) bills its own rates.
 */
function datedPrice(p: ModelPrice, tier: PlainTier): [ModelPrice, PlainTier] | null {
  const n = priceChangeIndex(tier);
  if (n === 0) return null;
  const c = p.priceChanges?.[n - 1];
  if (!c) return [p, undatedTier(tier)];
  const price = atRates(p, c);
  if (p.fastMultiplier !== undefined) price.fastMultiplier = p.fastMultiplier;
  if (p.peak !== undefined) price.peak = p.peak;
  if (p.offPeak !== undefined) price.offPeak = p.offPeak;
  for (const k of ['cacheRead', 'cacheWrite5m', 'inputAbove200k', 'outputAbove200k', 'cacheReadAbove200k', 'cacheWrite5mAbove200k'] as const) {
    if (c[k] !== undefined) price[k] = c[k];
  }
  return [price, undatedTier(tier)];
}

/** What one model's tokens cost: in the entry's own currency, and in USD when a rate is known. */
export interface CostDetail {
  /** the cost in `currency` (the entry's currency) */
  amount: number;
  currency: string;
  /** the cost in USD; null when `currency` has no rate ('no rate': never summed into USD, never $0) */
  usd: number | null;
}

/**
 * The cost of `tokens` of `model` at `tier`, or null when the model is unpriced. Fast-tier requests use the model's
 * explicit fast prices when a `-fast` override gave them, else its prices × its fast multiplier. A US-only request
 * (`<tier>@us`, inferenceGeo.ts) costs its tier's price × the entry's US-only multiplier (none: × 1), a Flex request
 * (`<tier>@flex`, flexTier.ts) its tier's price × the entry's Flex multiplier (none: × 1). Web searches
 * (`tokens.webSearch`) cost the entry's price per search on top, multiplied by nothing; searches on a model whose entry
 * has no web-search price make the cost unknown (null), never $0.
 */
export function costDetail(tokens: TokenCounts, model: string, tier: Tier, table: PriceTable): CostDetail | null {
  const p = table.lookup(model);
  if (!p) return null;
  if (tokens.webSearch > 0 && p.webSearchPerRequest === undefined) return null;
  const plain = plainTierOf(tier);
  // an entry priced by periods only: a request recorded without its period has no price
  if (p.periodsOnly && priceChangeIndex(plain) === 0) return null;
  // explicit fast-mode prices (a `-fast` override) are the fast rates themselves: no multiplier, no long tier
  const undated = undatedTier(plain);
  const fast = undated === 'fast' || undated === 'longfast' ? table.lookupFast(model) : null;
  const dated = fast ? null : datedPrice(p, plain);
  const [periodPrice, periodTier] = fast ? [fast, 'standard' as const] : (dated ?? [p, plain]);
  const [price, t] = periodTier === 'peak' || periodTier === 'offpeak' ? hourPrice(periodPrice, periodTier) : [periodPrice, periodTier];
  const atTier = price.provider === 'anthropic' ? claudeCost(tokens, price, t) : listedCost(tokens, price, t);
  const served = isUsOnly(tier) ? atTier * (p.usInferenceMultiplier ?? 1) : isFlex(tier) ? atTier * (p.flexMultiplier ?? 1) : atTier;
  // no search, no term: the cost of a request without web searches is the same sum as before they were priced
  const amount = tokens.webSearch > 0 ? served + tokens.webSearch * p.webSearchPerRequest! : served;
  const currency = price.currency ?? BASE_CURRENCY;
  const rate = table.usdPer(currency);
  return { amount, currency, usd: rate === null ? null : currency === BASE_CURRENCY ? amount : amount * rate };
}

/**
 * Cost in USD, or null when the model is unpriced or priced in a currency without a rate (see `costDetail` to tell
 * the two apart).
 */
export function costOf(tokens: TokenCounts, model: string, tier: Tier, table: PriceTable): number | null {
  return costDetail(tokens, model, tier, table)?.usd ?? null;
}

/** Why tokens have no cost: their web searches (the model's tokens have a price, its searches none) or no price at all. */
export type UnpricedReason = 'webSearch' | 'noPrice';

/**
 * Why `costOf` is null for these tokens, or null when they are priced: `webSearch` when the same tokens without their
 * web searches have a price (the entry lists no search price; `costDetail`'s rule, not a second copy of it), else
 * `noPrice` (no entry, no period, or a currency without a rate).
 */
export function unpricedReason(tokens: TokenCounts, model: string, tier: Tier, table: PriceTable): UnpricedReason | null {
  if (costOf(tokens, model, tier, table) !== null) return null;
  return tokens.webSearch > 0 && costOf({ ...tokens, webSearch: 0 }, model, tier, table) !== null ? 'webSearch' : 'noPrice';
}
