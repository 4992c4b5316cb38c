import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultParseWorkers } from '../../../src/core/ingest/indexer';

test('the indexer parses in its own thread alone below 4 cores and uses two parse workers from 4 cores up', () => {
  assert.deepEqual([1, 2, 3, 4, 16].map((c) => defaultParseWorkers(c)), [0, 0, 0, 2, 2]);
});
