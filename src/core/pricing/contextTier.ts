/**
 * Which pricing tier a request is in, per model, decided when the request is read (tokens are stored summed per
 * tier, so the tier cannot be decided later), with the bundled table (the parsers get no other: an override changes the
 * rates of a tier, not which requests are in it):
 * - `peak` when the model bills peak hours (`ModelPrice.peak`, DeepSeek V4) and the request was made in them,
 *   `offpeak` when it has discount hours (`ModelPrice.offPeak`, DeepSeek's night discount of 2025) and the request was
 *   made in them (one hour rule, `inPeakHours`);
 * - `dated<n>` when the model's price changes on announced dates (`ModelPrice.priceChanges`, Gemini 3.6-3.8 Flash,
 *   GPT-5.6, deepseek-chat / deepseek-reasoner, o3 before its 2025-06-10 cut) and the request was made in the n-th
 *   period (from its `since`, until its `until`; the last period that holds the request's time) —
 *   `dated<n>long` when its prompt was also above the long-context boundary (the change's long rates),
 *   `dated<n>peak` / `dated<n>offpeak` when it was also made in the peak / discount hours, `dated<n>fast` for a
 *   fast-mode request (`fastTierOf`; `dated<n>longfast` above the boundary of a period with long rates: Claude Opus
 *   4.6 and Sonnet 4.6 billed prompts above 200k at long rates until 2026-03-13); a period that differs from the
 *   entry's rates only by its long rates (theirs) dates only the requests above the boundary;
 * - else by the request's prompt (input + cache writes + cache reads, cached tokens included):
 *   - a model with input-length tiers (`contextTiers`, Alibaba Qwen): `standard` up to the first boundary, `long` above
 *     it, `long2` above the second, `long3` above the third, …;
 *   - any other model: `long` when the prompt exceeds its `longContextAbove` (200,000 unless the entry says otherwise:
 *     xAI's Grok 4.x bill ">= 200k" long, i.e. above 199,999), else `standard`.
 */
import type { PlainTier } from '../types';
import { createPriceTable, DEFAULT_LONG_CONTEXT_ABOVE, type ModelPrice, type PeakHours, type PriceChange, type PriceTable } from './priceTable';

let bundledTable: PriceTable | undefined;

/** The tier name of input-length tier `index` (0 = the base rates). */
export function contextTierName(index: number): 'standard' | 'long' | `long${number}` {
  return index <= 0 ? 'standard' : index === 1 ? 'long' : `long${index}`;
}

/**
 * The input-length tier index a tier name stands for: 0 for `standard`, `fast`, `peak` and `offpeak`, 1 for `long` and
 * `longfast` (a fast-mode request above the boundary, what `undatedTier` gives for `dated<n>longfast`), n for `long<n>`.
 */
export function contextTierIndex(tier: PlainTier): number {
  if (tier === 'long' || tier === 'longfast') return 1;
  if (!tier.startsWith('long')) return 0;
  const m = /^long(\d+)$/.exec(tier);
  return m ? Number(m[1]) : 0;
}

/** What decides a model's tier, per model name as logged (read once per name: parsers call this for every request). */
interface TierRule {
  /** prompt boundaries, ascending: tier index = how many are exceeded (one boundary for a plain long-context model) */
  above: number[];
  peak: PeakHours | undefined;
  offPeak: PeakHours | undefined;
  /** the model's announced price periods, [fromMs, untilMs) each, in table order (empty when it has none) */
  periods: Period[];
  /** the changes list long-context rates: a dated request above the boundary is `dated<n>long` */
  datedLong: boolean;
  /** the model has input-length tiers, peak or discount hours, price changes or OpenAI long-context rates (what `vendorTierOf` looks at) */
  vendor: boolean;
}

/** One price period in epoch ms: from `fromMs` (-Infinity: from the beginning) before `untilMs` (Infinity: on). */
interface Period {
  fromMs: number;
  untilMs: number;
  /**
   * the period differs from the entry's own rates only by its long-context rates (Claude Opus 4.6 / Sonnet 4.6 before
   * 2026-03-13): only its requests above the boundary are dated, the others cost the same either way and keep the
   * entry's tier (no rows of a tier of their own)
   */
  longOnly: boolean;
}

