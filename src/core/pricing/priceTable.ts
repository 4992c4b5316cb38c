/**
 * The price table: the bundled `prices.json` (dated, sourced; USD per million tokens) with optional user overrides
 * merged over it. Costs are computed at query time from stored tokens, so a new table or an override applies to
 * all history without re-reading logs.
 */
import bundled from './prices.json';
import { modelIdentity, parseModelName, resolveModelKey, withoutDate } from './normalizeModel';

/**
 * Who bills the model. `anthropic` has Anthropic's cache-write rules (5m writes 1.25x input, 1h writes 2x input, reads
 * 0.1x input when not listed); every other provider is billed per listed rate (see costOf.ts).
 */
export const PROVIDERS = ['anthropic', 'openai', 'google', 'xai', 'deepseek', 'moonshot', 'zhipu', 'alibaba', 'minimax'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The currency prices are in when an entry names none. */
export const BASE_CURRENCY = 'USD';
/** The long-context threshold (prompt tokens) when an entry names none: Anthropic's and Google's 200k. */
export const DEFAULT_LONG_CONTEXT_ABOVE = 200_000;

/**
 * Prices of one model per million tokens, in `currency` (USD when absent). Optional rates fall back as `costOf`
 * documents.
 */
export interface ModelPrice {
  provider: Provider;
  /** ISO 4217 code of the rates below; absent = USD. Costs in another currency need a rate to be shown in USD. */
  currency?: string;
  /** key of the entry's source in prices.json `sources` (where and when the price was published) */
  source?: string;
  input: number;
  output: number;
  /** 5-minute cache write (Claude; 1.25x input when absent). 1-hour writes are always 2x input. */
  cacheWrite5m?: number;
  /** Cache hit (Claude) / cached input (OpenAI; the input rate when absent). */
  cacheRead?: number;
  /**
   * Long-context rates (Sonnet 4/4.5, Gemini 2.5/3 Pro, Grok 4.x), applied to a whole request whose prompt exceeds
   * `longContextAbove` tokens (the request is then of tier `long`). The names keep "200k" for compatibility.
   */
  inputAbove200k?: number;
  outputAbove200k?: number;
  cacheWrite5mAbove200k?: number;
  cacheReadAbove200k?: number;
  /**
   * Prompt tokens (input + cache writes + cache reads) above which a request is long-context; absent = 200,000.
   * xAI bills ">= 200k" long, written here as 199,999. Decided per request when logs are read (`contextTierOf`).
   */
  longContextAbove?: number;
  /** Multiplier for Claude fast mode (`usage.speed: "fast"`). */
  fastMultiplier?: number;
  /**
   * Multiplier for US-only inference (Claude `usage.inference_geo: "us"`, tier `<tier>@us`: pricing/inferenceGeo.ts),
   * on every token category and on top of fast mode and long-context rates: 1.1 on Claude Opus 4.6, Sonnet 4.6 and
   * later; absent = 1 (earlier models bill US-only requests at their standard rates).
   */
  usInferenceMultiplier?: number;
  /**
   * Multiplier for OpenAI's Flex service tier (Codex `service_tier: "flex"`, tier `<tier>@flex`: pricing/flexTier.ts),
   * on every token category of the request's rates (its period's and long-context rates included): 0.5 on the models
   * OpenAI lists a Flex price for; absent = Flex requests are billed at the standard rates (no Flex price found).
   */
  flexMultiplier?: number;
  /**
   * Price of one server-side web search (Claude's `usage.server_tool_use.web_search_requests`), per search — not per
   * million tokens — in the entry's currency, on top of the tokens and of no multiplier (fast mode, US-only inference
   * and long-context rates apply to tokens only). Absent: the model's web searches have no price, and a request with
   * any is unpriced (never billed $0 for them).
   */
  webSearchPerRequest?: number;
  maxInputTokens?: number;
  /**
   * Input-length tiers beyond the base rates (Alibaba Qwen: 0-32K at the base rates, then 32K-128K, 128K-256K,
   * 256K-1M), ascending by `above`: a request whose prompt (input + cache writes + cache reads) exceeds a tier's
   * `above` is billed **whole** at that tier's rates. Decided per request when logs are read (`contextTierOf`: tier
   * `long` = the first entry, `long2` the second, …). Replaces the `…Above200k` fields on the entries that have it.
   */
  contextTiers?: ContextTier[];
  /** Time-of-day pricing (DeepSeek V4): requests made in the peak hours cost `multiplier` × the rates above. */
  peak?: PeakHours;
  /**
   * Time-of-day discount (DeepSeek's night discount of 2025: 16:30-00:30 UTC from 2025-02-26 16:30 until 2025-09-05
   * 16:00 UTC): requests made in these hours are billed at `rates` (or `multiplier` × the rates of their period).
   * The same hour rule as `peak` (`inPeakHours`), tier `offpeak` / `dated<n>offpeak`.
   */
  offPeak?: PeakHours;
  /**
   * Announced periods of other list prices, each from its `since` and/or until its `until`, ascending: a request made
   * in a period is billed at that period's rates instead of the ones above (the last period that holds its time).
   * A change from a date on (Gemini 3.6-3.8 Flash: list rates from 2027-01-01) is a period with `since` only, and the
   * rates above are then the first period's; a price before a date (o3 before its 2025-06-10 cut) is a period with
   * `until` only, and the rates above are the current ones, so the requests an earlier version stored as `standard`
   * keep them (o3; Claude Opus 4.6 and Sonnet 4.6, whose prompts above 200k were billed at long rates until
   * 2026-03-13). Decided per request from its time when logs are read (`pricingTierOf`: tier `dated1` for the first
   * period, `dated2` …; `dated<n>long` above the entry's long-context boundary, at the period's long rates, and
   * `dated<n>longfast` for such a Claude fast-mode request;
   * `dated<n>peak` / `dated<n>offpeak` in the entry's peak / off-peak hours). For entries without input-length tiers.
   */
  priceChanges?: PriceChange[];
  /**
   * The entry is priced only through its `priceChanges` (deepseek-chat and deepseek-reasoner, whose first change is
   * their first known price): a request of a tier without a price change — recorded before these prices were in the
   * table, or without a usable time — is unpriced (null, flagged), never billed at an arbitrary period's rates. The
   * rates above are then the first period's, for reading only. An override of the rates removes it.
   */
  periodsOnly?: boolean;
}

/**
 * The rates of a model in a period (see `ModelPrice.priceChanges`): from a date on, before a date, or between the two;
 * the cache read rate falls back to its input.
 */
export interface PriceChange {
  /** ISO time from which requests are billed at these rates; absent: from the beginning (then `until` is set) */
  since?: string;
  /** ISO time before which requests are billed at these rates (exclusive); absent: from `since` on */
  until?: string;
  /** key of the change's source in prices.json `sources`, when it has one of its own */
  source?: string;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  /**
   * the rates of a request above the entry's long-context boundary in the period (tier `dated<n>long`, fast mode
   * `dated<n>longfast`): GPT-5.6's, or Claude Opus 4.6 / Sonnet 4.6 before 2026-03-13, whose own rates are flat
   */
  inputAbove200k?: number;
  outputAbove200k?: number;
  cacheReadAbove200k?: number;
  cacheWrite5mAbove200k?: number;
}

/** The rates of one input-length tier (see `ModelPrice.contextTiers`); cache rates fall back to its input rate. */
export interface ContextTier {
  /** the tier applies to a request whose prompt tokens are more than this */
  above: number;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
}

/**
 * Hours of the day a vendor bills at other rates: its peak hours, billed at a multiple of its other rates (DeepSeek
 * V4), or its discount hours (`ModelPrice.offPeak`, DeepSeek's night discount of 2025), decided per request from its
 * UTC time when logs are read (`pricingTierOf`: tier `peak` / `offpeak`).
 */
export interface PeakHours {
  /** the rates of the hours are this multiple of the rates of the request's period (1 when absent) */
  multiplier?: number;
  /**
   * the rates of the hours themselves, replacing the multiplier (DeepSeek's night price of 2025 was 0.035 / 0.135 /
   * 0.55 for both of its models: half of V3's rates, and what its page listed as "75% off" R1's, which 25 % of R1's
   * 0.55 / 2.19 is not exactly)
   */
  rates?: HourRates;
  /**
   * [start, end) hours in UTC, fractional for half hours, e.g. [[1, 4], [6, 10]] or [[16.5, 24], [0, 0.5]] (a window
   * over midnight is written as two)
   */
  hoursUtc: [number, number][];
  /** only Monday to Friday (the UTC weekday, which is also the vendor's local weekday during these hours) */
  weekdaysOnly: boolean;
  /** ISO time the hours started to apply; requests before it are billed at the rates of their period */
  since: string;
  /** ISO time the hours stopped applying (exclusive), when they did */
  until?: string;
  /** key of the hours' source in prices.json `sources`, when they have one of their own */
  source?: string;
  /**
   * UTC dates (YYYY-MM-DD) that are off-peak all day although weekdays: DeepSeek's Chinese statutory holidays. During
   * the peak hours (01:00-10:00 UTC) the UTC date is also the date in Beijing.
   */
  offPeakDates?: string[];
}

/** Explicit rates of `PeakHours` (USD per million tokens; the cache read rate falls back to the input rate). */
export interface HourRates {
  input: number;
  output: number;
  cacheRead?: number;
}

/** User overrides, same structure as the CLI's `--prices FILE` and the extension's setting. */
export type PriceOverrides = Record<string, Partial<ModelPrice>>;

export interface PriceTable {
  readonly date: string;
  readonly source: string;
  /** Entries by lower-case key. */
  readonly models: ReadonlyMap<string, ModelPrice>;
  /** The key a model name resolves to, or null when it is unpriced. */
  keyOf(model: string): string | null;
  /** The prices of a model, or null when it is unpriced. */
  lookup(model: string): ModelPrice | null;
  /** Explicit fast-mode prices (from a `-fast` override) by entry key; they replace `fastMultiplier`. */
  readonly fastModels: ReadonlyMap<string, ModelPrice>;
  /** The explicit fast-mode prices of a model, or null (then fast mode costs its prices × `fastMultiplier`). */
  lookupFast(model: string): ModelPrice | null;
  /** USD per one unit of each currency other than USD (from settings or the CLI); a currency without one has no rate. */
  readonly rates: ReadonlyMap<string, number>;
  /** USD per one unit of `currency` (1 for USD), or null when no rate is known. */
  usdPer(currency: string): number | null;
}

/** USD per unit of other currencies, e.g. `{ CNY: 0.14 }` (settings `agentMeter.currency.rates`). */
export type CurrencyRates = Record<string, number>;

/** A three-letter ISO 4217 code, upper case. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/** The date of the bundled price table (YYYY-MM-DD). */
export const priceTableDate: string = bundled.date;
export const priceTableSource: string = bundled.source;

export class PriceOverrideError extends Error {}

/** What a rate field's number means, for an override's error (prices are in the entry's `currency`, USD unless set). */
function rateUnit(field: string): string {
  if (field.endsWith('Multiplier')) return 'a multiplier of the rates';
  if (field === 'webSearchPerRequest') return "the entry's currency per search";
  if (field === 'longContextAbove' || field === 'maxInputTokens') return 'input tokens';
  return "the entry's currency per million tokens";
}

export const RATE_FIELDS = [
  'input',
  'output',
  'cacheWrite5m',
  'cacheRead',
  'inputAbove200k',
  'outputAbove200k',
  'cacheWrite5mAbove200k',
  'cacheReadAbove200k',
  'longContextAbove',
  'fastMultiplier',
  'usInferenceMultiplier',
  'flexMultiplier',
  'webSearchPerRequest',
  'maxInputTokens',
] as const;

/**
 * Validates an overrides object (parsed JSON). Throws PriceOverrideError naming the bad entry: unknown field,
 * a rate that is not a finite number ≥ 0, an unknown provider, or a currency that is not a three-letter code.
 */
export function parsePriceOverrides(value: unknown): PriceOverrides {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PriceOverrideError('price overrides must be a JSON object of model name -> prices per million tokens');
  }
  const out: PriceOverrides = {};
  for (const [model, entry] of Object.entries(value as Record<string, unknown>)) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new PriceOverrideError(`price override for "${model}" must be an object like { "input": 3, "output": 15 }`);
    }
    const price: Partial<ModelPrice> = {};
    for (const [field, v] of Object.entries(entry as Record<string, unknown>)) {
      if (field === 'provider') {
        if (!(PROVIDERS as readonly unknown[]).includes(v)) {
          throw new PriceOverrideError(`price override for "${model}": provider must be one of ${PROVIDERS.map((x) => `"${x}"`).join(', ')}`);
        }
        price.provider = v as Provider;
      } else if (field === 'currency') {
        if (typeof v !== 'string' || !CURRENCY_CODE.test(v)) {
          throw new PriceOverrideError(`price override for "${model}": currency must be a three-letter ISO 4217 code such as "CNY"`);
        }
        price.currency = v;
      } else if ((RATE_FIELDS as readonly string[]).includes(field)) {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
          throw new PriceOverrideError(`price override for "${model}": "${field}" must be a number >= 0 (${rateUnit(field)})`);
        }
        price[field as (typeof RATE_FIELDS)[number]] = v;
      } else {
        throw new PriceOverrideError(`price override for "${model}": unknown field "${field}" (known: ${RATE_FIELDS.join(', ')}, provider, currency)`);
      }
    }
    out[model] = price;
  }
  return out;
}

