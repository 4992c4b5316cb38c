/**
 * OpenCode's `tokens {total?, input, output, reasoning, cache {read, write}}` (on an assistant message and on each
 * `step-finish` part) → AgentMeter's conventions (plugin.ts).
 *
 * How OpenCode fills them — `getUsage` in anomalyco/opencode (formerly sst/opencode)
 * packages/opencode/src/session/session.ts @008456f (the same in Kilo CLI's fork):
 *   input     = usage.inputTokens − cacheRead − cacheWrite   (AI SDK v6 input includes the cache: "Always subtract
 *               cache tokens"), i.e. already the input NOT read from or written to cache;
 *   output    = usage.outputTokens − reasoning                (reasoning kept apart, NOT inside output),
 *   reasoning = outputTokenDetails.reasoningTokens, cache.read / cache.write as reported, total = usage.totalTokens.
 * So the billed output is `output + reasoning` (OpenCode's own cost adds reasoning at the output price).
 *
 * Older OpenCode wrote `output = usage.outputTokens` unchanged — reasoning INSIDE output for OpenAI-style providers
 * (packages/opencode/src/session/index.ts @0002b1f `getUsage`, no `total`; issue anomalyco/opencode#17566 "reasoning
 * tokens are a subset of completion_tokens (already in outputTokens)"; changed by PR #21047) — except Google, whose
 * AI SDK v5 provider reported `outputTokens = candidatesTokenCount` without the thoughts (`reasoningTokens =
 * thoughtsTokenCount`). The row says which: when `total` is present, `total − input − cache.read − cache.write` is
 * the whole output (t3code#10926: total = input + output + reasoning + cache in 684 of 688 rows of a real store;
 * the Kilo rows in Piebald-AI/splitrail src/analyzers/opencode_common.rs @56e4be4 tests have total = input + output
 * + cache, reasoning inside output). Without `total` (the older writer) reasoning is inside output, Google aside.
 */
export interface OpenCodeTokens {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/** The tokens of one message or step in AgentMeter's conventions; undefined when the shape is not OpenCode's. */
export function normaliseTokens(raw: unknown, providerID: string | undefined): OpenCodeTokens | undefined {
  if (!isObject(raw)) return undefined;
  const cache = raw.cache === undefined ? {} : raw.cache;
  if (!isObject(cache)) return undefined;
  if (!isCount(raw.input) || !isCount(raw.output)) return undefined;
  const input = raw.input;
  const out = raw.output;
  const reasoning = isCount(raw.reasoning) ? raw.reasoning : 0;
  const cacheRead = isCount(cache.read) ? cache.read : 0;
  const cacheWrite = isCount(cache.write) ? cache.write : 0;
  let output = out;
  if (reasoning > 0) {
    if (typeof raw.total === 'number' && Number.isFinite(raw.total)) {
      const whole = raw.total - input - cacheRead - cacheWrite;
      // whole === out: the older writer (reasoning inside output); otherwise the current one (or a mid-stream row)
      output = whole === out ? out : out + reasoning;
    } else {
      output = providerID === 'google' || providerID === 'google-vertex' ? out + reasoning : out;
    }
  }
  return { input, output, reasoning: Math.min(reasoning, output), cacheRead, cacheWrite };
}

export function addTokens(a: OpenCodeTokens, b: OpenCodeTokens): OpenCodeTokens {
  return { input: a.input + b.input, output: a.output + b.output, reasoning: a.reasoning + b.reasoning, cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite };
}

export function isZero(t: OpenCodeTokens): boolean {
  return t.input + t.output + t.reasoning + t.cacheRead + t.cacheWrite === 0;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
