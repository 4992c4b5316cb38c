import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultParseWorkers } from '../../../src/core/ingest/indexer';

test('the indexer parses in its own thread by default (parse workers only when a caller asks, until the pool bug noted in issue 14 is fixed)', () => {
  assert.equal(defaultParseWorkers(), 0);
});