function bundledModels(): Map<string, ModelPrice> {
  const m = new Map<string, ModelPrice>();
  for (const [k, v] of Object.entries(bundled.models)) m.set(k.toLowerCase(), { ...(v as unknown as ModelPrice) });
  return m;
}

/**
 * Keys an override applies to, keyed by the same normalisation lookups use (`modelIdentity`: cleaned name,
 * family/version order ignored):
 * 1. every entry of the same model — `claude-4-sonnet-20250514` also overrides `claude-sonnet-4-20250514` — and, for
 *    an undated name, its dated snapshots (`claude-opus-4-6` also overrides `claude-opus-4-6-20260205`);
 * 2. else the entry a log of that name resolves to (an alias such as `claude-sonnet-4-0`, a `-latest` name, an
 *    unknown date), with its other spellings;
 * 3. else none (a new model).
 * A model id with an entry of its own is a different model even when its prices are copied from another: an override
 * of `gpt-5` does not change `gpt-5-codex`, which has its own entry (at gpt-5 prices). The alias `gpt-5-codex` →
 * `gpt-5` (MODEL_ALIASES) only applies to a table without a `gpt-5-codex` entry, and then lookups of `gpt-5-codex`
 * reach the gpt-5 entry, overridden or not — so overrides and lookups always agree.
 */
