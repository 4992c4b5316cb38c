/**
 * Shared domain types of the core. Pure data, no behaviour.
 * Token counts are always the *normalised* counts (see README "How numbers are computed"):
 *   input      = uncached input only (Codex: input_tokens - cached_input_tokens)
 *   output     = output tokens (Codex: output_tokens, which already contains reasoning)
 *   cacheWrite5m / cacheWrite1h = Claude cache writes by TTL (Codex: 0)
 *   cacheRead  = cache hits (Codex: cached_input_tokens)
 *   reasoning  = Codex reasoning_output_tokens, a part of output kept for display only (never added)
 */
/** A log source's id (sources/registry.ts: `claude`, `codex`, and the plug-ins'). */
export type Source = string;

/**
 * Pricing tier recorded per request at ingest (pricing/contextTier.ts `pricingTierOf`). `long` = the request's input
 * exceeded the model's (first) long-context threshold (200k unless the price entry says otherwise); `long2`, `long3`, …
 * = it exceeded the model's 2nd, 3rd, … input-length boundary (Qwen's 32K/128K/256K tiers); `fast` = Claude fast mode;
 * `peak` = made in the vendor's peak hours (DeepSeek V4); `offpeak` = made in its discount hours (DeepSeek's night
 * discount of 2025); `dated1`, `dated2`, … = made after the model's 1st, 2nd, … announced price change (Gemini 3.6-3.8
 * Flash's introductory price ends 2026-12-31; deepseek-chat's five changes), `dated<n>long` / `dated<n>fast` /
 * `dated<n>peak` / `dated<n>offpeak` = such a request above the long-context boundary / in fast mode / in the peak /
 * discount hours, `dated<n>longfast` = in fast mode and above the boundary of a period with long rates (Claude Opus 4.6
 * before 2026-03-13); `longfast` is only what pricing reads it as once its period's rates are chosen.
 */
export type PlainTier =
  | 'standard'
  | 'long'
  | 'fast'
  | 'longfast'
  | 'peak'
  | 'offpeak'
  | `long${number}`
  | `dated${number}`
  | `dated${number}long`
  | `dated${number}fast`
  | `dated${number}longfast`
  | `dated${number}peak`
  | `dated${number}offpeak`;

/**
 * A pricing tier, and how the request was served (one suffix at most):
 * - `<tier>@us` = the request ran with US-only inference (Claude's `usage.inference_geo: "us"`), billed at the model's
 *   US-only multiplier (`ModelPrice.usInferenceMultiplier`: 1.1x on Claude Opus 4.6, Sonnet 4.6 and later; older
 *   models at their standard rates); without it, anywhere (global);
 * - `<tier>@flex` = the request ran at OpenAI's Flex service tier (Codex's `service_tier: "flex"`), billed at the
 *   model's Flex multiplier (`ModelPrice.flexMultiplier`: 0.5 on the models with a published Flex price; the others at
 *   their standard rates). pricing/flexTier.ts.
 */
export type Tier = PlainTier | `${PlainTier}@us` | `${PlainTier}@flex`;

export interface TokenCounts {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  reasoning: number;
  webSearch: number;
  requests: number;
}

export function zeroTokens(): TokenCounts {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0 };
}

export function addTokens(into: TokenCounts, t: TokenCounts): TokenCounts {
  into.input += t.input;
  into.output += t.output;
  into.cacheWrite5m += t.cacheWrite5m;
  into.cacheWrite1h += t.cacheWrite1h;
  into.cacheRead += t.cacheRead;
  into.reasoning += t.reasoning;
  into.webSearch += t.webSearch;
  into.requests += t.requests;
  return into;
}

/** input + output + cache writes + cache reads (reasoning is inside output, web searches are not tokens). */
export function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

/** The dimensions one usage row is kept under (besides its 15-minute time bucket). */
export interface Dims {
  source: Source;
  /** Normalised model name as written in the log (date suffixes kept; pricing normalises further). */
  model: string;
  /** Project key: Claude = folder name under projects/; Codex = session_meta.cwd (or "(unknown)"). */
  project: string;
  /** Session id: Claude = file stem (parent session for subagent files); Codex = rollout file stem. */
  session: string;
  /** Git branch, "" when unknown. */
  branch: string;
  tier: Tier;
}

/**
 * A fact: usage summed per 15-minute UTC bucket and dims. What every report is computed from.
 * `bucketStartMs` is a multiple of 900_000 ms since the epoch (UTC).
 * `firstMs` / `lastMs` are the earliest/latest entry timestamps in the bucket (exact, for blocks and burn rate).
 */
export interface Fact extends Dims, TokenCounts {
  bucketStartMs: number;
  firstMs: number;
  lastMs: number;
  /**
   * What the calls were doing (core/activity.ts: `coding`, `exploring`, `mcp:<server>`, `subagent/…`; '' = unknown).
   * Only on the facts read from the hourly activity aggregate (query/activityFacts.ts); absent elsewhere.
   */
  activity?: string;
}

export const BUCKET_MS = 15 * 60 * 1000;
export function bucketOf(ms: number): number {
  return Math.floor(ms / BUCKET_MS) * BUCKET_MS;
}

/** One Codex rate-limit window as written in a token_count event. */
export interface RateLimitWindow {
  usedPercent: number;
  windowMinutes: number | null;
  /** epoch ms, null if unknown */
  resetsAtMs: number | null;
}

/** The newest rate_limits snapshot seen (Codex). */
export interface RateLimitSnapshot {
  observedMs: number;
  primary: RateLimitWindow | null;
  secondary: RateLimitWindow | null;
  planType: string | null;
  limitId: string | null;
}

/** A Claude "usage limit reached|<epoch>" API-error line: when the limit resets, and when the line was written. */
export interface LimitReset {
  /** when the Claude usage limit resets (epoch ms) */
  resetMs: number;
  /** timestamp of the API-error line that said so (epoch ms) */
  observedMs: number;
}

/** Logger passed in (never imported); the default does nothing. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
}
export const nullLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
