import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseCopies } from '../../../src/core/ingest/collapseCopies';
import type { ClaudeCallRecord } from '../../../src/core/ingest/records';

const rec = (mid: number, rid: number, output: number, sidechain = false): ClaudeCallRecord => ({ mid, rid, sidechain, ts: 0, model: 'm', branch: '', tier: 'standard', input: 1, output, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 0 });

test('copies of one call in a file collapse to the best copy at the first position', () => {
  const calls = [rec(1, 1, 5), rec(2, 2, 3), rec(1, 1, 400), rec(1, 1, 9), rec(3, 3, 7, true), rec(3, 3, 2, false), rec(1, 9, 1)];
  assert.equal(collapseCopies(calls), 3);
  // mid 1/rid 1 → the 400 copy; mid 3 → the non-sidechain copy even though smaller; mid 1/rid 9 stays separate
  assert.deepEqual(calls.map((c) => [c.mid, c.rid, c.output, c.sidechain]), [[1, 1, 400, false], [2, 2, 3, false], [3, 3, 2, false], [1, 9, 1, false]]);
});

test('the kept copy takes the earliest timestamp of its copies', () => {
  const a = { ...rec(1, 1, 5), ts: 1000 };
  const b = { ...rec(1, 1, 500), ts: 2000 };
  const calls = [a, b];
  collapseCopies(calls);
  assert.deepEqual([calls[0].output, calls[0].ts], [500, 1000]);
});

test("a call's copies, one per content block as Claude Code writes them: the best copy kept with the earliest time and the activity all its copies show", () => {
  // streaming copy (placeholder output, earliest), the final copy naming a tool, a later copy of a text block
  const streaming = { ...rec(7, 7, 1), ts: 1000, activity: 'conversation' };
  const final = { ...rec(7, 7, 900), ts: 1500, activity: 'coding' };
  const text = { ...rec(7, 7, 900), ts: 2000, activity: 'conversation' };
  const other = { ...rec(8, 8, 4), ts: 1200, activity: 'exploring' };
  const calls = [streaming, other, final, text];
  assert.equal(collapseCopies(calls), 2);
  assert.deepEqual(
    calls.map((c) => [c.mid, c.output, c.ts, c.activity]),
    [[7, 900, 1000, 'coding'], [8, 4, 1200, 'exploring']],
  );
});
