import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstFactAtOrAfter } from '../../../src/core/report/factsFrom';
import type { Fact } from '../../../src/core/types';

const at = (ms: number) => ({ bucketStartMs: ms }) as Fact;

test('the first fact at or after a time, in facts ordered by bucket: before, on, between, after, equal buckets', () => {
  const facts = [0, 900_000, 900_000, 1_800_000, 3_600_000].map(at);
  assert.equal(firstFactAtOrAfter(facts, -1), 0);
  assert.equal(firstFactAtOrAfter(facts, 0), 0);
  assert.equal(firstFactAtOrAfter(facts, 1), 1);
  assert.equal(firstFactAtOrAfter(facts, 900_000), 1, 'the first of two facts in the same bucket');
  assert.equal(firstFactAtOrAfter(facts, 2_000_000), 4);
  assert.equal(firstFactAtOrAfter(facts, 3_600_001), 5, 'past the end');
  assert.equal(firstFactAtOrAfter([], 5), 0);
});