function overrideTargets(name: string, models: Map<string, ModelPrice>): string[] {
  const keys = [...models.keys()];
  const sameModel = (id: string, withSnapshots: boolean) =>
    keys.filter((k) => {
      const kid = modelIdentity(k);
      return kid === id || (withSnapshots && withoutDate(kid) === id);
    });
  const id = modelIdentity(name);
  const direct = sameModel(id, withoutDate(id) === null);
  if (direct.length) return direct;
  const resolved = resolveModelKey(name, new Set(keys));
  return resolved ? sameModel(modelIdentity(resolved), false) : [];
}

/** The rates a `-fast` override sets: fast mode's token prices (and the informational context window). */
const FAST_FIELDS: readonly string[] = ['input', 'output', 'cacheWrite5m', 'cacheRead', 'maxInputTokens'];

/**
 * Fields a `-fast` override cannot set (every other rate): fast mode has no long-context tier, its prices replace the
 * multiplier, and the US-only and Flex multipliers and the web-search price are the model's (its entry's, on fast
 * prices too).
 */
const NOT_FAST_FIELDS = RATE_FIELDS.filter((f) => !FAST_FIELDS.includes(f));

/**
 * Fast-mode prices of one entry: its rates times its fast multiplier (what fast requests cost without an override),
 * with the `-fast` override merged over them. No multiplier and no long-context rates apply to the result.
 */