/** The times of a price change: from its `since` (absent: from the beginning) until its `until` (absent: on). */
function periodOf(c: PriceChange, p: ModelPrice): Period {
  const longOnly =
    c.inputAbove200k !== undefined && c.input === p.input && c.output === p.output && c.cacheRead === p.cacheRead && c.cacheWrite5m === p.cacheWrite5m;
  return { fromMs: c.since === undefined ? -Infinity : Date.parse(c.since), untilMs: c.until === undefined ? Infinity : Date.parse(c.until), longOnly };
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
    const periods = p ? (p.priceChanges ?? []).map((c) => periodOf(c, p)) : [];
    // OpenAI's models with long-context rates (GPT-5.6 and later: whole request above 272k input) are tiered for Codex too
    const openaiLong = p?.provider === 'openai' && p.inputAbove200k !== undefined;
    rule = {
      above: tiers ?? [p?.longContextAbove ?? DEFAULT_LONG_CONTEXT_ABOVE],
      peak: p?.peak,
      offPeak: p?.offPeak,
      periods,
      datedLong: (p?.priceChanges ?? []).some((c) => c.inputAbove200k !== undefined),
      vendor: !!(tiers || p?.peak || p?.offPeak || openaiLong || periods.length),
    };
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
 * `peak` / `offpeak` in the model's peak / discount hours, else its input-length tier (`contextTierOf`); prefixed
 * `dated<n>` when `atMs` is in the model's n-th price period. Claude fast mode (`fast`) is decided by the Claude
 * parser before this.
 */
export function pricingTierOf(model: string, promptTokens: number, atMs: number, table?: PriceTable): PlainTier {
  const rule = ruleOf(model, table);
  let change = rule.periods.length ? priceChangeIndexOf(rule.periods, atMs) : 0;
  const tier = contextTierName(tierIndexOf(rule, promptTokens));
  const datedLong = tier === 'long' && rule.datedLong;
  if (change > 0 && rule.periods[change - 1].longOnly && !datedLong) change = 0;
  const hours = rule.peak && inPeakHours(rule.peak, atMs) ? 'peak' : rule.offPeak && inPeakHours(rule.offPeak, atMs) ? 'offpeak' : null;
  if (hours) return change > 0 ? `dated${change}${hours}` : hours;
  if (change > 0) return datedLong ? `dated${change}long` : `dated${change}`;
  return tier;
}

/**
 * The tier of a fast-mode request (Claude's `usage.speed`, Codex's priority service tier): `fast`, or `dated<n>fast`
 * when `atMs` is in the model's n-th price period (the fast multiplier then applies to its rates) — `dated<n>longfast`
 * when that period lists long-context rates and `promptTokens` (input + cache writes + cache reads) is above the
 * model's long-context boundary: its long rates times the fast multiplier (Claude Opus 4.6 before 2026-03-13: 60 /
 * 225, 6x its 10 / 37.50). The Claude parser gives the prompt; Codex does not (its fast requests stay `dated<n>fast`).
 */
export function fastTierOf(model: string, atMs: number, table?: PriceTable, promptTokens = 0): PlainTier {
  const rule = ruleOf(model, table);
  const change = priceChangeIndexOf(rule.periods, atMs);
  if (change === 0) return 'fast';
  if (rule.datedLong && tierIndexOf(rule, promptTokens) === 1) return `dated${change}longfast`;
  return rule.periods[change - 1].longOnly ? 'fast' : `dated${change}fast`;
}

/**
 * The price period `atMs` falls in: n for the last of the model's periods that holds it (from its start, before its
 * end), 0 for none (the entry's own rates) or a time that is not one. With periods that only start (ascending), n is
 * how many of the changes had happened; a period that only ends (o3's rates before its cut) holds the times before it.
 */
function priceChangeIndexOf(periods: Period[], atMs: number): number {
  let index = 0;
  if (!Number.isFinite(atMs)) return 0;
  for (let i = 0; i < periods.length; i++) if (atMs >= periods[i].fromMs && atMs < periods[i].untilMs) index = i + 1;
  return index;
}

const DATED = /^dated(\d+)(longfast|long|fast|peak|offpeak)?$/;

/** The price change a tier stands for (1 for `dated1`, `dated1long`, `dated1fast`, `dated1longfast`, `dated1peak`, …), or 0 for any other tier. */
export function priceChangeIndex(tier: PlainTier): number {
  if (!tier.startsWith('dated')) return 0; // every cost of every fact asks: no regular expression for the usual tiers
  const m = DATED.exec(tier);
  return m ? Number(m[1]) : 0;
}

/**
 * A tier without its price change: `long` for `dated1long`, `fast` for `dated1fast`, `longfast` for `dated1longfast`,
 * `offpeak` for `dated1offpeak`, `standard` for `dated1`; else itself.
 */
export function undatedTier(tier: PlainTier): PlainTier {
  if (!tier.startsWith('dated')) return tier;
  const m = DATED.exec(tier);
  return m ? ((m[2] as 'longfast' | 'long' | 'fast' | 'peak' | 'offpeak' | undefined) ?? 'standard') : tier;
}

/**
 * The tier of a request from a source that has always recorded its requests as `standard` (Codex): the peak and
 * discount hours, input-length tiers and price changes of the models that have them (DeepSeek, Qwen through Codex's
 * compatible endpoints, Gemini 3.6-3.8 Flash, GPT-5.6, o3) and the long-context tier of OpenAI models with long-context rates (GPT-5.5
 * and later); every other model stays `standard`.
 */
export function vendorTierOf(model: string, promptTokens: number, atMs: number, table?: PriceTable): PlainTier {
  return ruleOf(model, table).vendor ? pricingTierOf(model, promptTokens, atMs, table) : 'standard';
}

const isoMs = new Map<string, number>();

function msOf(iso: string): number {
  let ms = isoMs.get(iso);
  if (ms === undefined) {
    ms = Date.parse(iso);
    isoMs.set(iso, ms);
  }
  return ms;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Whether `atMs` falls in the hours: from `since` and before `until`, in the UTC hours [start, end) (fractional: 16.5
 * is 16:30), Monday to Friday when `weekdaysOnly`, not on `offPeakDates`. The rule of DeepSeek's peak hours and of its
 * night discount alike.
 */
export function inPeakHours(peak: PeakHours, atMs: number): boolean {
  if (!Number.isFinite(atMs) || !(atMs >= msOf(peak.since))) return false;
  if (peak.until !== undefined && !(atMs < msOf(peak.until))) return false;
  const d = new Date(atMs);
  const day = d.getUTCDay();
  if (peak.weekdaysOnly && (day === 0 || day === 6)) return false;
  const hour = (((atMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  if (!peak.hoursUtc.some(([start, end]) => hour >= start && hour < end)) return false;
  return !peak.offPeakDates?.includes(d.toISOString().slice(0, 10));
}

function bundledPriceTable(): PriceTable {
  bundledTable ??= createPriceTable();
  return bundledTable;
}
