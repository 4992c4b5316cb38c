import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliParseWorkers, defaultParseWorkers } from '../../../src/core/ingest/indexer';

test('the editor parses in its index worker alone below 4 cores and uses two parse workers from 4 cores up', () => {
  assert.deepEqual([1, 2, 3, 4, 16].map((c) => defaultParseWorkers(c)), [0, 0, 0, 2, 2]);
});

test('a CLI run takes one parse worker from 2 cores up (it has the machine to itself), two from 4 cores up', () => {
  assert.deepEqual([1, 2, 3, 4, 16].map((c) => cliParseWorkers(c)), [0, 1, 1, 2, 2]);
});
