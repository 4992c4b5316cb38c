import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isJsonl, stemOf } from '../../../src/core/sources/walk';

test('isJsonl and stemOf: the extension matches in any case; the stem keeps the name as written', () => {
  assert.equal(isJsonl('a.jsonl'), true);
  assert.equal(isJsonl('a.JSONL'), true);
  assert.equal(isJsonl('a.JsonL'), true);
  assert.equal(isJsonl('a.json'), false);
  assert.equal(isJsonl('a.jsonl.bak'), false);
  assert.equal(stemOf('/p/x/3f2e-Session.jsonl', '.jsonl'), '3f2e-Session');
  assert.equal(stemOf('/p/x/3f2e-Session.JSONL', '.jsonl'), '3f2e-Session');
  assert.equal(stemOf('/p/x/İstanbul.Jsonl', '.jsonl'), 'İstanbul');
  assert.equal(stemOf('/p/x/notes.txt', '.jsonl'), 'notes.txt');
  assert.equal(stemOf('/p/x/rollout.JSON', '.json'), 'rollout');
});
