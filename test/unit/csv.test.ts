import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv, csvCell, plainNumber, type CsvColumn } from '../../src/core/csv';

interface Row { project: string; branch: string; tokens: number; cost: number | null; at: Date }
const columns: CsvColumn<Row>[] = [
  { header: 'project', value: (r) => r.project },
  { header: 'branch', value: (r) => r.branch },
  { header: 'tokens', value: (r) => r.tokens },
  { header: 'costUSD', value: (r) => r.cost },
  { header: 'first seen', value: (r) => r.at },
];

test('RFC 4180: header, CRLF, quoting only when needed, quotes doubled', () => {
  const csv = toCsv(columns, [
    { project: '/home/ana/shop', branch: 'main', tokens: 1234567, cost: 0.5, at: new Date(Date.UTC(2026, 2, 1, 10)) },
    { project: 'a,b "quoted"', branch: 'line\nbreak', tokens: 0, cost: null, at: new Date(Date.UTC(2026, 2, 2)) },
  ]);
  assert.equal(
    csv,
    'project,branch,tokens,costUSD,first seen\r\n' +
      '/home/ana/shop,main,1234567,0.5,2026-03-01T10:00:00.000Z\r\n' +
      '"a,b ""quoted""","line\nbreak",0,,2026-03-02T00:00:00.000Z\r\n',
  );
});

test('formula injection is neutralised in text cells; numbers stay numbers', () => {
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvCell('+1'), "'+1");
  assert.equal(csvCell('-home-ana-shop'), "'-home-ana-shop");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\tcmd'), "'\tcmd");
  assert.equal(csvCell('\rcmd'), `"'\rcmd"`);
  assert.equal(csvCell('safe-name'), 'safe-name');
  assert.equal(csvCell(-42), '-42');
  assert.equal(csvCell(-0.25), '-0.25');
  const csv = toCsv([{ header: '=evil', value: (r: { n: number }) => r.n }], [{ n: -3 }]);
  assert.equal(csv, "'=evil\r\n-3\r\n");
});

test('plain numbers: no exponent, no separators; empty for null, NaN and infinity', () => {
  assert.equal(plainNumber(1e21), '1000000000000000000000');
  assert.equal(plainNumber(1.5e22), '15000000000000000000000');
  assert.equal(plainNumber(1.23e-7), '0.000000123');
  assert.equal(plainNumber(-4.5e-8), '-0.000000045');
  assert.equal(plainNumber(1234567.891), '1234567.891');
  assert.equal(plainNumber(0), '0');
  assert.equal(csvCell(NaN), '');
  assert.equal(csvCell(Infinity), '');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell(true), 'true');
  assert.equal(csvCell(12n), '12');
  assert.equal(csvCell(new Date(NaN)), '');
});

test('an empty table is just the header', () => {
  assert.equal(toCsv(columns, []), 'project,branch,tokens,costUSD,first seen\r\n');
});
