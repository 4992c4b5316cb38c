import { bucketOf, zeroTokens, type Dims, type Fact, type TokenCounts } from '../../src/core/types';

/**
 * A fact (one request unless `tokens.requests` says otherwise) at an ISO instant, in its 15-minute bucket, for tests
 * that build facts by hand. Dims default to a Claude Sonnet 4.5 call in project "-home-dev-app", session "sess-1",
 * branch "main", standard tier; `lastAfterMs` is the span to the bucket's last entry.
 */
export function factAt(iso: string, tokens: Partial<TokenCounts>, dims: Partial<Dims> = {}, lastAfterMs = 0): Fact {
  const ms = Date.parse(iso);
  return {
    ...zeroTokens(),
    requests: 1,
    ...tokens,
    source: 'claude',
    model: 'claude-sonnet-4-5-20250929',
    project: '-home-dev-app',
    session: 'sess-1',
    branch: 'main',
    tier: 'standard',
    ...dims,
    bucketStartMs: bucketOf(ms),
    firstMs: ms,
    lastMs: ms + lastAfterMs,
  };
}
