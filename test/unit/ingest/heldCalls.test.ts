/** HeldCalls (ingest/heldCalls.ts): the de-dup's in-memory calls by 53-bit message.id hash, trimmed oldest first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeldCalls } from '../../../src/core/ingest/heldCalls';
import { hash53 } from '../../../src/core/hash';

test('held calls: found by their exact 53-bit key (keys sharing their low bits too), trimmed to the newest in order', () => {
  const held = new HeldCalls<{ id: string }>();
  const ids = Array.from({ length: 5000 }, (_, i) => `msg_01${i.toString(36).padStart(22, 'x')}`);
  for (const id of ids) held.add(hash53(id), { id });
  // keys whose low 32 bits are equal (the table's slot) and that differ above them, and the largest hash
  const sameLow = [2 ** 32 + 7, 2 * 2 ** 32 + 7, 7, 2 ** 53 - 2 ** 32 + 7];
  for (const k of sameLow) held.add(k, { id: `k${k}` });
  assert.equal(held.size, 5004);
  for (const id of ids) assert.equal(held.get(hash53(id))?.id, id);
  for (const k of sameLow) assert.equal(held.get(k)?.id, `k${k}`);
  assert.equal(held.get(3 * 2 ** 32 + 7), undefined);
  assert.equal(held.get(hash53('msg_unknown')), undefined);
  // a flush keeps the newest half: the oldest are gone, the rest still found, new ones added after them
  held.keepNewest(2502);
  assert.equal(held.size, 2502);
  for (const id of ids.slice(0, 2502)) assert.equal(held.get(hash53(id)), undefined, id);
  for (const id of ids.slice(2502)) assert.equal(held.get(hash53(id))?.id, id);
  for (const k of sameLow) assert.equal(held.get(k)?.id, `k${k}`);
  held.add(hash53(ids[0]), { id: 'again' });
  held.keepNewest(1);
  assert.deepEqual([held.size, held.get(hash53(ids[0]))?.id, held.get(2 ** 32 + 7)], [1, 'again', undefined]);
  held.keepNewest(0);
  assert.equal(held.size, 0);
  held.add(5, { id: 'five' });
  held.clear();
  assert.deepEqual([held.size, held.get(5)], [0, undefined]);
});
