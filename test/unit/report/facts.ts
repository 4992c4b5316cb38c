/** Hand-made facts for report tests (normalised counts as the indexer stores them). */
import { bucketOf, zeroTokens, type Fact, type TokenCounts } from '../../../src/core/types';

export function fact(iso: string, p: Partial<Fact & TokenCounts> = {}): Fact {
  const ms = Date.parse(iso);
  return {
    ...zeroTokens(),
    requests: 1,
    source: 'claude',
    model: 'claude-sonnet-4-5-20250929',
    project: '-home-ana-shop',
    session: 's1',
    branch: 'main',
    tier: 'standard',
    bucketStartMs: bucketOf(ms),
    firstMs: ms,
    lastMs: ms,
    ...p,
  };
}
