/**
 * The price table: the bundled `prices.json` (dated, sourced; USD per million tokens) with optional user overrides
 * merged over it. Costs are computed at query time from stored tokens, so a new table or an override applies to
 * all history without re-reading logs.
 */
import bundled from './prices.json';
import { modelIdentity, parseModelName, resolveModelKey, withoutDate } from './normalizeModel';

export type Provider = 'anthropic' | 'openai';

/** Prices of one model in USD per million tokens. Optional rates fall back as `costOf` documents. */
export interface ModelPrice {
  provider: Provider;
  input: number;
  output: number;
  /** 5-minute cache write (Claude; 1.25x input when absent). 1-hour writes are always 2x input. */
  cacheWrite5m?: number;
  /** Cache hit (Claude) / cached input (OpenAI; the input rate when absent). */
  cacheRead?: number;
  /** Long-context rates (Sonnet 4/4.5), applied to a whole request whose input exceeds 200k tokens. */
  inputAbove200k?: number;
  outputAbove200k?: number;
  cacheWrite5mAbove200k?: number;
  cacheReadAbove200k?: number;
  /** Multiplier for Claude fast mode (`usage.speed: "fast"`). */
  fastMultiplier?: number;
  maxInputTokens?: number;
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
}

/** The date of the bundled price table (YYYY-MM-DD). */
export const priceTableDate: string = bundled.date;
export const priceTableSource: string = bundled.source;

export class PriceOverrideError extends Error {}

const RATE_FIELDS = [
  'input',
  'output',
  'cacheWrite5m',
  'cacheRead',
  'inputAbove200k',
  'outputAbove200k',
  'cacheWrite5mAbove200k',
  'cacheReadAbove200k',
  'fastMultiplier',
  'maxInputTokens',
] as const;

/**
 * Validates an overrides object (parsed JSON). Throws PriceOverrideError naming the bad entry: unknown field,
 * a rate that is not a finite number ≥ 0, or a provider other than anthropic/openai.
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
        if (v !== 'anthropic' && v !== 'openai') {
          throw new PriceOverrideError(`price override for "${model}": provider must be "anthropic" or "openai"`);
        }
        price.provider = v;
      } else if ((RATE_FIELDS as readonly string[]).includes(field)) {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
          throw new PriceOverrideError(`price override for "${model}": "${field}" must be a number >= 0 (USD per million tokens)`);
        }
        price[field as (typeof RATE_FIELDS)[number]] = v;
      } else {
        throw new PriceOverrideError(`price override for "${model}": unknown field "${field}" (known: ${RATE_FIELDS.join(', ')}, provider)`);
      }
    }
    out[model] = price;
  }
  return out;
}

function bundledModels(): Map<string, ModelPrice> {
  const m = new Map<string, ModelPrice>();
  for (const [k, v] of Object.entries(bundled.models)) m.set(k.toLowerCase(), { ...(v as ModelPrice) });
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

/** Fields a `-fast` override cannot set: fast mode has no long-context tier, and its prices replace the multiplier. */
const NOT_FAST_FIELDS = ['inputAbove200k', 'outputAbove200k', 'cacheWrite5mAbove200k', 'cacheReadAbove200k', 'fastMultiplier'] as const;

/**
 * Fast-mode prices of one entry: its rates times its fast multiplier (what fast requests cost without an override),
 * with the `-fast` override merged over them. No multiplier and no long-context rates apply to the result.
 */
function fastPrice(base: ModelPrice, o: Partial<ModelPrice>): ModelPrice {
  const m = base.fastMultiplier ?? 1;
  const scaled: ModelPrice = { provider: base.provider, input: base.input * m, output: base.output * m };
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
 */
export function createPriceTable(overrides?: PriceOverrides): PriceTable {
  const models = bundledModels();
  const fastModels = new Map<string, ModelPrice>();
  const entries = Object.entries(overrides ?? {}).map(([rawName, o]) => ({ rawName, o, ...parseModelName(rawName) }));
  // standard prices first, so a `-fast` override builds on the overridden standard price whatever the order
  for (const { rawName, o, name } of entries.filter((e) => !e.fast)) {
    const targets = overrideTargets(name, models);
    if (targets.length) {
      for (const k of targets) models.set(k, { ...models.get(k)!, ...o });
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
  return {
    date: bundled.date,
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
