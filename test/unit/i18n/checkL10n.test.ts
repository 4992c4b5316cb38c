/** scripts/check-l10n.mjs: passes on the repository, and fails on each kind of string that is not localized. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// @ts-expect-error a plain .mjs script without type declarations
import { checkL10n, looksEnglish, stripComments } from '../../../scripts/check-l10n.mjs';

const repo = join(__dirname, '..', '..', '..');

/** A small project that passes the check; `over` replaces files (path → text). */
function project(over: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'l10n-check-'));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'x', contributes: {
        commands: [{ command: 'x.go', title: '%command.go%', category: '%category%' }],
        configuration: { title: '%category%', properties: { 'x.mode': { type: 'string', enum: ['a', 'b'], enumDescriptions: ['%mode.a%', '%mode.b%'], description: '%mode%' } } },
      },
    }),
    'package.nls.json': JSON.stringify({ 'command.go': 'Go', category: 'X', 'mode.a': 'A', 'mode.b': 'B', mode: 'Mode' }),
    'package.nls.zh-cn.json': JSON.stringify({ 'command.go': '前往', category: 'X', 'mode.a': '甲', 'mode.b': '乙', mode: '模式' }),
    'l10n/bundle.l10n.zh-cn.json': JSON.stringify({ 'Exported {0} rows': '已导出 {0} 行' }),
    'src/host/a.ts': "import * as vscode from 'vscode';\nvoid vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows', 3));\nconst cls = 'muted small';\n",
    'src/webview/b.ts': "import { t } from './i18n';\n// Comments may say Anything At All\nexport const title = t('dashboard.title');\nexport const cls = 'panel wide';\n",
    'src/shared/i18n/messages.en.ts': "export const en = { 'dashboard.title': 'Usage {n, plural, one {# day} other {# days}}', 'status.x': 'Updated {time}' } as const;\n",
    'src/shared/i18n/zh-cn.ts': "export const zhCn = { 'dashboard.title': '用量 {n} 天', 'status.x': '更新于 {time}' };\n",
    ...over,
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

test('the repository passes', async () => {
  assert.deepEqual(await checkL10n(repo), []);
});

test('a clean project passes', async () => {
  assert.deepEqual(await checkL10n(project()), []);
});

test('host: a message missing from the bundle, a computed message, placeholders that differ, raw notification text', async () => {
  const problems: string[] = await checkL10n(project({
    'src/host/a.ts': [
      "import * as vscode from 'vscode';",
      "void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows', 3));",
      "void vscode.window.showWarningMessage(vscode.l10n.t('Budget reached'));",
      'const m = "x"; void vscode.l10n.t(m);',
      "void vscode.window.showErrorMessage('Export failed badly');",
      "const item = { tooltip: '' }; item.tooltip = 'Waiting for the index';",
      `void vscode.window.showInformationMessage(\`Exported \${3} rows\`); // l10n-ignore`,
    ].join('\n'),
    'l10n/bundle.l10n.zh-cn.json': JSON.stringify({ 'Exported {0} rows': '已导出行', Stale: '旧' }),
  }));
  const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `no problem matching ${re}:\n${problems.join('\n')}`);
  has(/a\.ts:3: "Budget reached" has no translation in l10n\/bundle\.l10n\.zh-cn\.json/);
  has(/a\.ts:4: l10n\.t with a computed message/);
  has(/"Exported \{0\} rows": placeholders \{0\} but the translation has \{\}/);
  has(/a\.ts:5: raw text "Export failed badly"/);
  has(/a\.ts:6: raw text "Waiting for the index"/);
  has(/"Stale" is not used by any l10n\.t call/);
  assert.ok(!problems.some((p) => /a\.ts:7:/.test(p)), 'l10n-ignore keeps a line out');
});

test('package.json: a %key% missing from an nls file, an unused nls key, a raw title or enum description', async () => {
  const problems: string[] = await checkL10n(project({
    'package.json': JSON.stringify({
      name: 'x', contributes: {
        commands: [{ command: 'x.go', title: '%command.go%', category: '%category%' }, { command: 'x.raw', title: 'Raw Title' }],
        configuration: { title: '%category%', properties: { 'x.mode': { type: 'string', enum: ['a', 'b'], enumDescriptions: ['%mode.a%', 'Plain B'], description: '%mode%' } } },
      },
    }),
    'package.nls.zh-cn.json': JSON.stringify({ 'command.go': '前往', category: 'X', 'mode.a': '甲', mode: '模式', old: '旧' }),
  }));
  const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `no problem matching ${re}:\n${problems.join('\n')}`);
  has(/package\.nls\.json: "mode\.b" is not used in package\.json/);
  has(/package\.nls\.zh-cn\.json: "old" is not used/);
  has(/contributes\.commands\[1\]\.title: "Raw Title": not localized/);
  has(/enumDescriptions\[1\]: "Plain B": not localized/);
});

test('string tables: a key missing in zh-CN, an extra one, placeholders that differ', async () => {
  const problems: string[] = await checkL10n(project({
    'src/shared/i18n/zh-cn.ts': "export const zhCn = { 'dashboard.title': '用量', 'extra.key': '多余' };\n",
  }));
  assert.deepEqual(problems.sort(), [
    'src/shared/i18n/zh-cn.ts: "dashboard.title": placeholders {}, English has {n}',
    'src/shared/i18n/zh-cn.ts: "extra.key" is not in the English table',
    'src/shared/i18n/zh-cn.ts: no "status.x"',
  ]);
});

test('webview: English literals outside the string table are reported; classes, keys and comments are not', async () => {
  const problems: string[] = await checkL10n(project({
    'src/webview/b.ts': [
      "import { t } from './i18n';",
      "export const a = t('dashboard.title');",
      "export const b = 'Cost by project';",
      `export const c = \`no data yet for \${a}\`;`,
      "export const d = 'card-title muted';",
      "export const e = 'Tooltip'; // l10n-ignore",
      '/* Block Comment Text */',
    ].join('\n'),
  }));
  assert.deepEqual(problems, [
    'src/webview/b.ts:3: English literal "Cost by project" outside the string table (src/shared/i18n/dashboard.en.ts)',
    'src/webview/b.ts:4: English literal "no data yet for  " outside the string table (src/shared/i18n/dashboard.en.ts)',
  ]);
});

test('the heuristics: what reads as English prose', () => {
  for (const s of ['Today', 'Sort by', 'no data in range', 'Cache hits']) assert.equal(looksEnglish(s), true, s);
  for (const s of ['muted small', 'dashboard.card.today', 'USD', 'n/a', 'right', '#888888', 'card-title', 'AgentMeter', '今天']) assert.equal(looksEnglish(s), false, s);
  assert.equal(stripComments("a('http://x') // Gone\nb"), "a('http://x') \nb");
});
