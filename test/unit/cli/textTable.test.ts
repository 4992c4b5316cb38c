import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cut, displayWidth, printable, renderTable } from '../../../src/cli/textTable';
import { formatInt, formatUsd } from '../../../src/cli/formatNumbers';
import stringWidth from 'string-width';

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

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

test('bidirectional controls in cells are shown as \\u{NNNN}: a log cannot reorder what the terminal shows', () => {
  assert.equal(printable('main\u202e\u2066txt.exe\u2069\u200f'), 'main\\u{202e}\\u{2066}txt.exe\\u{2069}\\u{200f}');
  assert.equal(printable('مشروع'), 'مشروع', 'right-to-left text itself is kept');
});

test('widths are terminal columns: CJK and emoji take two, combining marks none; columns stay aligned', () => {
  assert.equal(displayWidth('日本語'), 6);
  assert.equal(displayWidth('cafe\u0301'), 4);
  assert.equal(displayWidth('🚀'), 2);
  assert.equal(displayWidth('👩‍💻'), 2, 'a ZWJ sequence is one emoji');
  const lines = renderTable(
    [{ header: 'Project', align: 'left', shrink: 'start' }, { header: 'Cost', align: 'right' }],
    [['/home/太郎/プロジェクト', '$1.00'], ['/home/ana/app', '$12.50'], ['/w/🚀-launch', '$0.10'], ['/w/re\u0301sume\u0301', '$3.00']],
    ['Total', '$16.60'],
  );
  const width = displayWidth(lines[0]);
  for (const l of lines) assert.equal(displayWidth(l), width, `every line ends in the same column:\n${lines.join('\n')}`);
  assert.equal(lines[2], '/home/太郎/プロジェクト   $1.00');
});

test('cuts fall between graphemes and fill the width exactly: never half an emoji or a lone surrogate', () => {
  assert.equal(cut('日本語の長いプロジェクト名', 9, 'start'), '…ェクト名');
  assert.equal(cut('日本語の長いプロジェクト名', 10, 'start'), '…ェクト名', 'a wide character does not fit in the last column');
  assert.equal(cut('日本語の長いプロジェクト名', 9, 'end'), '日本語の…');
  for (const s of ['/w/🚀🚀🚀🚀/app', '/w/👩‍💻👩‍💻👩‍💻/app', '/w/🇯🇵🇯🇵🇯🇵/app']) {
    for (let w = 2; w < displayWidth(s); w++) {
      for (const side of ['start', 'end'] as const) {
        const c = cut(s, w, side);
        assert.doesNotMatch(c, LONE_SURROGATE, `${s} cut to ${w} (${side}): ${JSON.stringify(c)}`);
        assert.ok(displayWidth(c) <= w && displayWidth(c) >= w - 1, `${s} cut to ${w} (${side}) is ${displayWidth(c)} wide`);
        assert.ok(c.includes('…'));
        const kept = c.replace('…', '');
        assert.ok(side === 'start' ? s.endsWith(kept) : s.startsWith(kept), `${s} cut to ${w} (${side}) keeps whole graphemes: ${c}`);
      }
    }
  }
  const lines = renderTable(
    [{ header: 'Project', align: 'left', shrink: 'start', minWidth: 10 }, { header: 'Cost', align: 'right' }],
    [['/home/太郎/とても長いプロジェクトのフォルダ/サブフォルダ/アプリ', '$1.00'], ['/home/ana/app', '$2.00']],
    undefined,
    30,
  );
  for (const l of lines) assert.ok(displayWidth(l) <= 30, `${displayWidth(l)} columns: ${l}`);
  assert.equal(displayWidth(lines[2]), displayWidth(lines[0]));
});

test('displayWidth (per grapheme, remembered) equals string-width on mixed text from every script the logs may hold', () => {
  const pieces = ['a', '/', ' ', '日', 'プ', 'ｱ', 'ﾞ', '한', '\u1100\u1161\u11a8', '\u1100', 'é', 'e\u0301', '\u0301', 'ก', 'ำ', 'م', '\u064b',
    '🚀', '👩‍💻', '👍🏽', '🇯🇵', '🏳️‍🌈', '1\u20e3', '#️⃣', '©', '\u00a0', '\u200b', '\u00ad', '…', '—', '𝒳', '\u{20000}', '\ufe0f', '\u200d'];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const n = 1 + Math.floor(next() * 12);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(next() * pieces.length)];
    assert.equal(displayWidth(s), stringWidth(s), JSON.stringify(s));
  }
});
