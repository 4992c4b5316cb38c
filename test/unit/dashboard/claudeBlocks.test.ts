import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import type { Fact } from '../../../src/core/types';
import { bucketOf } from '../../../src/core/types';
import { claudeBlocks } from '../../../src/host/dashboard/claudeBlocks';

function fact(iso: string, o: Partial<Fact>): Fact {
  const ms = Date.parse(iso);
  return {
    source: 'claude', model: 'claude-sonnet-4-5-20250929', project: 'p', session: 's', branch: '', tier: 'standard',
    input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 1,
    bucketStartMs: bucketOf(ms), firstMs: ms, lastMs: ms, ...o,
  };
}

test('blocks timeline: Claude only, input+output per 5-hour block, preset plan limit labelled as an estimate', () => {
  const now = Date.parse('2026-06-10T12:00:00Z');
  const facts = [
    fact('2026-06-10T02:10:00Z', { input: 1000, output: 2000, cacheRead: 50_000 }),
    fact('2026-06-10T04:40:00Z', { input: 500, output: 500 }),
    // 5 h after the first block's start (02:00): a new block
    fact('2026-06-10T10:30:00Z', { input: 3000, output: 1000 }),
    fact('2026-06-10T10:35:00Z', { source: 'codex', model: 'gpt-5-codex', input: 99_999, output: 1 }),
  ];
  const b = claudeBlocks(facts, createPriceTable(), now, { plan: 'pro' })!;
  assert.deepEqual(b.blocks.map((x) => [new Date(x.startMs).toISOString(), x.tokens, x.isActive]), [
    ['2026-06-10T02:00:00.000Z', 4000, false],
    ['2026-06-10T10:00:00.000Z', 4000, true],
  ]);
  assert.equal(b.limitTokens, 19_000);
  assert.match(b.limitLabel!, /estimate/);
  assert.equal(claudeBlocks(facts.filter((f) => f.source === 'codex'), createPriceTable(), now, { plan: 'auto' }), null);
});
