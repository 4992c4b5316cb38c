/**
 * The price table: the bundled `prices.json` (dated, sourced; USD per million tokens) with optional user overrides
 * merged over it. Costs are computed at query time from stored tokens, so a new table or an override applies to
 * all history without re-reading logs.
 */
import bundled from './prices.json';
import { cleanModelName, resolveModelKey } from './normalizeModel';

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
 * Keys an override applies to: the entry of that exact name plus its dated variants (`claude-opus-4-6` also
 * overrides `claude-opus-4-6-20260205`), else the entry the name resolves to, else none (a new model).
 */
function overrideTargets(name: string, models: Map<string, ModelPrice>): string[] {
  const dated = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{8}|\\d{4}-\\d{2}-\\d{2})$`);
  const direct = [...models.keys()].filter((k) => k === name || dated.test(k));
  if (direct.length) return direct;
  const resolved = resolveModelKey(name, new Set(models.keys()));
  return resolved ? [resolved] : [];
}

/** Builds a price table: the bundled one with `overrides` merged over it (also adding new models). */
export function createPriceTable(overrides?: PriceOverrides): PriceTable {
  const models = bundledModels();
  for (const [rawName, o] of Object.entries(overrides ?? {})) {
    const name = cleanModelName(rawName);
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
    keyOf,
    lookup: (model) => {
      const k = keyOf(model);
      return k === null ? null : models.get(k)!;
    },
  };
}
