/** The CLI in Chinese: `LANG`/`LC_ALL`/`LC_MESSAGES` = zh* or `--lang zh-CN`; English otherwise; JSON and CSV unchanged. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, ensureBuilt, fixtureDirs } from './cliRun';
import { displayWidth } from '../../../src/cli/textTable';
import { cliLocale } from '../../../src/cli/lang';

before(ensureBuilt);

test('LANG=zh_CN.UTF-8: Chinese headers, totals row, n/a and footnotes; the same numbers; ≤ 120 terminal columns', async () => {
  const [zh, en] = await Promise.all([cli(['report', ...fixtureDirs], { LANG: 'zh_CN.UTF-8' }), cli(['report', ...fixtureDirs])]);
  assert.equal(zh.code, 0, zh.stderr);
  const lines = zh.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^日期\s+请求数\s+输入\s+输出\s+缓存写入\s+缓存读取\s+Token 总数\s+费用 \(USD\)$/);
  assert.match(lines[2], /^2026-04-01\s+3\s+2,110\s+2,500\s+3,000\s+240,000\s+247,610\s+\$0\.40$/);
  assert.match(zh.stdout, /^合计\s/m);
  assert.match(zh.stdout, /不适用/);
  assert.match(zh.stdout, /时间按 UTC 显示/);
  assert.match(zh.stdout, /claude-mystery-5 没有价格/);
  assert.ok(lines.every((l) => displayWidth(l) <= 120), 'a line is wider than 120 columns');
  // the figures are the English table's, cell for cell
  const nums = (s: string) => s.split('\n').slice(2, 4).map((l) => l.split(/\s{2,}/).slice(1, 7));
  assert.deepEqual(nums(zh.stdout), nums(en.stdout));
});

test('--lang zh-CN beats an English LANG; --lang en beats a Chinese LC_ALL; JSON is the same in both', async () => {
  const zh = await cli(['report', ...fixtureDirs, '--by', 'block', '--lang', 'zh-CN'], { LANG: 'en_US.UTF-8' });
  assert.equal(zh.code, 0, zh.stderr);
  assert.match(zh.stdout, /^区块开始\s+来源\s+状态/m);
  assert.match(zh.stdout, /区块是根据日志时间估算的 5 小时窗口/);
  const en = await cli(['report', ...fixtureDirs, '--lang=en'], { LC_ALL: 'zh_CN.UTF-8' });
  assert.match(en.stdout, /^Date\s+Requests/m);
  const [j1, j2] = await Promise.all([
    cli(['report', ...fixtureDirs, '--format', 'json'], { LC_ALL: 'zh_CN.UTF-8' }),
    cli(['report', ...fixtureDirs, '--format', 'json']),
  ]);
  assert.deepEqual(JSON.parse(j1.stdout).rows, JSON.parse(j2.stdout).rows);
});

test('help and usage errors in Chinese; a bad --lang is a usage error (exit 2)', async () => {
  const help = await cli(['--help'], { LC_MESSAGES: 'zh_CN.UTF-8' });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^用法：agentmeter report \[选项\]$/m);
  assert.match(help.stdout, /claude\s+Claude Code/); // the sources list is filled in
  const bad = await cli(['report', '--by', 'fortnight'], { LANG: 'zh_CN.UTF-8' });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'agentmeter: --by 只能是 day|week|month|session|project|model|source|branch|activity|hour|weekday|block 之一（收到 "fortnight"）\n');
  const lang = await cli(['report', '--lang', 'fr']);
  assert.equal(lang.code, 2);
  assert.equal(lang.stderr, 'agentmeter: --lang must be en or zh-CN (got "fr")\n');
  const empty = await cli(['report', ...fixtureDirs, '--since', '2030-01-01'], { LANG: 'zh_CN.UTF-8' });
  assert.equal(empty.stdout, '该日期范围内未找到用量。\n');
});

test('cliLocale: precedence LC_ALL > LC_MESSAGES > LANG; C/POSIX say nothing; --lang wins', () => {
  assert.equal(cliLocale([], {}), 'en');
  assert.equal(cliLocale([], { LANG: 'zh_CN.UTF-8' }), 'zh-CN');
  assert.equal(cliLocale([], { LANG: 'zh_TW.UTF-8' }), 'zh-CN');
  assert.equal(cliLocale([], { LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), 'en');
  assert.equal(cliLocale([], { LC_MESSAGES: 'en_US.UTF-8', LC_ALL: 'zh_CN.GB18030' }), 'zh-CN');
  assert.equal(cliLocale([], { LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }), 'zh-CN');
  assert.equal(cliLocale([], { LC_ALL: 'C.UTF-8' }), 'en');
  assert.equal(cliLocale(['report', '--lang', 'zh'], { LANG: 'en_US.UTF-8' }), 'zh-CN');
  assert.equal(cliLocale(['report', '--lang=EN'], { LANG: 'zh_CN.UTF-8' }), 'en');
  assert.throws(() => cliLocale(['report', '--lang', 'de'], {}), /--lang must be en or zh-CN/);
});
