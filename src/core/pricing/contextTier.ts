/**
 * Which pricing tier a request is in, per model, decided when the request is read (tokens are stored summed per
 * tier, so the tier cannot be decided later), with the bundled table (an override's threshold applies to requests read
 * after it):
 * - `peak` when the model bills peak hours (`ModelPrice.peak`, DeepSeek) and the request was made in them;
 * - else by the request's prompt (input + cache writes + cache reads, cached tokens included):
 *   - a model with input-length tiers (`contextTiers`, Alibaba Qwen): `standard` up to the first boundary, `long` above
 *     it, `long2` above the second, `long3` above the third, …;
 *   - any other model: `long` when the prompt exceeds its `longContextAbove` (200,000 unless the entry says otherwise:
 *     xAI's Grok 4.x bill ">= 200k" long, i.e. above 199,999), else `standard`.
 */
import type { Tier } from '../types';
import { createPriceTable, DEFAULT_LONG_CONTEXT_ABOVE, type ModelPrice, type PeakHours, type PriceTable } from './priceTable';

let bundledTable: PriceTable | undefined;

/** The tier name of input-length tier `index` (0 = the base rates). */
export function contextTierName(index: number): 'standard' | 'long' | `long${number}` {
  return index <= 0 ? 'standard' : index === 1 ? 'long' : `long${index}`;
}

/** The input-length tier index a tier name stands for: 0 for `standard`, `fast` and `peak`, 1 for `long`, n for `long<n>`. */
export function contextTierIndex(tier: Tier): number {
  if (tier === 'long') return 1;
  const m = /^long(\d+)$/.exec(tier);
  return m ? Number(m[1]) : 0;
}

/** The input-length tier of a request of `model` whose prompt was `promptTokens` tokens. */
export function contextTierOf(model: string, promptTokens: number, table?: PriceTable): 'standard' | 'long' | `long${number}` {
  const p = (table ?? bundledPriceTable()).lookup(model);
  return contextTierName(tierIndexOf(p, promptTokens));
}

/**
 * The pricing tier of a request of `model` made at `atMs` (epoch ms, UTC) whose prompt was `promptTokens` tokens:
 * `peak` in the model's peak hours, else its input-length tier (`contextTierOf`). Claude fast mode (`fast`) is decided
 * by the Claude parser before this.
 */
export function pricingTierOf(model: string, promptTokens: number, atMs: number, table?: PriceTable): Tier {
  const p = (table ?? bundledPriceTable()).lookup(model);
  if (p?.peak && inPeakHours(p.peak, atMs)) return 'peak';
  return contextTierName(tierIndexOf(p, promptTokens));
}

/**
 * The tier of a request from a source that has always recorded its requests as `standard` (Codex): the peak hours and
 * input-length tiers of the models that have them (DeepSeek, Qwen through Codex's compatible endpoints); every other
 * model stays `standard`, so nothing changes for OpenAI's models.
 */
export function vendorTierOf(model: string, promptTokens: number, atMs: number, table?: PriceTable): Tier {
  const p = (table ?? bundledPriceTable()).lookup(model);
  if (!p || (!p.peak && !p.contextTiers?.length)) return 'standard';
  return pricingTierOf(model, promptTokens, atMs, table);
}

function tierIndexOf(p: ModelPrice | null, promptTokens: number): number {
  const tiers = p?.contextTiers;
  if (tiers?.length) {
    let index = 0;
    for (let i = 0; i < tiers.length; i++) if (promptTokens > tiers[i].above) index = i + 1;
    return index;
  }
  return promptTokens > (p?.longContextAbove ?? DEFAULT_LONG_CONTEXT_ABOVE) ? 1 : 0;
}

const sinceMs = new Map<string, number>();

/**
 * Whether `atMs` falls in the peak hours: since `since`, in the UTC hours [start, end), Monday to Friday when
 * `weekdaysOnly`, not on `offPeakDates`.
 */
export function inPeakHours(peak: PeakHours, atMs: number): boolean {
  let since = sinceMs.get(peak.since);
  if (since === undefined) {
    since = Date.parse(peak.since);
    sinceMs.set(peak.since, since);
  }
  if (!Number.isFinite(atMs) || !(atMs >= since)) return false;
  const d = new Date(atMs);
  const day = d.getUTCDay();
  if (peak.weekdaysOnly && (day === 0 || day === 6)) return false;
  const hour = d.getUTCHours();
  if (!peak.hoursUtc.some(([start, end]) => hour >= start && hour < end)) return false;
  return !peak.offPeakDates?.includes(d.toISOString().slice(0, 10));
}

function bundledPriceTable(): PriceTable {
  bundledTable ??= createPriceTable();
  return bundledTable;
}
