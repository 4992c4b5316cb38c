/**
 * `agentmeter report --format xlsx|pdf|md --out`: the workbook read back with exceljs and the PDF's text extracted
 * with pdftotext (Debian's poppler-utils, scripts/setup-test-host.sh) agree with `--format json` on the same logs.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { cli, ensureBuilt, fixtureDirs, json } from '../cli/cliRun';

before(ensureBuilt);

const out = mkdtempSync(join(tmpdir(), 'agentmeter-reports-'));
const range = ['--timezone', 'UTC', '--since', '2026-04-01', '--until', '2026-04-30'];

function sheetRows(ws: ExcelJS.Worksheet): { header: string[]; rows: ExcelJS.CellValue[][] } {
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: ExcelJS.CellValue[][] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push((row.values as ExcelJS.CellValue[]).slice(1));
  });
  return { header, rows };
}

test('xlsx: one sheet per table, typed cells, frozen header; the sums equal report --format json', async () => {
  const file = join(out, 'summary.xlsx');
  const r = await cli(['report', ...fixtureDirs, ...range, '--format', 'xlsx', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const expected = await json(['report', ...fixtureDirs, ...range]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  assert.deepEqual(wb.worksheets.map((w) => w.name), ['Report', 'By day', 'By agent', 'By model']);
  for (const name of ['By day', 'By agent', 'By model']) {
    const ws = wb.getWorksheet(name)!;
    assert.equal(ws.views[0].state, 'frozen');
    assert.equal((ws.views[0] as { ySplit?: number }).ySplit, 1);
    const { header, rows } = sheetRows(ws);
    const body = rows.filter((x) => x[0] !== 'Total');
    const col = (h: string) => header.indexOf(h);
    const sum = (h: string) => body.reduce((s, x) => s + (x[col(h)] as number), 0);
    assert.equal(sum('Total tokens'), expected.totals.totalTokens, name);
    assert.equal(sum('Requests'), expected.totals.requests, name);
    assert.equal(sum('Cache read'), expected.totals.cacheReadTokens, name);
    assert.ok(Math.abs(sum('Priced part (USD)') - expected.totals.pricedCostUSD) < 1e-9, name);
    assert.equal(sum('Unpriced tokens'), expected.totals.unpricedTokens, name);
    for (const x of body) assert.equal(typeof x[col('Input')], 'number');
    assert.ok(ws.getColumn(1).width! >= 6);
    const total = rows.find((x) => x[0] === 'Total')!;
    assert.equal(total[col('Total tokens')], expected.totals.totalTokens);
  }
  // days are dates, not text; json's days are the same days
  const day = sheetRows(wb.getWorksheet('By day')!).rows.filter((x) => x[0] !== 'Total');
  assert.ok(day.every((x) => x[0] instanceof Date));
  assert.deepEqual(day.map((x) => (x[0] as Date).toISOString().slice(0, 10)), expected.rows.map((x: { key: string }) => x.key));
  assert.equal(wb.getWorksheet('By day')!.getCell('H3').value, null); // the unpriced day's cost is empty, not 0
  const info = sheetRows(wb.getWorksheet('Report')!).rows.map((x) => x.join(' '));
  assert.ok(info.some((l) => l.includes(`price table of ${expected.prices.date}`)));
  assert.ok(info.some((l) => l.includes('Unpriced models') && l.includes('claude-mystery-5')));
  // no temp file left beside it
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.tmp')), []);
});

test('pdf: the extracted text shows the totals, the period and the price table date on every page', async () => {
  const file = join(out, 'models.pdf');
  const r = await cli(['report', ...fixtureDirs, ...range, '--format', 'pdf', '--template', 'model', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  const expected = await json(['report', ...fixtureDirs, ...range]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /AgentMeter report — By model/);
  assert.ok(text.includes(expected.totals.totalTokens.toLocaleString('en-US')), 'total tokens');
  assert.ok(text.includes(`$${expected.totals.pricedCostUSD.toFixed(2)}`), 'priced cost');
  assert.ok(text.includes('claude-mystery-5'));
  const pages = text.split('\f').filter((p) => p.trim());
  assert.ok(pages.length >= 1);
  for (const p of pages) assert.ok(p.includes(`2026-04-01 – 2026-04-30 · UTC · price table ${expected.prices.date}`), 'footer on every page');
  assert.match(pages.at(-1)!, new RegExp(`Page ${pages.length} of ${pages.length}`));
});

test('pdf: Chinese text without a font that has it prints as "?" and the report says so', async () => {
  const { sampleDoc } = await import('./docFixture');
  const { renderPdf, needsUnicodeFont } = await import('../../../src/app/reports/render/pdf');
  const doc = sampleDoc('project');
  doc.tables[0].rows[0][0] = '/home/ana/项目';
  assert.equal(needsUnicodeFont(doc), true);
  const file = join(out, 'cjk.pdf');
  writeFileSync(file, renderPdf(doc, {}));
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (text.includes('项目')) return; // a system CJK font was found and embedded
  assert.ok(text.includes('/home/ana/??'));
  assert.match(text.replace(/\s+/g, ' '), /cannot be shown with the PDF standard fonts/);
  assert.throws(() => renderPdf(doc, { fontFile: join(out, 'missing.ttf') }), /not a readable \.ttf file/);
});

test('md to stdout without --out; a folder that cannot be written: one line, exit 1, the old report kept', async () => {
  const md = await cli(['report', ...fixtureDirs, ...range, '--format', 'md', '--template', 'agent']);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /^# AgentMeter report — By agent\n/);
  assert.match(md.stdout, /\| Codex \| 2 \|/);

  const blocker = join(out, 'not-a-folder');
  writeFileSync(blocker, 'x');
  const bad = await cli(['report', ...fixtureDirs, ...range, '--format', 'html', '--out', join(blocker, 'r.html')]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /cannot write .*r\.html: .*not-a-folder is not a folder/);

  const kept = join(out, 'kept.html');
  assert.equal((await cli(['report', ...fixtureDirs, ...range, '--format', 'html', '--out', kept])).code, 0);
  const before = readFileSync(kept, 'utf8');
  assert.match(before, /<!DOCTYPE html>/);
  const inode = statSync(kept).ino;
  assert.equal((await cli(['report', ...fixtureDirs, ...range, '--format', 'html', '--template', 'sessions', '--out', kept])).code, 0);
  assert.notEqual(statSync(kept).ino, inode, 'replaced by a rename, not rewritten in place');
  assert.match(readFileSync(kept, 'utf8'), /Sessions/);
});

test('bad document arguments exit 2 with one line', async () => {
  for (const [args, re] of [
    [['--format', 'xlsx'], /--format xlsx needs --out FILE/],
    [['--format', 'json', '--out', 'x.json'], /--out is for --format md\|html\|xlsx\|pdf/],
    [['--format', 'md', '--template', 'weekly'], /--template must be one of summary\|project/],
    [['--format', 'md', '--period', 'fortnight'], /--period must be one of/],
    [['--format', 'md', '--period', 'today', '--since', '2026-01-01'], /--period cannot be used with --since/],
  ] as [string[], RegExp][]) {
    const r = await cli(['report', ...fixtureDirs, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
