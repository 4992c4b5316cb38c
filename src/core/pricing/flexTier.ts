/**
 * OpenAI's Flex service tier, as part of a request's pricing tier (types.ts `Tier`): `<tier>@flex`. Codex writes the
 * thread's service tier in `turn_context` / `thread_settings_applied` (`service_tier`: `flex` for Flex processing;
 * ingest/parse/codex.ts). OpenAI bills Flex at its Batch API rates, half the Standard ones ("Tokens are priced at Batch
 * API rates", developers.openai.com/api/docs/guides/flex-processing), on the models its pricing page lists for Flex,
 * long-context rates included ("prompts with >272K input tokens are priced at 2x input and 1.5x output for the full
 * session for standard, batch, and flex", the GPT-5.4 / GPT-5.5 model pages): the multiplier is the model's price
 * entry's (`ModelPrice.flexMultiplier`); a model without one (no Flex price found) is billed at its standard rates.
 * The tier is recorded whatever the model, so a Flex price added later applies to the requests already indexed.
 */
import type { PlainTier, Tier } from '../types';

const FLEX = '@flex';

/** Codex's `service_tier` value of a Flex request. */
export const FLEX_SERVICE_TIER = 'flex';

/** Whether a tier's request ran at the Flex service tier. */
export function isFlex(tier: Tier): boolean {
  return tier.endsWith(FLEX);
}

/** The tier of a request of `tier` made at the Flex service tier. */
export function flexTierOf(tier: PlainTier): Tier {
  return `${tier}${FLEX}`;
}
