import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printable, renderTable } from '../../../src/cli/textTable';
import { formatInt, formatUsd } from '../../../src/cli/formatNumbers';

test('numbers right-aligned, text left-aligned, rules around the totals', () => {
  const lines = renderTable(
    [{ header: 'Model', align: 'left' }, { header: 'Tokens', align: 'right' }],
    [['gpt-5', '1,234'], ['claude-opus-4-6', '12']],
    ['Total', '1,246'],
  );
  assert.deepEqual(lines, [
    'Model            Tokens',
    '---------------  ------',
    'gpt-5             1,234',
    'claude-opus-4-6      12',
    '---------------  ------',
    'Total             1,246',
  ]);
});

test('too wide: shrinkable columns are cut with an ellipsis, paths keep their end', () => {
  const path = '/home/ana/projects/very/deep/folder/structure/that/goes/on/and/on/shop';
  const lines = renderTable(
    [{ header: 'Project', align: 'left', shrink: 'start', minWidth: 10 }, { header: 'Cost', align: 'right' }],
    [[path, '$1.00']],
    undefined,
    40,
  );
  assert.ok(lines.every((l) => l.length <= 40), lines.join('\n'));
  assert.ok(lines[2].startsWith('…'));
  assert.ok(lines[2].includes('on/and/on/shop'));
});

test('number formats', () => {
  assert.equal(formatInt(1234567), '1,234,567');
  assert.equal(formatUsd(1234.5), '$1,234.50');
  assert.equal(formatUsd(0.0045), '$0.0045');
  assert.equal(formatUsd(0), '$0.00');
  assert.equal(formatUsd(null), 'n/a');
});

test('priced amounts that would round to $0.0000 read "<$0.0001"; only exactly zero reads $0.00', () => {
  // one Opus 4.6 input token ($5/MTok) and one Haiku 4.5 cache-read token ($0.10/MTok)
  assert.equal(formatUsd(0.000005), '<$0.0001');
  assert.equal(formatUsd(1e-7), '<$0.0001');
  assert.equal(formatUsd(0.00004999), '<$0.0001');
  assert.equal(formatUsd(0.00005), '$0.0001');
  assert.equal(formatUsd(0.00012), '$0.0001');
  assert.equal(formatUsd(0.0099), '$0.0099');
  assert.equal(formatUsd(0.01), '$0.01');
  assert.equal(formatUsd(0), '$0.00');
});

test('control characters in cells (C0, DEL, C1) are shown as \\xNN and widths count what is shown', () => {
  assert.equal(printable('/w/\u001b[31mred\u001b[0m\u0007\u007f\u009b2J\tx\r\n'), '/w/\\x1b[31mred\\x1b[0m\\x07\\x7f\\x9b2J\\x09x\\x0d\\x0a');
  assert.equal(printable('ünïcödé – 日本 \u00a0ok'), 'ünïcödé – 日本 \u00a0ok', 'printable text (also U+00A0 after C1) is kept');
  const lines = renderTable(
    [{ header: 'Branch', align: 'left' }, { header: 'Requests', align: 'right' }],
    [['fix\u001b[2K', '3'], ['main', '12']],
    ['Total', '15'],
  );
  assert.deepEqual(lines, [
    'Branch      Requests',
    '----------  --------',
    'fix\\x1b[2K         3',
    'main              12',
    '----------  --------',
    'Total             15',
  ]);
});
