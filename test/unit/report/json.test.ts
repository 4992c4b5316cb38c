import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonRow, roundUsd } from '../../../src/core/report/json';
import { RowAccumulator } from '../../../src/core/report/rows';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { zeroTokens, type Fact } from '../../../src/core/types';

test('dollar amounts lose binary float noise, keep sub-cent precision, and unpriced stays null', () => {
  assert.equal(roundUsd(0.19198500000000002), 0.191985);
  assert.equal(roundUsd(0.1 + 0.2), 0.3);
  assert.equal(roundUsd(1e-9), 1e-9);
  assert.equal(roundUsd(null), null);
});

test('a JSON row carries the fixed fields in order, with the rounded cost', () => {
  const ms = Date.parse('2026-03-10T09:00:00Z');
  // Sonnet 4.5: 1,010 input × $3 + 1,102 output × $15 + 280,000 reads × $0.30 per MTok = 0.00303 + 0.01653 + 0.084
  const fact: Fact = {
    ...zeroTokens(), input: 1010, output: 1102, cacheRead: 280_000, requests: 4,
    source: 'claude', model: 'claude-sonnet-4-5-20250929', project: 'p', session: 's', branch: 'main', tier: 'long',
    bucketStartMs: ms, firstMs: ms, lastMs: ms,
  };
  const acc = new RowAccumulator();
  acc.add({ ...fact, tier: 'standard' });
  const row = jsonRow(acc.toRow('2026-03-10', createPriceTable()));
  assert.deepEqual(Object.keys(row).slice(0, 14), [
    'key', 'source', 'model', 'requests', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheCreation5mTokens',
    'cacheCreation1hTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens', 'costUSD', 'unpricedTokens',
  ]);
  assert.equal(row.costUSD, 0.10356);
  assert.equal(row.totalTokens, 1010 + 1102 + 280_000);
});
