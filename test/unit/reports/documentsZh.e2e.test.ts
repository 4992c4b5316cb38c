/**
 * `agentmeter report --format xlsx|pdf|md` in Chinese (`--lang zh-CN`, or LANG=zh_CN.UTF-8): sheet names, headers,
 * headings and the PDF's text are Chinese, and the workbook's sums are still those of `--format json` on the same logs.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createTranslator } from '../../../src/app/i18n/translator';
import { resolvePeriod } from '../../../src/app/reports/period';
import { renderPdf, SYSTEM_CJK_FONTS } from '../../../src/app/reports/render/pdf';
import { cli, ensureBuilt, fixtureDirs, json } from '../cli/cliRun';
import { NOW, sampleDoc, TZ } from './docFixture';

before(ensureBuilt);

const out = mkdtempSync(join(tmpdir(), 'agentmeter-reports-zh-'));
const range = ['--timezone', 'UTC', '--since', '2026-04-01', '--until', '2026-04-30'];
const CJK_FONT = SYSTEM_CJK_FONTS.find((f) => existsSync(f));

function sheetRows(ws: ExcelJS.Worksheet): { header: string[]; rows: ExcelJS.CellValue[][] } {
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: ExcelJS.CellValue[][] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push((row.values as ExcelJS.CellValue[]).slice(1));
  });
  return { header, rows };
}

test('xlsx --lang zh-CN: Chinese sheet names and headers; the sums equal report --format json', async () => {
  const file = join(out, 'summary.xlsx');
  const r = await cli(['report', ...fixtureDirs, ...range, '--format', 'xlsx', '--out', file, '--lang', 'zh-CN']);
  assert.equal(r.code, 0, r.stderr);
  const expected = await json(['report', ...fixtureDirs, ...range]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  assert.deepEqual(wb.worksheets.map((w) => w.name), ['报告', '按日', '按智能体', '按模型']);
  for (const name of ['按日', '按智能体', '按模型']) {
    const { header, rows } = sheetRows(wb.getWorksheet(name)!);
    assert.deepEqual(header.slice(-9), ['请求数', '输入', '输出', '缓存写入', '缓存读取', 'Token 总数', '费用（USD）', '已定价部分（USD）', '未定价 Token'], name);
    const body = rows.filter((x) => x[0] !== '合计');
    assert.equal(body.length, rows.length - 1, `${name}: one totals row, labelled 合计`);
    const col = (h: string) => header.indexOf(h);
    const sum = (h: string) => body.reduce((s, x) => s + (x[col(h)] as number), 0);
    assert.equal(sum('Token 总数'), expected.totals.totalTokens, name);
    assert.equal(sum('请求数'), expected.totals.requests, name);
    assert.equal(sum('缓存读取'), expected.totals.cacheReadTokens, name);
    assert.equal(sum('输入'), expected.totals.inputTokens, name);
    assert.ok(Math.abs(sum('已定价部分（USD）') - expected.totals.pricedCostUSD) < 1e-9, name);
    assert.equal(sum('未定价 Token'), expected.totals.unpricedTokens, name);
  }
  assert.equal(sheetRows(wb.getWorksheet('按日')!).header[0], '日期');
  const info = sheetRows(wb.getWorksheet('报告')!).rows.map((x) => x.join(' '));
  assert.ok(info.some((l) => l.startsWith('期间 2026-04-01 – 2026-04-30')), info.join('\n'));
  assert.ok(info.some((l) => l.includes(`价格表日期 ${expected.prices.date}`)));
  assert.ok(info.some((l) => l.includes('未定价的模型') && l.includes('claude-mystery-5')));
});

test('md: LANG=zh_CN.UTF-8 gives a Chinese report, --lang en an English one', async () => {
  const zh = await cli(['report', ...fixtureDirs, ...range, '--format', 'md', '--template', 'agent'], { LANG: 'zh_CN.UTF-8' });
  assert.equal(zh.code, 0, zh.stderr);
  assert.match(zh.stdout, /^# AgentMeter 报告 — 按智能体\n/);
  assert.match(zh.stdout, /\n## Codex 按日\n/);
  assert.match(zh.stdout, /\n## 数据来源\n/);
  const en = await cli(['report', ...fixtureDirs, ...range, '--format', 'md', '--template', 'agent', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' });
  assert.match(en.stdout, /^# AgentMeter report — By agent\n/);
});

test('pdf --lang zh-CN: with a CJK font the extracted text shows the Chinese headings and footer', async (t) => {
  if (!CJK_FONT) return t.skip(`no CJK font among ${SYSTEM_CJK_FONTS.join(', ')}`);
  const file = join(out, 'models.pdf');
  const r = await cli(['report', ...fixtureDirs, ...range, '--format', 'pdf', '--template', 'model', '--out', file, '--lang', 'zh-CN']);
  assert.equal(r.code, 0, r.stderr);
  const expected = await json(['report', ...fixtureDirs, ...range]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /AgentMeter 报告 — 按模型/);
  assert.match(text, /数据来源/);
  assert.match(text, /Token 总数/);
  assert.ok(text.includes(expected.totals.totalTokens.toLocaleString('en-US')), 'total tokens');
  const pages = text.split('\f').filter((p) => p.trim());
  for (const p of pages) assert.ok(p.includes(`2026-04-01 – 2026-04-30 · UTC · 价格表日期：${expected.prices.date}`), 'footer on every page');
  assert.match(pages.at(-1)!, new RegExp(`第 ${pages.length} 页，共 ${pages.length} 页`));
  assert.ok(!text.includes('?'), 'no character replaced');
});

test('pdf zh-CN without any CJK font: as before, "?" for each Chinese character and an English note saying why', () => {
  const zh = createTranslator('zh-CN');
  const doc = sampleDoc('summary', { t: zh, period: resolvePeriod({ preset: 'custom', since: '2026-03-01', until: '2026-03-07' }, NOW, TZ, 1, zh) });
  const file = join(out, 'nofont.pdf');
  writeFileSync(file, renderPdf(doc, { systemFonts: [] }));
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.ok(!/[\u4e00-\u9fff]/.test(text));
  assert.match(text, /AgentMeter \?\? — \?\?/);
  assert.match(text, /cannot be shown with the PDF standard fonts/);
});
