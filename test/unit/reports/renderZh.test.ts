/**
 * zh-CN reports: the same facts, clock and zone as the English goldens (docFixture), built with the zh-CN
 * translator. Every heading, column header, provenance line and period label is Chinese; numbers, amounts and dates
 * are the same text as in English, and the English documents stay byte-identical (render.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTranslator } from '../../../src/app/i18n/translator';
import { resolvePeriod } from '../../../src/app/reports/period';
import { renderHtml } from '../../../src/app/reports/render/html';
import { renderMarkdown } from '../../../src/app/reports/render/markdown';
import type { BuildOptions } from '../../../src/app/reports/model';
import type { TemplateId } from '../../../src/app/reports/templates';
import { NOW, sampleDoc, TZ } from './docFixture';

const golden = join(__dirname, 'golden');
const zh = createTranslator('zh-CN');

function matchesGolden(name: string, text: string): void {
  const file = join(golden, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    mkdirSync(golden, { recursive: true });
    writeFileSync(file, text);
  }
  assert.equal(text, readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept)`);
}

function zhDoc(template: TemplateId = 'summary', extra: Partial<BuildOptions> = {}) {
  return sampleDoc(template, { ...extra, t: zh, period: resolvePeriod({ preset: 'custom', since: '2026-03-01', until: '2026-03-07' }, NOW, TZ, 1, zh) });
}

/** Latin words a zh-CN document may still hold: product, model, zone and setting names, units and codes. */
const ALLOWED_LATIN = new Set(['AgentMeter', 'Claude', 'Code', 'Codex', 'Cline', 'Token', 'USD', 'UTC', 'LiteLLM', 'ccusage', 'Europe', 'Berlin', 'ana', 'home', 'shop']);

function englishWords(text: string): string[] {
  const withoutSettings = text.replace(/agentMeter\.[\w.\\*]+/g, '');
  return [...new Set(withoutSettings.match(/[A-Za-z]{3,}/g) ?? [])].filter((w) => !ALLOWED_LATIN.has(w));
}

test('zh-CN Markdown summary (golden, Europe/Berlin, fixed clock)', () => {
  const md = renderMarkdown(zhDoc('summary'));
  matchesGolden('summary.zh-CN.md', md);
  assert.match(md, /^# AgentMeter 报告 — 汇总\n/);
  assert.match(md, /\*\*期间：\*\* 2026-03-01 – 2026-03-07 · \*\*时区：\*\* Europe\/Berlin/);
  assert.match(md, /## 按日\n/);
  assert.match(md, /\| 日期 \| 请求数 \| 输入 \| 输出 \| 缓存写入 \| 缓存读取 \| Token 总数 \| 费用（USD） \|/);
  assert.match(md, /## 数据来源/);
  assert.match(md, /价格表日期 \d{4}-\d{2}-\d{2}/);
  assert.match(md, /未定价的模型.*claude-mystery-5/);
  assert.match(md, /估算的日期.*2026-03-01/);
  assert.match(md, /每周从星期一开始/);
});

test('zh-CN Markdown sessions (golden)', () => {
  matchesGolden('sessions.zh-CN.md', renderMarkdown(zhDoc('sessions')));
});

test('zh-CN HTML summary (golden): lang attribute, chart titles and footer in Chinese', () => {
  const html = renderHtml(zhDoc('summary'));
  matchesGolden('summary.zh-CN.html', html);
  assert.match(html, /<html lang="zh-CN">/);
  assert.match(html, /<figcaption>每日费用（USD）<\/figcaption>/);
  assert.match(html, /<footer>由 AgentMeter 生成于 2026-03-10 10:30（Europe\/Berlin）。价格表日期：/);
});

test('zh-CN documents: no English word left besides names, units and the logs\' own text', () => {
  const budgets = { dailyUsd: 0.01, weeklyUsd: 5, monthlyUsd: null };
  for (const [template, extra] of [['summary'], ['project'], ['model'], ['agent'], ['sessions'], ['budgets'], ['budgets', { budgets }]] as const) {
    const doc = zhDoc(template, extra);
    // the logs' own text (models, sessions, projects) is kept as written: drop the table bodies
    for (const t of doc.tables) t.rows = t.rows.length ? [t.rows[0].map((c) => (typeof c === 'string' ? '' : c))] : [];
    for (const c of doc.charts) c.labels = c.labels.map(() => '');
    doc.provenance.unpricedModels = [];
    assert.deepEqual(englishWords(renderMarkdown(doc)), [], template);
  }
});

test('numbers, amounts and dates are the same text in both languages', () => {
  const en = renderMarkdown(sampleDoc('summary'));
  const cn = renderMarkdown(zhDoc('summary'));
  const figures = (s: string) => s.match(/\$[\d,.]+|\b\d{1,3}(,\d{3})+\b|\d{4}-\d{2}-\d{2}/g);
  assert.deepEqual(figures(cn), figures(en));
});
