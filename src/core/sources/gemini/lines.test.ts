import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonLines } from './lines';

test('jsonLines: each line parsed (as it is, or trimmed of any blank and BOM when that fails); blanks skipped, non-JSON undefined', () => {
  const lines = [
    '{"id":"a","n":1}', // plain
    '{"id":"b"}\r', // CRLF: JSON's own blank
    '\uFEFF{"id":"c"}', // a BOM before the first record
    '\u00a0{"id":"d"}\u2028', // blanks JSON.parse rejects but a trim removes
    '', // blank
    '   \t', // blank
    '{"id":"e"', // cut off
    '  [1, 2]  ', // not an object: the caller decides
  ];
  const buf = Buffer.from(`xx${lines.join('\n')}\n`, 'utf8');
  assert.deepEqual([...jsonLines(buf, 2)], [{ id: 'a', n: 1 }, { id: 'b' }, { id: 'c' }, { id: 'd' }, undefined, [1, 2]]);
});
