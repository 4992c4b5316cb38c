/** HeldCopies (ingest/heldCopies.ts): the de-dup's in-memory calls and their kept copies, as typed columns. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeldCopies } from '../../../src/core/ingest/heldCopies';
import type { KeptCopy } from '../../../src/core/ingest/spilledCalls';
import { hash53 } from '../../../src/core/hash';

const copy = (i: number, o: Partial<KeptCopy> = {}): KeptCopy => ({
  rid: hash53(`req_${i}`), side: i % 5 === 0, ts: Date.UTC(2026, 3, 1) + 1013 * i, dim: i % 37, input: 3 + i, output: 900 + i, cw5m: 1000 * i,
  cw1h: i % 4 ? 0 : 77, cacheRead: 2 ** 33 + i, webSearch: i % 6 === 0 ? 2 : 0, act: i % 3, ...o,
});

/** Every copy of call `c` in order, read back as objects. */
function copiesOf(held: HeldCopies, c: number): KeptCopy[] {
  const out: KeptCopy[] = [];
  for (let r = held.first(c); r >= 0; r = held.after(r)) out.push(held.read(r, { ...copy(0) }));
  return out;
}

test('held calls: found by their exact 53-bit key (keys sharing their low bits too), trimmed to the newest in order', () => {
  const held = new HeldCopies();
  const ids = Array.from({ length: 5000 }, (_, i) => `msg_01${i.toString(36).padStart(22, '0')}`);
  for (const [i, id] of ids.entries()) held.addCopy(held.addCall(hash53(id)), copy(i));
  // keys whose low 32 bits are equal (the table's slot) and that differ above them, and the largest hash
  const sameLow = [2 ** 32 + 7, 2 * 2 ** 32 + 7, 7, 2 ** 53 - 2 ** 32 + 7];
  for (const k of sameLow) held.addCopy(held.addCall(k), copy(k % 1000, { rid: k }));
  assert.equal(held.size, 5004);
  for (const [i, id] of ids.entries()) assert.deepStrictEqual(copiesOf(held, held.find(hash53(id))), [copy(i)], id);
  for (const k of sameLow) assert.equal(held.rid(held.first(held.find(k))), k);
  assert.equal(held.find(3 * 2 ** 32 + 7), -1);
  assert.equal(held.find(hash53('msg_unknown')), -1);
  // a flush keeps the newest half: the oldest are gone, the rest still found (renumbered, copies intact), new ones added after them
  held.keepNewest(2502);
  assert.equal(held.size, 2502);
  for (const id of ids.slice(0, 2502)) assert.equal(held.find(hash53(id)), -1, id);
  for (const [i, id] of ids.entries()) if (i >= 2502) assert.deepStrictEqual(copiesOf(held, held.find(hash53(id))), [copy(i)], id);
  for (const k of sameLow) assert.equal(held.midOf(held.find(k)), k);
  held.addCopy(held.addCall(hash53(ids[0])), copy(1, { output: 5 }));
  held.keepNewest(1);
  assert.deepEqual([held.size, held.find(hash53(ids[0])), held.find(2 ** 32 + 7)], [1, 0, -1]);
  assert.deepStrictEqual(copiesOf(held, 0), [copy(1, { output: 5 })]);
  held.keepNewest(0);
  assert.equal(held.size, 0);
  held.addCopy(held.addCall(5), copy(5));
  held.clear();
  assert.deepEqual([held.size, held.find(5)], [0, -1]);
});

test('several copies of one call stay in the order they were kept, a replaced copy keeps its place, numbers stay exact', () => {
  const held = new HeldCopies();
  // calls interleaved so that their copies' rows interleave too
  const a = held.addCall(hash53('msg_a'));
  const b = held.addCall(hash53('msg_b'));
  held.addCopy(a, copy(1));
  held.addCopy(b, copy(2));
  held.addCopy(a, copy(3, { rid: 0 }));
  held.addCopy(b, copy(4, { side: true }));
  held.addCopy(a, copy(5));
  // numbers no compact column could hold are kept as they are
  const odd = copy(6, { input: 0.5, output: 2 ** 40, ts: -1, dim: 2 ** 33, act: 70_000, webSearch: 3 });
  held.addCopy(b, odd);
  assert.deepStrictEqual(copiesOf(held, a), [copy(1), copy(3, { rid: 0 }), copy(5)]);
  assert.deepStrictEqual(copiesOf(held, b), [copy(2), copy(4, { side: true }), odd]);
  // a better copy replaces the second copy of a in place; an activity raised on b's first
  const second = held.after(held.first(a));
  held.write(second, copy(7, { rid: 0 }));
  held.setAct(held.first(b), 9);
  assert.deepStrictEqual(copiesOf(held, a), [copy(1), copy(7, { rid: 0 }), copy(5)]);
  assert.deepStrictEqual(copiesOf(held, b), [copy(2, { act: 9 }), copy(4, { side: true }), odd]);
  assert.equal(held.side(held.after(held.first(b))), true);
  // trimmed to the newest call: b's copies are packed and still in order
  held.keepNewest(1);
  assert.deepStrictEqual([held.size, held.find(hash53('msg_a')), held.find(hash53('msg_b'))], [1, -1, 0]);
  assert.deepStrictEqual(copiesOf(held, 0), [copy(2, { act: 9 }), copy(4, { side: true }), odd]);
});

test('changed calls are visited once each, in the order they changed; marks survive a trim with their call, and growth', () => {
  const held = new HeldCopies();
  const mids = Array.from({ length: 3000 }, (_, i) => hash53(`msg_${i}`));
  for (const [i, m] of mids.entries()) held.addCopy(held.addCall(m), copy(i));
  for (const c of [2999, 5, 1200, 5, 2999, 7]) held.markDirty(c);
  const seen: number[] = [];
  held.takeDirty((c) => seen.push(held.midOf(c)));
  assert.deepEqual(seen, [2999, 5, 1200, 7].map((i) => mids[i]));
  held.takeDirty(() => assert.fail('the marks were cleared'));
  // marked, then trimmed: the marks of the calls kept remain (renumbered), those of the calls dropped go
  held.markDirty(10);
  held.markDirty(2990);
  held.keepNewest(100);
  held.markDirty(held.find(mids[2990])); // already marked: still visited once
  seen.length = 0;
  held.takeDirty((c) => seen.push(held.midOf(c)));
  assert.deepEqual(seen, [mids[2990]]);
  // a call marked again after its visit is visited again
  held.markDirty(held.find(mids[2990]));
  seen.length = 0;
  held.takeDirty((c) => seen.push(held.midOf(c)));
  assert.deepEqual(seen, [mids[2990]]);
});
