import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable } from '../../../src/cli/textTable';
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
