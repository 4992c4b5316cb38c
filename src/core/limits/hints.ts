import type { CacheSummary, IdleRewrites } from './cacheEconomics';
import { formatPct, formatTokens, formatUsd } from './format';

/**
 * Short, specific optimisation hints from the cache economics, most valuable first. A hint is only given when
 * the money involved is worth a look (`minUsd`, default $0.50) or, for the hit ratio, when enough input went
 * through (≥ 1M input-side tokens) to judge.
 */
export interface Hint {
  id: 'idle-rewrites' | 'low-hit-ratio' | 'one-hour-writes' | 'cache-savings';
  text: string;
  /** USD at stake (what could be saved, or what was saved for the info hint) */
  usd: number | null;
  severity: 'info' | 'suggestion';
  /** `text` as a string-table key (`hint.*`) and its arguments, for the display language (app/dashboard/insights.ts) */
  message?: { key: string; args: Record<string, string | number> };
}

export interface HintOptions {
  minUsd?: number;
}

export function cacheHints(summary: CacheSummary, idle: IdleRewrites, opts: HintOptions = {}): Hint[] {
  const minUsd = opts.minUsd ?? 0.5;
  const hints: Hint[] = [];
  if (idle.events > 0 && idle.costUsd >= minUsd) {
    const n = idle.sessions.length;
    const tip = idle.avoidableWith1hUsd >= minUsd
      ? `keep sessions warm or use 1h cache (would have avoided ~${formatUsd(idle.avoidableWith1hUsd)})`
      : 'keep sessions warm, or start a fresh session after long breaks';
    hints.push({
      id: 'idle-rewrites',
      severity: 'suggestion',
      usd: idle.costUsd,
      text: `${n} session${n === 1 ? '' : 's'} re-wrote ${formatTokens(idle.tokens)} tokens of cache after idle gaps > 5 min: ~${formatUsd(idle.costUsd)}; ${tip}.`,
      message: {
        key: idle.avoidableWith1hUsd >= minUsd ? 'hint.idleRewrites.avoidable' : 'hint.idleRewrites',
        args: { n, tokens: formatTokens(idle.tokens), cost: formatUsd(idle.costUsd), avoidable: formatUsd(idle.avoidableWith1hUsd) },
      },
    });
  }
  const inputSide = summary.uncachedInput + summary.write5mTokens + summary.write1hTokens + summary.readTokens;
  if (summary.hitRatio !== null && inputSide >= 1_000_000 && summary.hitRatio < 0.5) {
    hints.push({
      id: 'low-hit-ratio',
      severity: 'suggestion',
      usd: null,
      text: `Only ${formatPct(summary.hitRatio)} of input tokens were cache hits; long sessions with a stable prompt prefix (CLAUDE.md, tools) are cheaper than many short ones.`,
      message: { key: 'hint.lowHitRatio', args: { pct: formatPct(summary.hitRatio) } },
    });
  }
  const writeUsd = summary.write5mUsd + summary.write1hUsd;
  if (summary.write1hUsd >= minUsd && writeUsd > 0 && summary.write1hUsd / writeUsd >= 0.5 && idle.avoidableWith1hUsd < summary.write1hUsd * 0.1) {
    hints.push({
      id: 'one-hour-writes',
      severity: 'suggestion',
      usd: summary.write1hUsd * (0.75 / 2),
      text: `1-hour cache writes cost ${formatUsd(summary.write1hUsd)} (2× input vs 1.25× for 5-minute writes) but few pauses of 5–60 min were seen; 5-minute caching would cost ~${formatUsd(summary.write1hUsd * (1.25 / 2))}.`,
      message: { key: 'hint.oneHourWrites', args: { cost: formatUsd(summary.write1hUsd), alt: formatUsd(summary.write1hUsd * (1.25 / 2)) } },
    });
  }
  if (summary.savedUsd >= minUsd) {
    hints.push({
      id: 'cache-savings',
      severity: 'info',
      usd: summary.netSavedUsd,
      text: `Caching saved ~${formatUsd(summary.savedUsd)} versus paying full input price for ${formatTokens(summary.readTokens)} cached tokens (${formatUsd(summary.netSavedUsd)} after the ${formatUsd(summary.writePremiumUsd)} cache-write premium).`,
      message: {
        key: 'hint.cacheSavings',
        args: { saved: formatUsd(summary.savedUsd), tokens: formatTokens(summary.readTokens), net: formatUsd(summary.netSavedUsd), premium: formatUsd(summary.writePremiumUsd) },
      },
    });
  }
  const rank = (h: Hint) => (h.severity === 'suggestion' ? 0 : 1);
  return hints.sort((a, b) => rank(a) - rank(b) || (b.usd ?? 0) - (a.usd ?? 0));
}
