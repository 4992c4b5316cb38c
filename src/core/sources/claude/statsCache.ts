/**
 * Claude Code's own statistics cache, `stats-cache.json` in each Claude config folder (the parent of `projects/`),
 * written by Claude Code for `/stats` (issue 15 §4). Read, never written.
 *
 * What Claude Code writes (its own source as published in March 2026, kept in the fork Gitlawb/openclaude, commit
 * d2542c9a628b1ec65d2d96b015aa1f3541fdc095: `src/utils/statsCache.ts`, `src/utils/stats.ts`):
 * - `version` (STATS_CACHE_VERSION = 3; versions 1 and 2 have the same fields and are migrated by Claude Code itself:
 *   `MIN_MIGRATABLE_VERSION = 1`; users' files in the wild say `"version": 2`, anthropics/claude-code#29947, #61686).
 *   Later builds write version 5 (see STATS_CACHE_KNOWN_VERSION: its daily figures differ); a newer one is skipped:
 *   its fields may mean something else.
 * - `lastComputedDate` — the last day fully computed (`YYYY-MM-DD`); days after it are not in the file.
 * - `dailyActivity[] {date, messageCount, sessionCount, toolCallCount}` and
 *   `dailyModelTokens[] {date, tokensByModel{model: tokens}}`, one entry per date, sorted.
 * - `modelUsage{model: {inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens, webSearchRequests,
 *   costUSD, contextWindow, maxOutputTokens}}` — all-time sums per model.
 * - `totalSessions`, `totalMessages`, `longestSession`, `firstSessionDate`, `hourCounts{hour: sessions}` (local hour of
 *   each session's start), `totalSpeculationTimeSavedMs`, `shotDistribution`.
 *
 * Two facts decide how a day of a version 1–3 file can be estimated (stats.ts `processSessionFiles`; version 5: see
 * STATS_CACHE_KNOWN_VERSION):
 * - **A day's `tokensByModel` total is input + output only** (`usage.input_tokens + usage.output_tokens`; the type's
 *   own comment: "total tokens (input + output) per model"): cache reads and cache writes are NOT in it; they are only
 *   in the all-time `modelUsage`.
 * - **The date is the UTC date** (`toDateString` = `date.toISOString().split('T')[0]`) **of the session's first main
 *   message**: all of a session's tokens are filed under the UTC day it began (anthropics/claude-code#67625 and #89222:
 *   the cache's keys are UTC days; #61683: a session resumed over several days shows on one day only). Subagent
 *   transcripts count under their own first message's day; `<synthetic>` messages are not counted.
 *
 * So the days here are compared by their date string as Claude writes it, i.e. as **UTC** days (see `estimateDays`;
 * a version 5 file written by 2.1.337 keys its days by the local date, a few hours off at most).
 */

/**
 * Versions 4 and 5 (Claude Code 2.1.268 and 2.1.337 write `"version": 5`, found in their bundled code: `po=5`, and
 * migrate versions 1–5 themselves) add `dailyModelTokensVersion` (5 in both builds): when it is 5, a day's
 * `tokensByModel` figure is **input + output + cache reads + cache writes** of the model's assistant lines, each line
 * filed under its own timestamp's date (2.1.268: `Mo(je)`, the UTC date; 2.1.337: `xo(Ce)`, the **local** date of the
 * machine) — `let Wn=Lt+ct+nt+Yt` / `let dt=Ne+qe+Xe+at` over input, output, cache read and cache creation; 2.1.337
 * adds a message's `pausedResponses` once. Claude Code rebuilds the daily figures of a file whose
 * `dailyModelTokensVersion` is below 5 (`(M.dailyModelTokensVersion??0)<bs` → "Rebuilding stats dailyModelTokens"),
 * so a version 4/5 file without it holds figures whose meaning is not known: they are left out (no estimate rather
 * than a wrong one), its daily activity is kept.
 */
export const STATS_CACHE_KNOWN_VERSION = 5;
/** The `dailyModelTokensVersion` whose figures hold all four counters. */
const ALL_COUNTERS_DAILY_TOKENS = 5;
/** The first `version` that has `dailyModelTokensVersion`. */
const FIRST_VERSION_WITH_DAILY_TOKENS_VERSION = 4;
const OLDEST_VERSION = 1;

export interface StatsDailyActivity {
  /** `YYYY-MM-DD`, a UTC day */
  date: string;
  messageCount: number;
  sessionCount: number;
  toolCallCount: number;
}

export interface StatsModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  webSearchRequests: number;
  /** as written (stats.ts starts it at 0 and never adds to it: not a cost; not used) */
  costUSD: number;
}

