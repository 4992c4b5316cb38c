/**
 * Model-name normalisation for price lookup.
 *
 * Logs and user overrides name the same model in many ways: `anthropic/claude-sonnet-4-5`,
 * `us.anthropic.claude-sonnet-4-5-20250929-v1:0` (Bedrock), `claude-sonnet-4-5@20250929` (Vertex),
 * `claude-4-sonnet-20250514` vs `claude-sonnet-4-20250514`, `gpt-5-codex`. Lookup is exact on a short list of
 * candidates built from the name — never a substring search — so `claude-opus-4-5` can never take the
 * price of `claude-opus-4-6` (the boundary trap of fuzzy matchers).
 */

import bundled from './prices.json';

const BUNDLED_KEYS: ReadonlySet<string> = new Set(Object.keys(bundled.models));

/**
 * Names billed like another model (as ccusage maps them) when the table has no entry of their own. The bundled table
 * has entries for both, so these only apply to a table without them; an override of `gpt-5` then reaches
 * `gpt-5-codex` only in that case (see priceTable.ts `overrideTargets`).
 */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  'gpt-5-codex': 'gpt-5',
  'gpt-5.3-codex': 'gpt-5.2-codex',
  // Names the vendor bills as another entry (genai-prices 0.1.8 lists them under the same price): Gemini 2.5 Pro's
  // dated previews, Gemini 2.5 Flash's September preview, xAI's aliases, Moonshot's ids without `-preview` as
  // OpenRouter spells them (`moonshotai/kimi-k2-0905`), MiniMax M2.1/M2.5 (priced as M2 by MiniMax) and DeepSeek's
  // legacy V4 Flash names.
  'gemini-2.5-pro-preview': 'gemini-2.5-pro',
  'gemini-2.5-pro-preview-03-25': 'gemini-2.5-pro',
  'gemini-2.5-pro-preview-05-06': 'gemini-2.5-pro',
  'gemini-2.5-pro-preview-06-05': 'gemini-2.5-pro',
  'gemini-2.5-flash-preview-09-2025': 'gemini-2.5-flash',
  'gemini-2.5-flash-lite-preview-09-2025': 'gemini-2.5-flash-lite',
  'gemini-2.5-flash-lite-preview-06-17': 'gemini-2.5-flash-lite',
  'gemini-3.1-flash-lite-preview': 'gemini-3.1-flash-lite',
  // Gemini CLI's second name of Gemini 3.5 Flash (its config/models.ts: "resolved to 3.5 flash in backends where it is
  // used"), 3.5 Flash's preview and 3.1 Pro's custom-tools variant (genai-prices 0.1.8 prices both as the model)
  'gemini-3-flash': 'gemini-3.5-flash',
  'gemini-3.5-flash-preview': 'gemini-3.5-flash',
  'gemini-3.1-pro-preview-customtools': 'gemini-3.1-pro-preview',
  'grok-4': 'grok-4-0709',
  'grok-4-latest': 'grok-4-0709',
  'grok-4-fast': 'grok-4-fast-reasoning',
  'grok-4-1-fast': 'grok-4-1-fast-reasoning',
  'grok-3-latest': 'grok-3',
  'grok-3-mini-latest': 'grok-3-mini',
  'grok-code-fast': 'grok-code-fast-1',
  'grok-code-fast-1-0825': 'grok-code-fast-1',
  // xAI's dated Grok 4.20 ids (LiteLLM lists them at grok-4.20's rates)
  'grok-4.20-0309-reasoning': 'grok-4.20',
  'grok-4.20-0309-non-reasoning': 'grok-4.20',
  'kimi-k2-0711': 'kimi-k2-0711-preview',
  'kimi-k2-0905': 'kimi-k2-0905-preview',
  'minimax-m2.1': 'minimax-m2',
  'minimax-m2.5': 'minimax-m2',
  // DeepSeek: the legacy V4 Flash names are served by DeepSeek-V4.1-Flash and billed at deepseek-flash's prices
  'deepseek-v4-flash': 'deepseek-flash',
  'deepseek-v4-flash-vision-exp': 'deepseek-flash',
};

