import type { ClineFamily } from './family';

/**
 * From the four numbers of an `api_req_started` / `deleted_api_reqs` row (`tokensIn`, `tokensOut`, `cacheWrites`,
 * `cacheReads`; cline/cline apps/vscode/src/core/task/utils.ts `updateApiReqMsg` @ b2b29678a2aa0500371faf418a7ad49a175b7af3)
 * to our convention (plugin.ts: input = input NOT read from cache and not written to it; cacheWrite = tokens written
 * to the cache; output includes reasoning).
 *
 * Cline stores what the provider handler yielded as `inputTokens` / `cacheWriteTokens` / `cacheReadTokens`
 * (task/index.ts adds the usage chunks up, utils.ts writes them). Each handler decides what they mean; read in
 * cline/cline apps/vscode/src/core/api/providers/*.ts @ b2b29678a2aa0500371faf418a7ad49a175b7af3:
 */

/**
 * `tokensIn` is 0 and `cacheWrites` holds the cache-MISS input, `cacheReads` the hits (deepseek.ts: inputTokens =
 * max(0, prompt_tokens − hit − miss) "this will always be 0", cacheWriteTokens = prompt_cache_miss_tokens).
 * Normalised: input = tokensIn + cacheWrites, cacheWrite = 0.
 */
const MISSES_IN_CACHE_WRITES_ONLY = new Set(['deepseek']);

/**
 * `tokensIn` is the whole prompt (OpenAI `prompt_tokens`, hits included) and `cacheWrites` is
 * `prompt_cache_miss_tokens` (a part of the prompt, not a cache write): openai.ts (OpenAI Compatible),
 * doubao.ts, fireworks.ts, hicap.ts, qwen.ts, xai.ts. Normalised: input = tokensIn − cacheReads, cacheWrite = 0.
 */
const PROMPT_INCLUDES_HITS_AND_MISSES = new Set(['openai', 'doubao', 'fireworks', 'hicap', 'qwen', 'xai']);

/**
 * `tokensIn` = the whole prompt with hits included, no cache writes in practice: zai.ts, lmstudio.ts
 * (`prompt_tokens`), openai-codex.ts (Responses `input_tokens`, `normalizeUsage`).
 */
const PROMPT_INCLUDES_HITS = new Set(['zai', 'lmstudio', 'openai-codex']);

/**
 * `tokensIn` = `prompt_tokens` with hits and cache writes included (their cost goes through calculateApiCostOpenAI,
 * which subtracts both): requesty.ts (`caching_tokens`), litellm.ts and oca.ts (`cache_creation_input_tokens`;
 * litellm may also put a DeepSeek `prompt_cache_miss_tokens` there — then those are counted as cache writes).
 */
const PROMPT_INCLUDES_HITS_AND_WRITES = new Set(['requesty', 'litellm', 'oca']);

/*
 * Every other provider yields input WITHOUT cache tokens, which is already our convention: anthropic.ts / vertex.ts /
 * minimax.ts (Anthropic `input_tokens`), bedrock.ts (Converse `inputTokens`), openrouter.ts and cline.ts
 * (prompt − cached − cache_write), vercel-ai-gateway.ts, moonshot.ts, openai-native.ts and groq.ts
 * (nonCachedInputTokens; openai-native's `outputTokens` is the Responses `output_tokens`, reasoning included, as
 * our convention wants), gemini.ts (promptTokenCount − cachedContentTokenCount), and providers without caching.
 * An unknown provider (older rows without `modelInfo`, no task metadata) is read the same way, as Cline's own
 * totals do (shared/getApiMetrics.ts adds tokensIn and cacheReads as separate sums).
 *
 * Not recoverable: gemini.ts yields `thoughtsTokenCount` apart and task/index.ts never stores it, so a Gemini
 * thinking model's thoughts are missing from `tokensOut` (Cline's own `cost` includes them: the agent's cost shows
 * the difference).
 */

/**
 * Roo Code (RooCodeInc/Roo-Code src/core/task/Task.ts `updateApiReqMsg` @ cb836567180a3ff1da6d082f3178b90c3bd22a70)
 * writes `tokensIn: costResult.totalInputTokens`, where src/shared/cost.ts makes it input + cacheWrites + cacheReads
 * for the Anthropic protocol and the provider's own total (already including cache tokens) for the OpenAI protocol
 * — since commit 416fa5727e66178e4bd18548325bf8bdc9d6adab "Fix cost and token tracking between provider styles"
 * (2025-10-31, first in v3.29.5, tagged 2025-11-01). Before it, `tokensIn` was the provider's `inputTokens`:
 * without cache tokens for Anthropic-protocol providers, with hits for OpenAI-protocol ones (as in Cline).
 * packages/core/src/message-utils/consolidateTokenUsage.ts states the same ("tokensIn now stores TOTAL input
 * tokens (including cache tokens)"). Kilo Code's VS Code extension is a Roo fork that merged the same change later,
 * with its v4.119.0 (family.ts `wholeInputSince`): its rows dated between the two releases are read the older way.
 */
export const ROO_TOTAL_INPUT_SINCE = Date.UTC(2025, 10, 1); // 2025-11-01T00:00Z
/** Kilo Code v4.119.0, which merged that change (family.ts `wholeInputSince`). */
export const KILO_TOTAL_INPUT_SINCE = Date.UTC(2025, 10, 12); // 2025-11-12T00:00Z

export interface RawTokens {
  tokensIn: number;
  tokensOut: number;
  cacheWrites: number;
  cacheReads: number;
}
export interface NormalTokens {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export function normaliseTokens(family: ClineFamily, raw: RawTokens, ctx: { provider?: string; apiProtocol?: string; ts: number }): NormalTokens {
  const { tokensIn, tokensOut, cacheWrites, cacheReads } = raw;
  const out = { output: tokensOut, cacheRead: cacheReads };
  if (family.tokensIn === 'roo') {
    // A whole-prompt tokensIn can never be smaller than the cache tokens it includes: such a row is the older
    // (exclusive) Anthropic-protocol form whatever its date.
    const whole = tokensIn >= cacheReads + cacheWrites && (ctx.ts >= (family.wholeInputSince ?? ROO_TOTAL_INPUT_SINCE) || ctx.apiProtocol === 'openai');
    if (whole) return { ...out, input: tokensIn - cacheReads - cacheWrites, cacheWrite: cacheWrites };
    return { ...out, input: tokensIn, cacheWrite: cacheWrites };
  }
  const p = (ctx.provider ?? '').toLowerCase();
  if (MISSES_IN_CACHE_WRITES_ONLY.has(p)) return { ...out, input: tokensIn + cacheWrites, cacheWrite: 0 };
  if (PROMPT_INCLUDES_HITS_AND_MISSES.has(p)) return { ...out, input: Math.max(0, tokensIn - cacheReads), cacheWrite: 0 };
  if (PROMPT_INCLUDES_HITS.has(p)) return { ...out, input: Math.max(0, tokensIn - cacheReads), cacheWrite: cacheWrites };
  if (PROMPT_INCLUDES_HITS_AND_WRITES.has(p)) return { ...out, input: Math.max(0, tokensIn - cacheReads - cacheWrites), cacheWrite: cacheWrites };
  return { ...out, input: tokensIn, cacheWrite: cacheWrites };
}
