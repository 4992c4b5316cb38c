/**
 * Cost of normalised token counts (see types.ts) for one model and pricing tier. A pure function of tokens and
 * the price table; `null` means unpriced (the model has no entry) and is never turned into 0.
 */
import type { Tier, TokenCounts } from '../types';
import type { ModelPrice, PriceTable } from './priceTable';

const PER_MILLION = 1_000_000;
/** Anthropic list prices: 5-minute cache write 1.25x input, 1-hour write 2x input, cache hit 0.1x input. */
const CACHE_WRITE_5M_FACTOR = 1.25;
const CACHE_WRITE_1H_FACTOR = 2;
const CACHE_READ_FACTOR = 0.1;

/**
 * Claude: input×in + output×out + 5m writes×cacheWrite5m + 1h writes×2×in + reads×cacheRead.
 * Tier `long` (the request's input exceeded 200k) bills the **whole request** at the >200k rates when the model
 * has them (Sonnet 4/4.5); the 1h write is then 2× the long input rate. Models without long rates (Opus 4.6,
 * Sonnet 4.6: flat 1M window) keep their standard rates. Tier `fast` multiplies by the model's fast multiplier.
 */
function claudeCost(t: TokenCounts, p: ModelPrice, tier: Tier): number {
  const long = tier === 'long' && p.inputAbove200k !== undefined;
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
  const multiplier = tier === 'fast' ? (p.fastMultiplier ?? 1) : 1;
  return (usd * multiplier) / PER_MILLION;
}

/**
 * OpenAI (Codex): `input` is already the uncached part, `cacheRead` the cached input at the cached-input rate
 * (the input rate when the model has none), output includes reasoning, which is never billed again.
 * Codex writes no cache-write counts; should any appear they are billed as plain input.
 */
function openAiCost(t: TokenCounts, p: ModelPrice, tier: Tier): number {
  const usd =
    (t.input + t.cacheWrite5m + t.cacheWrite1h) * p.input + t.cacheRead * (p.cacheRead ?? p.input) + t.output * p.output;
  const multiplier = tier === 'fast' ? (p.fastMultiplier ?? 1) : 1;
  return (usd * multiplier) / PER_MILLION;
}

/**
 * Cost in USD, or null when the model is unpriced. Fast-tier requests use the model's explicit fast prices when a
 * `-fast` override gave them, else its prices × its fast multiplier.
 */
export function costOf(tokens: TokenCounts, model: string, tier: Tier, table: PriceTable): number | null {
  const p = table.lookup(model);
  if (!p) return null;
  // explicit fast-mode prices (a `-fast` override) are the fast rates themselves: no multiplier, no long tier
  const fast = tier === 'fast' ? table.lookupFast(model) : null;
  const [price, t] = fast ? [fast, 'standard' as const] : [p, tier];
  return price.provider === 'anthropic' ? claudeCost(tokens, price, t) : openAiCost(tokens, price, t);
}
