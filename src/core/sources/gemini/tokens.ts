/**
 * Gemini usage → our token conventions (plugin.ts). Shared by Gemini CLI and Qwen Code (a Gemini CLI fork).
 *
 * Citations (google-gemini/gemini-cli @ 5411f113cafae26161b4969b0237b8e1e024e2c2):
 * - `packages/core/src/services/chatRecordingService.ts` `recordMessageTokens`: the message's `tokens` copies the
 *   API's usageMetadata one to one: input=promptTokenCount, output=candidatesTokenCount, cached=cachedContentTokenCount,
 *   thoughts=thoughtsTokenCount, tool=toolUsePromptTokenCount, total=totalTokenCount (each `?? 0`).
 * - `packages/core/src/telemetry/uiTelemetry.ts` (the CLI's own /stats): `input = max(0, prompt − cached)`, i.e.
 *   **cached is inside promptTokenCount**; thoughts and tool are summed apart from prompt and candidates.
 * - Gemini API UsageMetadata: promptTokenCount "when cached content is set, still the total effective prompt size,
 *   meaning this includes the number of tokens in the cached content"; thoughtsTokenCount and
 *   toolUsePromptTokenCount are separate counts and totalTokenCount = prompt + candidates + thoughts + toolUse.
 *   Thoughts are billed at the output rate; toolUsePromptTokenCount (results of server-side tools such as Google
 *   Search grounding or code execution, fed back as prompt) is billed at the input rate and is NOT inside
 *   promptTokenCount — so it is added to our `input`.
 *
 * Qwen Code differs in one point: its OpenAI-compatible path (QwenLM/qwen-code
 * `packages/core/src/core/openaiContentGenerator/converter.ts` @ 8e579d546b2861992183210a2c859302c052dadc, "Add usage
 * metadata if available in the chunk") maps `candidatesTokenCount = completion_tokens`, which per OpenAI's convention
 * already INCLUDES `thoughtsTokenCount = completion_tokens_details.reasoning_tokens`, and `totalTokenCount =
 * total_tokens = prompt + completion`. Which convention a record follows is read from its own total when the total
 * tells them apart (thoughts > 0): total = prompt + candidates + tool → thoughts inside; total = prompt + candidates +
 * thoughts + tool → thoughts apart. Otherwise the source's default decides.
 * Qwen Code's Anthropic path keeps `cached` inside the prompt too: `promptTokenCount` = input + cache reads + cache
 * creation, `cachedContentTokenCount` = cache reads (`packages/core/src/core/anthropicContentGenerator/usage.ts` @
 * 423e0f850756e0d9eb6299dbc4f99aa41934ce93 `buildAnthropicUsageMetadata`); cache creation is not logged apart there,
 * so it stays in `input` (priced as input, not as a cache write).
 */

/** The raw counts of one usage record, whichever of the shapes it was logged in. */
export interface GeminiCounts {
  prompt: number;
  candidates: number;
  cached: number;
  thoughts: number;
  tool: number;
  total: number;
}

export interface NormalisedTokens {
  input: number;
  output: number;
  cacheRead: number;
  reasoning: number;
}

const num = (v: unknown): number | undefined => (v === undefined || v === null ? 0 : typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

function counts(prompt: unknown, candidates: unknown, cached: unknown, thoughts: unknown, tool: unknown, total: unknown): GeminiCounts | undefined {
  const c = [num(prompt), num(candidates), num(cached), num(thoughts), num(tool), num(total)];
  if (c.some((x) => x === undefined)) return undefined;
  const [p, ca, cc, th, to, t] = c as number[];
  return { prompt: p, candidates: ca, cached: cc, thoughts: th, tool: to, total: t };
}

/**
 * Reads a usage object in any of the shapes these CLIs write; undefined when it is not one (unknown shape or a
 * count that is not a non-negative number).
 * - summary (gemini-cli `TokensSummary`, `chatRecordingTypes.ts`; older qwen-code `UsageMetadata`):
 *   `{input, output, cached, thoughts?, tool?, total}`
 * - raw API usageMetadata (current qwen-code `ChatRecord.usageMetadata`): `{promptTokenCount, candidatesTokenCount,
 *   cachedContentTokenCount?, thoughtsTokenCount?, toolUsePromptTokenCount?, totalTokenCount?}`
 * - telemetry event (qwen-code `ApiResponseEvent`, telemetry/types.ts): `{input_token_count, output_token_count,
 *   cached_content_token_count, thoughts_token_count, tool_token_count, total_token_count}`
 */
export function readCounts(u: unknown): GeminiCounts | undefined {
  if (!u || typeof u !== 'object' || Array.isArray(u)) return undefined;
  const o = u as Record<string, unknown>;
  if ('input' in o || 'output' in o) return counts(o.input, o.output, o.cached, o.thoughts, o.tool, o.total);
  if ('promptTokenCount' in o || 'candidatesTokenCount' in o || 'totalTokenCount' in o) {
    return counts(o.promptTokenCount, o.candidatesTokenCount, o.cachedContentTokenCount, o.thoughtsTokenCount, o.toolUsePromptTokenCount, o.totalTokenCount);
  }
  if ('input_token_count' in o || 'output_token_count' in o) {
    return counts(o.input_token_count, o.output_token_count, o.cached_content_token_count, o.thoughts_token_count, o.tool_token_count, o.total_token_count);
  }
  return undefined;
}

export function isZero(c: GeminiCounts): boolean {
  return c.prompt === 0 && c.candidates === 0 && c.cached === 0 && c.thoughts === 0 && c.tool === 0 && c.total === 0;
}

/**
 * Whether `thoughts` are inside `candidates` for this record: read from its total when the total tells the two
 * conventions apart, else `defaultInside` (Gemini CLI: false — the Gemini API keeps them apart; Qwen Code: true — its
 * OpenAI-compatible converter keeps them inside).
 */
export function thoughtsInsideCandidates(c: GeminiCounts, defaultInside: boolean): boolean {
  if (c.thoughts > 0 && c.total > 0) {
    if (c.total === c.prompt + c.candidates + c.thoughts + c.tool) return false;
    if (c.total === c.prompt + c.candidates + c.tool) return true;
  }
  return defaultInside;
}

/** input = prompt − cached (+ tool-use prompt), cacheRead = cached, output = everything billed as output. */
export function normalise(c: GeminiCounts, defaultThoughtsInside: boolean): NormalisedTokens {
  const inside = thoughtsInsideCandidates(c, defaultThoughtsInside);
  return {
    input: Math.max(0, c.prompt - c.cached) + c.tool,
    output: inside ? c.candidates : c.candidates + c.thoughts,
    cacheRead: c.cached,
    reasoning: c.thoughts,
  };
}
