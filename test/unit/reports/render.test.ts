import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from '../../../src/app/reports/render/html';
import { mdText, renderMarkdown } from '../../../src/app/reports/render/markdown';
import { sampleDoc } from './docFixture';

const golden = join(__dirname, 'golden');

/** Compares with the golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff). */
function matchesGolden(name: string, text: string): void {
  const file = join(golden, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    mkdirSync(golden, { recursive: true });
    writeFileSync(file, text);
  }
  assert.equal(text, readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept)`);
}

test('Markdown summary (golden, Europe/Berlin, fixed clock)', () => {
  matchesGolden('summary.md', renderMarkdown(sampleDoc('summary')));
});

test('Markdown sessions (golden)', () => {
  matchesGolden('sessions.md', renderMarkdown(sampleDoc('sessions')));
});

test('HTML summary (golden)', () => {
  matchesGolden('summary.html', renderHtml(sampleDoc('summary')));
});

test('Markdown: text from the logs cannot break a table or add markup', () => {
  assert.equal(mdText('a|b'), 'a\\|b');
  assert.equal(mdText('<img src=x>'), '\\<img src=x\\>');
  assert.equal(mdText('**x**\nnext'), '\\*\\*x\\*\\* next');
  const md = renderMarkdown(sampleDoc('project'));
  assert.ok(md.includes('/home/ana/\\<b\\>x\\|y\\</b\\>'));
  // every table line has as many cells as the header
  for (const block of md.split('\n\n').filter((b) => b.startsWith('|'))) {
    const lines = block.split('\n');
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const l of lines) assert.equal(cells(l), cells(lines[0]), l);
  }
});

test('HTML: self-contained, no script, no network, logs escaped, printable', () => {
  const html = renderHtml(sampleDoc('project'));
  assert.ok(!/<script/i.test(html));
  assert.ok(!/(src|href)\s*=\s*["']?https?:/i.test(html));
  assert.ok(!/@import|url\(/i.test(html));
  assert.ok(html.includes("default-src 'none'"));
  assert.ok(html.includes('/home/ana/&lt;b&gt;x|y&lt;/b&gt;'));
  assert.ok(!html.includes('<b>x'));
  assert.ok(html.includes('@media print'));
  assert.equal((html.match(/<svg /g) ?? []).length, 1);
});