/** The fields of a stats cache that AgentMeter uses, checked and normalised (JSON-serialisable). */
export interface ClaudeStatsCache {
  version: number;
  lastComputedDate: string | null;
  firstSessionDate: string | null;
  totalSessions: number;
  totalMessages: number;
  /** one entry per date, sorted by date */
  dailyActivity: StatsDailyActivity[];
  /** per date (sorted), tokens per model: input + output, or all four counters when `dailyTokensCover` is 'all' */
  dailyModelTokens: { date: string; tokensByModel: Record<string, number> }[];
  /** 'all': the daily figures are input + output + cache reads + cache writes (dailyModelTokensVersion 5); absent: input + output */
  dailyTokensCover?: 'all';
  modelUsage: Record<string, StatsModelUsage>;
  /** sessions started per local hour of the day ('0' … '23') */
  hourCounts: Record<string, number>;
  /** entries (or fields) that could not be read and were left out */
  malformed: number;
}

export type ParsedStatsCache = { ok: true; stats: ClaudeStatsCache } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const countOr0 = (v: unknown): number => (isCount(v) ? v : 0);

/** A real calendar date `YYYY-MM-DD`. */
export function isDateKey(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * Parses the text of a `stats-cache.json`. Never throws: a file that is not JSON (truncated, being written), not an
 * object, of an unknown (newer) version or without the daily arrays is skipped with a one-line reason; a bad entry
 * inside it (bad date, negative or fractional count) is left out and counted in `malformed`.
 */
export function parseStatsCache(text: string): ParsedStatsCache {
  let v: unknown;
  try {
    v = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { ok: false, reason: text.trim() ? 'not valid JSON (truncated or being written)' : 'empty file' };
  }
  if (!isObject(v)) return { ok: false, reason: 'not a JSON object' };
  const version = v.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) return { ok: false, reason: 'no version' };
  if (version > STATS_CACHE_KNOWN_VERSION) return { ok: false, reason: `unknown newer version ${version} (known: ${OLDEST_VERSION}–${STATS_CACHE_KNOWN_VERSION})` };
  if (version < OLDEST_VERSION) return { ok: false, reason: `unknown version ${version}` };
  // Claude Code's own check (statsCache.ts loadStatsCache): both daily arrays present
  if (!Array.isArray(v.dailyActivity) || !Array.isArray(v.dailyModelTokens)) return { ok: false, reason: 'no dailyActivity / dailyModelTokens arrays' };

  let malformed = 0;
  const activity = new Map<string, StatsDailyActivity>();
  for (const e of v.dailyActivity) {
    if (!isObject(e) || !isDateKey(e.date) || ![e.messageCount, e.sessionCount, e.toolCallCount].every((n) => n === undefined || isCount(n))) {
      malformed++;
      continue;
    }
    const a = activity.get(e.date) ?? { date: e.date, messageCount: 0, sessionCount: 0, toolCallCount: 0 };
    a.messageCount += countOr0(e.messageCount);
    a.sessionCount += countOr0(e.sessionCount);
    a.toolCallCount += countOr0(e.toolCallCount);
    activity.set(e.date, a);
  }

  const tokens = new Map<string, Record<string, number>>();
  // version 4+: the daily figures mean what dailyModelTokensVersion says (5: all four counters; else not known: left out)
  const newer = version >= FIRST_VERSION_WITH_DAILY_TOKENS_VERSION;
  const allCounters = newer && v.dailyModelTokensVersion === ALL_COUNTERS_DAILY_TOKENS;
  for (const e of newer && !allCounters ? [] : v.dailyModelTokens) {
    if (!isObject(e) || !isDateKey(e.date) || !isObject(e.tokensByModel)) {
      malformed++;
      continue;
    }
    const day = tokens.get(e.date) ?? {};
    for (const [model, n] of Object.entries(e.tokensByModel)) {
      if (!isCount(n)) {
        malformed++;
        continue;
      }
      day[model] = (day[model] ?? 0) + n;
    }
    tokens.set(e.date, day);
  }

  const modelUsage: Record<string, StatsModelUsage> = {};
  if (isObject(v.modelUsage)) {
    for (const [model, u] of Object.entries(v.modelUsage)) {
      const counts = isObject(u) ? [u.inputTokens, u.outputTokens, u.cacheReadInputTokens, u.cacheCreationInputTokens] : [];
      if (!isObject(u) || !counts.every((n) => n === undefined || isCount(n))) {
        malformed++;
        continue;
      }
      modelUsage[model] = {
        inputTokens: countOr0(u.inputTokens),
        outputTokens: countOr0(u.outputTokens),
        cacheReadInputTokens: countOr0(u.cacheReadInputTokens),
        cacheCreationInputTokens: countOr0(u.cacheCreationInputTokens),
        webSearchRequests: countOr0(u.webSearchRequests),
        costUSD: typeof u.costUSD === 'number' && Number.isFinite(u.costUSD) ? u.costUSD : 0,
      };
    }
  } else if (v.modelUsage !== undefined) malformed++;

  const hourCounts: Record<string, number> = {};
  if (isObject(v.hourCounts)) {
    for (const [h, n] of Object.entries(v.hourCounts)) if (/^([0-9]|1[0-9]|2[0-3])$/.test(h) && isCount(n)) hourCounts[h] = n;
  }

  const byDate = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    ok: true,
    stats: {
      version,
      lastComputedDate: isDateKey(v.lastComputedDate) ? v.lastComputedDate : null,
      firstSessionDate: typeof v.firstSessionDate === 'string' ? v.firstSessionDate : null,
      totalSessions: countOr0(v.totalSessions),
      totalMessages: countOr0(v.totalMessages),
      dailyActivity: byDate(activity).map(([, a]) => a),
      dailyModelTokens: byDate(tokens).map(([date, tokensByModel]) => ({ date, tokensByModel })),
      ...(allCounters ? { dailyTokensCover: 'all' as const } : {}),
      modelUsage,
      hourCounts,
      malformed,
    },
  };
}

