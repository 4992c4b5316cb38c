/**
 * Which pricing tier a request's prompt puts it in, per model: `long` when its prompt (input + cache writes + cache
 * reads) exceeds the model's `longContextAbove` (200,000 unless the entry says otherwise: xAI's Grok 4.x bill ">= 200k"
 * long, i.e. above 199,999). Tokens are stored summed per tier, so the tier is decided when a request is read, by
 * the parser, with the bundled table (an override's threshold applies to requests read after it).
 */
import type { Tier } from '../types';
import { createPriceTable, DEFAULT_LONG_CONTEXT_ABOVE, type PriceTable } from './priceTable';

let bundledTable: PriceTable | undefined;

/** `long` or `standard` for a request of `model` whose prompt was `promptTokens` tokens. */
export function contextTierOf(model: string, promptTokens: number, table?: PriceTable): Exclude<Tier, 'fast'> {
  const t = table ?? bundledPriceTable();
  const above = t.lookup(model)?.longContextAbove ?? DEFAULT_LONG_CONTEXT_ABOVE;
  return promptTokens > above ? 'long' : 'standard';
}

function bundledPriceTable(): PriceTable {
  bundledTable ??= createPriceTable();
  return bundledTable;
}
