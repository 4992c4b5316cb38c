import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hash53, hash53Ascii } from '../../../src/core/hash';

// Values of cyrb53 as stored in existing databases (dedup keys): they must never change.
const KNOWN: [string, number, number][] = [
  ['', 0, 3338908027751811],
  ['abc', 0, 5059922895146125],
  ['abc', 7, 4176743716076507],
  ['x'.repeat(100_000), 0, 1302128022202602],
];

test('hash53 keeps its values, a long first string (compiled mid-loop) before short ones included', () => {
  // the long string first, as the CLI does at start, then many short keys like the Codex parser's
  assert.equal(hash53('x'.repeat(100_000)), 1302128022202602);
  const keys: string[] = [];
  for (let i = 0; i < 5000; i++) keys.push(`2026-11-0${1 + (i % 9)}T12:34:56.789Z|${i * 1234},${i * 99},${i * 7},${i},${i * 1400}`);
  const seen = new Set(keys.map((k) => hash53(k)));
  assert.equal(seen.size, keys.length);
  for (const [s, seed, h] of KNOWN) assert.equal(hash53(s, seed), h, `${s.slice(0, 8)} ${seed}`);
  // the string and the byte forms agree
  for (const k of keys.slice(0, 200)) assert.equal(hash53Ascii(Buffer.from(k), 0, k.length), hash53(k));
  assert.equal(hash53Ascii(Buffer.from('bc'), 0, 2, 'a'), hash53('abc'));
});
