/**
 * The usage numbers of an SDK-era Cline message (`metrics` of an assistant message in `<id>.messages.json`, see
 * sdkMessages.ts) to our convention (plugin.ts: input = input NOT read from and not written to the cache).
 *
 * Unlike the classic extension (vscodeTaskLogs/tokens.ts, where each provider handler decided what `tokensIn` meant),
 * the SDK has ONE usage path for every provider, and its `inputTokens` is the WHOLE prompt, cache reads and cache
 * writes included (cline/cline @ 21cb8d2525bcedf1f4b6890b27a74a14fe7451e4):
 *  - sdk/packages/llms/src/providers/ai-sdk.ts `normalizeUsage`: `inputTokens` = the AI SDK's `inputTokens.total`
 *    (else `input_tokens` / `prompt_tokens` / Gemini `promptTokenCount`), `cacheReadTokens` = `inputTokens.cacheRead`
 *    (…/ `cached_tokens` / `cache_read_input_tokens`), `cacheWriteTokens` = `inputTokens.cacheWrite`
 *    (…/ `cache_creation_input_tokens`); its own price fallback `calculateUsageCostFromPricing` bills
 *    `inputTokens − cacheReadTokens − cacheWriteTokens` at the input price. ai-sdk.test.ts "maps AI SDK v3 usage token
 *    details": total 4605 with cacheRead 3605 → inputTokens 4605.
 *  - `outputTokens` = `outputTokens.total` (text + reasoning in the AI SDK v3 usage), i.e. reasoning included, as our
 *    convention wants. The persisted metrics drop `reasoningTokenCount` (sdk/packages/core/src/runtime/config/
 *    agent-message-codec.ts `agentMetricsToMetrics`), so the reasoning part is not known (0) unless present.
 *  - Host-registered handlers (the VS Code LM API) go through sdk/packages/core/src/services/llms/
 *    apihandler-agent-model-adapter.ts, whose `ApiStreamUsageChunk.inputTokens` is documented as "Total number of
 *    input tokens reported by the provider" (sdk/packages/llms/src/providers/stream.ts).
 *
 * So no per-provider table applies here. A row whose `inputTokens` is smaller than its cache tokens cannot be a
 * whole-prompt count; it is read as input without cache tokens (nothing is subtracted), so no tokens are lost.
 */
export interface SdkMetrics {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface SdkTokens {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export function normaliseSdkTokens(m: SdkMetrics): SdkTokens {
  const cache = m.cacheReadTokens + m.cacheWriteTokens;
  const input = m.inputTokens >= cache ? m.inputTokens - cache : m.inputTokens;
  return { input, output: m.outputTokens, cacheWrite: m.cacheWriteTokens, cacheRead: m.cacheReadTokens };
}
