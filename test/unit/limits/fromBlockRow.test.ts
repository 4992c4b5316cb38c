import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeBlocks } from '../../../src/core/report/blocks';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { blockLikeFromRow } from '../../../src/core/limits/fromBlockRow';
import { forecastBlock } from '../../../src/core/limits/blockForecast';
import { resolvePlanLimit } from '../../../src/core/limits/plans';
import { fact } from './fixtures';

const MIN = 60_000;

test('blocks from the report module feed the plan forecast (tokens = input + output, span from first entry)', () => {
  const t0 = Date.parse('2026-03-05T10:07:00Z');
  const facts = [];
  // 10 buckets of steady Sonnet work, 10:07 → 12:22, 4,000 input+output tokens each plus large cache reads
  for (let i = 0; i < 10; i++) facts.push(fact({ at: t0 + i * 15 * MIN, input: 500, output: 3_500, cacheRead: 400_000, cacheWrite5m: 20_000, requests: 12, spanMs: 10 * MIN }));
  const now = t0 + 150 * MIN;
  const rows = computeBlocks(facts, { prices: createPriceTable(), nowMs: now });
  assert.equal(rows.length, 1);
  const b = blockLikeFromRow(rows[0]);
  assert.equal(b.startMs, Date.parse('2026-03-05T10:00:00Z'));
  assert.equal(b.firstMs, t0);
  assert.equal(b.tokens, 40_000);
  assert.equal(b.isActive, true);
  assert.equal(b.requests, 120);
  const f = forecastBlock(b, resolvePlanLimit({ plan: 'max5' }, []), now);
  // the last entry is at the end of the 12:15 bucket (the fixture caps entries inside their bucket)
  const last = Date.parse('2026-03-05T12:29:59.999Z');
  assert.equal(b.actualEndMs, last);
  assert.ok(Math.abs(f.tokensPerMinute! - 40_000 / ((last - t0) / MIN)) < 1e-9);
  assert.ok(f.costUsd! > 0);
});