const DATE_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;
/** `-latest` names the newest snapshot: priced like the undated (or newest dated) entry when it has no entry of its own. */
const LATEST_SUFFIX = /-latest$/;
const FAMILIES = 'opus|sonnet|haiku';
/** What may follow a Claude version: nothing, a date or `-latest`. */
const AFTER_VERSION = '-\\d{8}$|-\\d{4}-\\d{2}-\\d{2}$|-latest$|$';

/**
 * Bedrock region/vendor prefix: `anthropic.`, `openai.`, optionally after a cross-region inference-profile label
 * (`us.`, `eu.`, `apac.`, `jp.`, `au.`, `global.`, `us-gov.`, … — any label, since AWS keeps adding them; the
 * vendor part is what makes it a Bedrock id).
 */
const BEDROCK_PREFIX = /^(?:[a-z]+(?:-[a-z]+)*\.)?(?:anthropic|openai)\./;
/** Bedrock API version suffix (`-v1:0`, `-v2:0`, `-v1:0:200k`) at the end, or a Vertex `-v2` before the date. */
const VERSION_SUFFIX = /-v\d+(?::[0-9a-z]+)*(?=-\d{8}$|$)/;
const FAST_SUFFIX = /-fast$/;

/**
 * Syntactic clean-up that needs no table: lower case, provider paths (`openrouter/anthropic/…`),
 * Bedrock region/vendor prefixes and `-v1:0` version suffixes, Vertex `@date` suffixes (turned into `-date`) and
 * `-v2@date` version markers, Claude Code's `[1m]` context marker, ccusage's `-fast` marker (not on xAI's `grok-…-fast` models), dotted Claude versions (`claude-sonnet-4.5` →
 * `claude-sonnet-4-5`) and Anthropic's `.0` aliases (`claude-sonnet-4-0` → `claude-sonnet-4`: version 4.0 is 4).
 * `fast` tells whether the name carried the `-fast` marker (ccusage/LiteLLM name fast-mode entries so).
 */
export function parseModelName(raw: string): { name: string; fast: boolean } {
  let s = raw.trim().toLowerCase();
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  s = s.replace(BEDROCK_PREFIX, '');
  s = s.replace(/@(\d{8})$/, '-$1').replace(/@.*$/, '');
  // Claude Code's name of a 1M-context variant (`claude-opus-5[1m]`, in modelUsage, cost-state and hook payloads):
  // the same model at the same price
  s = s.replace(/\[[^\]]*\]$/, '');
  // xAI's `-fast` models (grok-4-fast, grok-3-mini-fast) are models of their own, not a fast mode of another
  const fast = FAST_SUFFIX.test(s) && !s.startsWith('grok-');
  if (fast) s = s.replace(FAST_SUFFIX, '');
  s = s.replace(VERSION_SUFFIX, '');
  if (s.startsWith('claude')) {
    s = s.replace(/(\d)\.(\d)/g, '$1-$2');
    // `claude-opus-4-0` / `claude-4-0-opus` (Anthropic's aliases of the 4.0 snapshots) name version 4; only a
    // whole `-0` minor version (then nothing, a date or `-latest`) is dropped, so `claude-opus-4-1`,
    // `claude-opus-4-05` and `claude-opus-4-0-1` are untouched.
    s = s
      .replace(new RegExp(`^claude-(${FAMILIES})-(\\d+)-0(?=${AFTER_VERSION})`), 'claude-$1-$2')
      .replace(new RegExp(`^claude-(\\d+)-0-(${FAMILIES})(?=${AFTER_VERSION})`), 'claude-$1-$2');
  }
  return { name: s, fast };
}

/** The cleaned-up name (see parseModelName), without the fast marker. */
export function cleanModelName(raw: string): string {
  return parseModelName(raw).name;
}

