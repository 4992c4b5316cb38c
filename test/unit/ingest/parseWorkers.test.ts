import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { defaultParseWorkers } from '../../../src/core/ingest/parseWorkers';

test('one parse worker besides the indexing thread from 2 cores up, none on a single core', () => {
  assert.equal(defaultParseWorkers(1), 0);
  assert.equal(defaultParseWorkers(2), 1);
  assert.equal(defaultParseWorkers(3), 1);
  // never a second worker: the indexing thread applies every result, and each worker adds its memory to the peak
  assert.equal(defaultParseWorkers(4), 1);
  assert.equal(defaultParseWorkers(64), 1);
  // without an argument, the machine's own cores
  assert.equal(defaultParseWorkers(), availableParallelism() >= 2 ? 1 : 0);
});
