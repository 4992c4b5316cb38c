import type { Fact, Source } from '../../../src/core/types';
import { bucketOf } from '../../../src/core/types';
import type { TokenCost } from '../../../src/core/limits/spend';

/** Per-million prices of a few real models (pricing.md), enough to price realistic facts in tests. */
export const PRICES: Record<string, { input: number; output: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number }> = {
  'claude-sonnet-4-5-20250929': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 },
  'claude-opus-4-6': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 },
  'gpt-5.3-codex': { input: 1.75, output: 14, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0.175 },
};

/** Cost of a fact from PRICES; null for an unknown model (unpriced). */
export function costOf(f: Fact): number | null {
  const p = PRICES[f.model];
  if (!p) return null;
  return (f.input * p.input + f.output * p.output + f.cacheWrite5m * p.cacheWrite5m + f.cacheWrite1h * p.cacheWrite1h + f.cacheRead * p.cacheRead) / 1e6;
}

/** Cost of some of a fact's tokens on its model (what `costOf(tokens, model, tier, table)` does), null when unpriced. */
export const tokenCost: TokenCost = (tokens, f) => costOf({ ...f, ...tokens });

export interface FactInit {
  at: string | number;
  model?: string;
  source?: Source;
  project?: string;
  session?: string;
  input?: number;
  output?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  requests?: number;
  /** span of the entries inside the bucket, ms (default 60 s) */
  spanMs?: number;
}

/** One fact as the index would store it: bucket = 15-min floor of the first entry, first/last entry times. */
export function fact(i: FactInit): Fact {
  const first = typeof i.at === 'number' ? i.at : Date.parse(i.at);
  const b = bucketOf(first);
  const last = Math.min(first + (i.spanMs ?? 60_000), b + 899_999);
  const model = i.model ?? 'claude-sonnet-4-5-20250929';
  return {
    source: i.source ?? (model.startsWith('gpt') ? 'codex' : 'claude'),
    model,
    project: i.project ?? '-home-dev-webapp',
    session: i.session ?? 's-1',
    branch: 'main',
    tier: 'standard',
    bucketStartMs: b,
    firstMs: first,
    lastMs: last,
    input: i.input ?? 0,
    output: i.output ?? 0,
    cacheWrite5m: i.cacheWrite5m ?? 0,
    cacheWrite1h: i.cacheWrite1h ?? 0,
    cacheRead: i.cacheRead ?? 0,
    reasoning: 0,
    webSearch: 0,
    requests: i.requests ?? 1,
  };
}

/** A fact costing exactly `usd` with sonnet output tokens ($15/MTok). */
export function usdFact(at: string | number, usd: number, extra: Partial<FactInit> = {}): Fact {
  return fact({ at, output: Math.round((usd / 15) * 1e6), requests: 10, ...extra });
}