/** `claude-4-sonnet…` ↔ `claude-sonnet-4…` (both orders have been published). */
function swapFamilyOrder(s: string): string | null {
  const a = new RegExp(`^claude-(\\d+(?:-\\d)?)-(${FAMILIES})(-.*)?$`).exec(s);
  if (a) return `claude-${a[2]}-${a[1]}${a[3] ?? ''}`;
  const b = new RegExp(`^claude-(${FAMILIES})-(\\d+(?:-\\d)?)(?=-\\d{8}$|-\\d{4}-\\d{2}-\\d{2}$|$)(.*)$`).exec(s);
  if (b) return `claude-${b[2]}-${b[1]}${b[3] ?? ''}`;
  return null;
}

/**
 * The identity of a model name, for keying overrides by the same normalisation lookups use: the cleaned name with
 * the family first (`claude-4-sonnet-20250514` and `claude-sonnet-4-20250514` share one identity, since lookup
 * treats them as one model). Not a price-table key; aliases and date fallbacks are not applied.
 */
export function modelIdentity(raw: string): string {
  const s = cleanModelName(raw);
  return new RegExp(`^claude-\\d+(?:-\\d)?-(${FAMILIES})(?:-|$)`).test(s) ? (swapFamilyOrder(s) ?? s) : s;
}

/** The undated form of a name with a `-YYYYMMDD` / `-YYYY-MM-DD` suffix, or null when it has none. */
export function withoutDate(name: string): string | null {
  const undated = name.replace(DATE_SUFFIX, '');
  return undated === name ? null : undated;
}

/**
 * Resolves a model name to the key of a price entry, or null when no entry fits.
 * Order: exact → alias → without date suffix → newest dated entry of an undated name → the same with the
 * family/version order swapped → the same without a `-latest` suffix. `keys` is the price table's key set (lower case).
 */
export function resolveModelKey(raw: string, keys: ReadonlySet<string>): string | null {
  const base = cleanModelName(raw);
  if (!base) return null;
  const attempt = (name: string): string | null => {
    if (keys.has(name)) return name;
    const alias = MODEL_ALIASES[name];
    if (alias && keys.has(alias)) return alias;
    const undated = name.replace(DATE_SUFFIX, '');
    if (undated !== name) {
      if (keys.has(undated)) return undated;
      const aliased = MODEL_ALIASES[undated];
      if (aliased && keys.has(aliased)) return aliased;
      return newestDated(undated, keys);
    }
    return newestDated(name, keys);
  };
  const tryBoth = (name: string): string | null => {
    const hit = attempt(name);
    if (hit) return hit;
    const swapped = swapFamilyOrder(name);
    return swapped ? attempt(swapped) : null;
  };
  const direct = tryBoth(base);
  if (direct || !LATEST_SUFFIX.test(base)) return direct;
  return tryBoth(base.replace(LATEST_SUFFIX, ''));
}

/** The newest `name-YYYYMMDD` (or `name-YYYY-MM-DD`) entry, for an undated name whose table has only dated rows. */
function newestDated(name: string, keys: ReadonlySet<string>): string | null {
  let best: string | null = null;
  let bestDate = '';
  for (const k of keys) {
    if (k.length <= name.length + 1 || !k.startsWith(name) || k[name.length] !== '-') continue;
    const m = DATE_SUFFIX.exec(k);
    if (!m || m.index !== name.length) continue;
    const date = m[1].replace(/-/g, '');
    if (date > bestDate) {
      bestDate = date;
      best = k;
    }
  }
  return best;
}

/**
 * The canonical name a model is priced under: the price-table key it resolves to (default: the bundled table),
 * or its cleaned-up name when the table has no entry (then the model is unpriced).
 */
export function normalizeModel(raw: string, keys: ReadonlySet<string> = BUNDLED_KEYS): string {
  return resolveModelKey(raw, keys) ?? cleanModelName(raw);
}
