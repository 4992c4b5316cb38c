/**
 * Which pricing tier a request is in, per model, decided when the request is read (tokens are stored summed per
 * tier, so the tier cannot be decided later), with the bundled table (the parsers get no other: an override changes the
 * rates of a tier, not which requests are in it):
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

/** What decides a model's tier, per model name as logged (read once per name: parsers call this for every request). */
interface TierRule {
  /** prompt boundaries, ascending: tier index = how many are exceeded (one boundary for a plain long-context model) */
  above: number[];
  peak: PeakHours | undefined;
  /** the model has input-length tiers, peak hours or OpenAI long-context rates (what `vendorTierOf` looks at) */
  vendor: boolean;
}

const rules = new WeakMap<PriceTable, Map<string, TierRule>>();

function ruleOf(model: string, table: PriceTable | undefined): TierRule {
  const t = table ?? bundledPriceTable();
  let byModel = rules.get(t);
  if (!byModel) {
    byModel = new Map();
    rules.set(t, byModel);
  }
  let rule = byModel.get(model);
  if (!rule) {
    const p: ModelPrice | null = t.lookup(model);
    const tiers = p?.contextTiers?.length ? p.contextTiers.map((x) => x.above) : undefined;
    // OpenAI's models with long-context rates (GPT-5.6 and later: whole request above 272k input) are tiered for Codex too
    const openaiLong = p?.provider === 'openai' && p.inputAbove200k !== undefined;
    rule = { above: tiers ?? [p?.longContextAbove ?? DEFAULT_LONG_CONTEXT_ABOVE], peak: p?.peak, vendor: !!(tiers || p?.peak || openaiLong) };
    byModel.set(model, rule);
  }
  return rule;
}

function tierIndexOf(rule: TierRule, promptTokens: number): number {
  let index = 0;
  for (let i = 0; i < rule.above.length; i++) if (promptTokens > rule.above[i]) index = i + 1;
  return index;
}

/** The input-length tier of a request of `model` whose prompt was `promptTokens` tokens. */
export function contextTierOf(model: string, promptTokens: number, table?: PriceTable): 'standard' | 'long' | `long${number}` {
  return contextTierName(tierIndexOf(ruleOf(model, table), promptTokens));
}

/**
 * The pricing tier of a request of `model` made at `atMs` (epoch ms, UTC) whose prompt was `promptTokens` tokens:
 * `peak` in the model's peak hours, else its input-length tier (`contextTierOf`). Claude fast mode (`fast`) is decided
 * by the Claude parser before this.
 */
export function pricingTierOf(model: string, promptTokens: number, atMs: number, table?: PriceTable): Tier {
  const rule = ruleOf(model, table);
  if (rule.peak && inPeakHours(rule.peak, atMs)) return 'peak';
  return contextTierName(tierIndexOf(rule, promptTokens));
}

/**
 * The tier of a request from a source that has always recorded its requests as `standard` (Codex): the peak hours and
 * input-length tiers of the models that have them (DeepSeek, Qwen through Codex's compatible endpoints) and the
 * long-context tier of OpenAI models with long-context rates (GPT-5.6 and later); every other model stays `standard`.
 */
export function vendorTierOf(model: string, promptTokens: number, atMs: number, table?: PriceTable): Tier {
  return ruleOf(model, table).vendor ? pricingTierOf(model, promptTokens, atMs, table) : 'standard';
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
