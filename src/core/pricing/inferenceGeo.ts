/**
 * Where a request ran, as part of its pricing tier (types.ts `Tier`): `<tier>@us` for US-only inference. Claude Code
 * writes where each request ran in `usage.inference_geo` ("us", "global", or "not_available" where the API did not
 * say); Anthropic bills US-only inference at 1.1x its standard rates — every token category, on top of fast mode and
 * long-context rates — for Claude Opus 4.6, Sonnet 4.6 and later models, and earlier models at their standard rates
 * (platform.claude.com/docs/en/build-with-claude/data-residency; support.claude.com/en/articles/15422948, "How
 * billing works"): the multiplier is the model's price entry's (`ModelPrice.usInferenceMultiplier`).
 */
import type { PlainTier, Tier } from '../types';

const US = '@us';

/** Claude's `usage.inference_geo` value of a US-only request. */
export const US_INFERENCE_GEO = 'us';

/** Whether a tier's request ran with US-only inference. */
export function isUsOnly(tier: Tier): boolean {
  return tier.endsWith(US);
}

/**
 * A tier without how its request was served: `fast` for `fast@us`, `long` for `long@flex` (flexTier.ts); any other
 * tier itself.
 */
export function plainTierOf(tier: Tier): PlainTier {
  const at = tier.indexOf('@');
  return (at < 0 ? tier : tier.slice(0, at)) as PlainTier;
}

/** The tier of a request of `tier` that ran where `inferenceGeo` says (Claude's `usage.inference_geo`). */
export function tierAt(tier: PlainTier, inferenceGeo: unknown): Tier {
  return inferenceGeo === US_INFERENCE_GEO ? `${tier}${US}` : tier;
}