function fastPrice(base: ModelPrice, o: Partial<ModelPrice>): ModelPrice {
  const m = base.fastMultiplier ?? 1;
  const scaled: ModelPrice = { provider: base.provider, input: base.input * m, output: base.output * m };
  if (base.currency !== undefined) scaled.currency = base.currency;
  if (base.cacheWrite5m !== undefined) scaled.cacheWrite5m = base.cacheWrite5m * m;
  if (base.cacheRead !== undefined) scaled.cacheRead = base.cacheRead * m;
  if (base.maxInputTokens !== undefined) scaled.maxInputTokens = base.maxInputTokens;
  return { ...scaled, ...o };
}

/**
 * Builds a price table: the bundled one with `overrides` merged over it (also adding new models).
 * An override whose name ends in `-fast` (the ccusage/LiteLLM name of fast-mode entries, e.g. `claude-opus-4-6-fast`)
 * gives the **fast-mode** prices of that model: it applies to `fast`-tier requests only (replacing the fast
 * multiplier), never to standard ones. Its model must have a price (bundled or overridden in the same file).
 * `rates` gives USD per unit of the currencies entries are priced in besides USD (invalid codes and rates ≤ 0 are
 * left out: such a currency has no rate).
 */
export function createPriceTable(overrides?: PriceOverrides, rates?: CurrencyRates): PriceTable {
  const models = bundledModels();
  const fastModels = new Map<string, ModelPrice>();
  const entries = Object.entries(overrides ?? {}).map(([rawName, o]) => ({ rawName, o, ...parseModelName(rawName) }));
  // standard prices first, so a `-fast` override builds on the overridden standard price whatever the order
  for (const { rawName, o, name } of entries.filter((e) => !e.fast)) {
    const targets = overrideTargets(name, models);
    if (targets.length) {
      // an override's rates are the model's price on every date: the bundled announced changes no longer apply
      const rates = (['input', 'output', 'cacheRead', 'cacheWrite5m'] as const).some((f) => o[f] !== undefined);
      for (const k of targets) {
        const merged: ModelPrice = { ...models.get(k)!, ...o };
        if (rates) {
          delete merged.priceChanges;
          delete merged.periodsOnly;
        }
        // discount hours at rates of their own (DeepSeek's night price of 2025) are an announced price too
        if (rates && merged.offPeak?.rates) delete merged.offPeak;
        models.set(k, merged);
      }
    } else {
      if (o.input === undefined || o.output === undefined) {
        throw new PriceOverrideError(`price override for new model "${rawName}" needs at least "input" and "output"`);
      }
      models.set(name, { provider: name.startsWith('claude') ? 'anthropic' : 'openai', ...o } as ModelPrice);
    }
  }
  for (const { rawName, o, name } of entries.filter((e) => e.fast)) {
    const bad = NOT_FAST_FIELDS.filter((f) => o[f] !== undefined);
    if (bad.length) {
      throw new PriceOverrideError(
        `price override for "${rawName}": a "-fast" entry gives the fast-mode prices themselves, ` +
          `so "${bad.join('", "')}" cannot be set there (set "fastMultiplier" or long-context rates on "${name}")`,
      );
    }
    const targets = overrideTargets(name, models);
    if (!targets.length) {
      throw new PriceOverrideError(
        `price override for "${rawName}" gives fast-mode prices, but "${name}" has no price: ` +
          `add a "${name}" entry with its standard prices`,
      );
    }
    for (const k of targets) fastModels.set(k, fastPrice(models.get(k)!, o));
  }
  const keys: ReadonlySet<string> = new Set(models.keys());
  const cache = new Map<string, string | null>();
  const keyOf = (model: string): string | null => {
    let k = cache.get(model);
    if (k === undefined) {
      k = resolveModelKey(model, keys);
      cache.set(model, k);
    }
    return k;
  };
  const rateMap = new Map<string, number>();
  for (const [code, r] of Object.entries(rates ?? {})) {
    if (CURRENCY_CODE.test(code) && code !== BASE_CURRENCY && Number.isFinite(r) && r > 0) rateMap.set(code, r);
  }
  return {
    date: bundled.date,
    rates: rateMap,
    usdPer: (currency) => (currency === BASE_CURRENCY ? 1 : (rateMap.get(currency) ?? null)),
    source: overrides && Object.keys(overrides).length ? `${bundled.source} With user overrides.` : bundled.source,
    models,
    fastModels,
    keyOf,
    lookup: (model) => {
      const k = keyOf(model);
      return k === null ? null : models.get(k)!;
    },
    lookupFast: (model) => {
      const k = keyOf(model);
      return k === null ? null : (fastModels.get(k) ?? null);
    },
  };
}

/** Where and when the prices of entries with that `source` key were published (prices.json `sources`). */
export interface PriceSource {
  /** publication date (YYYY-MM-DD) of the data the prices were read from; null when the record has none */
  date: string | null;
  /** the vendor's pricing page, when the record names it */
  url?: string;
  /** the dataset the prices were read from */
  via: string;
  /** when a record without a date was read (YYYY-MM-DD) */
  retrieved?: string;
  note?: string;
}

export const priceSources: Readonly<Record<string, PriceSource>> = bundled.sources;