/** Estimated usage of one model on one day that no log covers. */
export interface EstimatedDayUsage {
  /** `YYYY-MM-DD`: the UTC day as Claude Code keys it (the day its sessions began) */
  date: string;
  model: string;
  /** input + output: the day's figure as Claude Code wrote it, split by the model's all-time input:output mix */
  input: number;
  output: number;
  /**
   * estimated from the model's all-time cache reads / writes per input + output token (not in the day's figure);
   * for a figure of all four counters (dailyTokensCover 'all') its share of the figure, like input and output
   */
  cacheRead: number;
  cacheCreation: number;
  /** the day's `tokensByModel` figure (= input + output, or the four counters' sum) */
  dayTokens: number;
}

export interface DayEstimates {
  /** sorted by date, then model */
  days: EstimatedDayUsage[];
  /** (day, model) figures that could not be split: the model has no input/output in `modelUsage` */
  unsplit: { date: string; model: string; tokens: number }[];
}

/**
 * Estimates the days of `stats` that no log covers. `coveredDays` holds `YYYY-MM-DD` keys compared with the stats
 * cache's dates as Claude Code writes them — **UTC days** (see the file comment); a covered day is left out whole
 * (the logs are exact). For each other day and model with tokens:
 * - a figure of input + output (files before version 5) is split into input and output by the model's all-time
 *   input:output ratio in `modelUsage`, in integers that sum exactly to the day's figure (largest remainder, exact
 *   integer arithmetic); cache reads and cache writes, which that figure does not contain, are the day's figure times
 *   the model's all-time cacheRead / (input + output) and cacheCreation / (input + output), rounded half up;
 * - a figure of all four counters (version 5, `dailyTokensCover` 'all') is split into the four by the model's
 *   all-time mix of them, in integers that sum exactly to it.
 * A model without input or output in `modelUsage` cannot be split and is returned in `unsplit`.
 */
export function estimateDays(stats: ClaudeStatsCache, coveredDays: ReadonlySet<string>): DayEstimates {
  const out: DayEstimates = { days: [], unsplit: [] };
  for (const { date, tokensByModel } of stats.dailyModelTokens) {
    if (coveredDays.has(date)) continue;
    for (const model of Object.keys(tokensByModel).sort()) {
      const tokens = tokensByModel[model];
      if (!(tokens > 0)) continue;
      const u = stats.modelUsage[model];
      const base = u ? u.inputTokens + u.outputTokens : 0;
      if (!u || base <= 0) {
        out.unsplit.push({ date, model, tokens });
        continue;
      }
      if (stats.dailyTokensCover === 'all') {
        // the figure holds all four counters: split by the model's all-time mix of the four
        const [input, output, cacheRead, cacheCreation] = splitExactly(tokens, [u.inputTokens, u.outputTokens, u.cacheReadInputTokens, u.cacheCreationInputTokens]);
        out.days.push({ date, model, input, output, cacheRead, cacheCreation, dayTokens: tokens });
        continue;
      }
      const [input, output] = splitExactly(tokens, [u.inputTokens, u.outputTokens]);
      out.days.push({
        date,
        model,
        input,
        output,
        cacheRead: scaleRounded(tokens, u.cacheReadInputTokens, base),
        cacheCreation: scaleRounded(tokens, u.cacheCreationInputTokens, base),
        dayTokens: tokens,
      });
    }
  }
  return out;
}

/**
 * `total` split in proportion to `weights` (non-negative integers, not all 0) into integers that sum exactly to
 * `total`: each part is floor(total × w / Σw), and the units left over go one each to the parts with the largest
 * remainders (ties: the earlier part). BigInt, so products beyond 2^53 stay exact.
 */
export function splitExactly(total: number, weights: readonly number[]): number[] {
  const t = BigInt(total);
  const w = weights.map((x) => BigInt(x));
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new RangeError('splitExactly: weights sum to 0');
  const parts = w.map((x) => (t * x) / sum);
  const rems = w.map((x, i) => ({ i, r: (t * x) % sum }));
  let left = t - parts.reduce((a, b) => a + b, 0n);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) parts[rems[k].i] += 1n;
  return parts.map(Number);
}

/** round(value × num / den), halves up, in exact integer arithmetic (den > 0). */
function scaleRounded(value: number, num: number, den: number): number {
  const n = BigInt(value) * BigInt(num) * 2n + BigInt(den);
  return Number(n / (2n * BigInt(den)));
}
