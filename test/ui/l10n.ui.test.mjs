// AgentMeter in Chinese in a real VS Code (code-server 4.100.3 in Chromium, the packaged VSIX): the display language
// set to zh-CN, the status bar text and tooltip, a budget notification and the dashboard read in Chinese, costs in
// ¥ with the currency setting, the numbers the CLI reports. Screenshots: docs/screenshots/*-zh-CN.png with
// UPDATE_SCREENSHOTS=1 (else out/screenshots/).
//
// How the language is set without a marketplace language pack: VS Code hands an extension host the language its
// window resolved (`vscode.env.language`), and the window resolves a locale only to a language that has a pack in
// the user data's `languagepacks.json` — with none it falls back to English whatever `--locale` says. So the fixture
// writes a pack entry for zh-cn whose translations file is empty (VS Code's own UI stays English; AgentMeter's
// strings are what this test is about) and sets `"locale": "zh-cn"` in the user data's `argv.json`, as
// *Configure Display Language* does.
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixtureHome } from '../integration/fixtures/fixtureHome.mjs';
import { repoRoot } from '../integration/harness/codeServer.mjs';
import { DAY_WAIT_MAX_MS, THEMES, startSession, todayKey } from './session.mjs';
import { canvasPaint, findWebviewFrame, runCommand, statusItem, waitForStatus } from './workbench.mjs';

const shotsDir = join(repoRoot, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'out/screenshots');
mkdirSync(shotsDir, { recursive: true });
const keep = process.env.KEEP_UI_SESSION === '1';
const CNY_PER_USD = 7.2;

/** The user data of a window whose display language is zh-CN (see the top of this file). */
function displayLanguageZhCn(root, userDataDir) {
  const translations = join(root, 'zh-cn.i18n.json');
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({
    'zh-cn': { hash: 'agentmeter-ui-test-zh-cn', extensions: [{ extensionIdentifier: { id: 'agentmeter-test.zh-cn' }, version: '1.0.0' }], translations: { vscode: translations }, label: '中文(简体)' },
  }));
  writeFileSync(join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale: 'zh-cn' }));
}

/** "¥12.34" as Intl formats CNY in zh-CN (what the status bar and the dashboard show). */
const yuan = (usd) => new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(usd * CNY_PER_USD);

let s;
let dailyBudget;
const todayUsd = () => s.cli(['--by', 'day']).rows.find((r) => r.key === todayKey()).costUSD;

describe('AgentMeter in zh-CN in a real VS Code', { timeout: 300_000 }, () => {
  before(async () => {
    s = await startSession({
      theme: THEMES.dark,
      fixture: (root, { userDataDir }) => {
        displayLanguageZhCn(root, userDataDir);
        return makeFixtureHome(root);
      },
      settings: (cli) => {
        dailyBudget = Math.ceil(cli(['--by', 'day']).rows.find((r) => r.key === todayKey()).costUSD * 1.15 * 100) / 100;
        return {
          'agentMeter.currency.code': 'CNY',
          'agentMeter.currency.rateToUsd': CNY_PER_USD,
          'agentMeter.budgets.daily': dailyBudget,
          'agentMeter.budgets.monthly': Math.ceil(cli([]).totals.costUSD * 300) / 100,
        };
      },
    });
  }, { timeout: 150_000 + DAY_WAIT_MAX_MS });

  afterEach(async (t) => {
    if (s?.page && t.passed === false) {
      const name = t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
      await s.page.screenshot({ path: join(repoRoot, 'out', `ui-failure-zh-${name}.png`) }).catch(() => {});
    }
  });

  after(async () => {
    if (s && (s.pageErrors.length || s.dialogs.length)) console.log(`page errors: ${s.pageErrors.join(' | ')}`);
    await s?.close({ keep });
  });

  it('the status bar reads 今天 ¥… · 5 小时 ¥… with today\'s cost of the fixture logs', { timeout: 60_000 }, async () => {
    const expected = yuan(todayUsd());
    const { text, ms } = await waitForStatus(s.page, (t) => t.includes(expected), 45_000);
    console.log(`    status bar "${text}" after ${ms} ms`);
    assert.match(text, /^今天 ¥[\d,.]+\+? · 5 小时 ¥[\d,.]+\+?( · Codex 5 小时 \d+%)?$/, text);
  });

  it('the status bar tooltip is in Chinese (screenshot)', { timeout: 30_000 }, async () => {
    await statusItem(s.page).first().hover();
    const hover = s.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /今天/ }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await hover.innerText();
    for (const w of ['AgentMeter — 今天', '费用', 'Token', '请求数', '模型', 'Claude 5 小时区块', '本周', '本月至今', '预算', '点击打开仪表板']) {
      assert.ok(text.includes(w), `"${w}" in the tooltip: ${text}`);
    }
    for (const w of ['today', 'Cost', 'Requests', 'This week', 'Month to date', 'Budgets', 'click to open']) assert.ok(!text.includes(w), `no "${w}" in: ${text}`);
    assert.ok(text.includes(yuan(todayUsd()).replace(/\+$/, '')), `today's cost in ¥ in: ${text}`);
    await s.page.waitForTimeout(300);
    const hb = await hover.boundingBox();
    const vp = s.page.viewportSize();
    const x = Math.max(0, Math.min(hb.x - 16, vp.width - 720));
    const y = Math.max(0, hb.y - 16);
    await s.page.screenshot({ path: join(shotsDir, 'status-bar-tooltip-zh-CN.png'), clip: { x, y, width: Math.min(720, vp.width - x), height: vp.height - y } });
    await s.page.mouse.move(700, 300);
  });

  it('the budget notification is in Chinese, with its buttons', { timeout: 30_000 }, async () => {
    await runCommand(s.page, 'Notifications: Show Notifications');
    const items = s.page.locator('.notifications-center .notification-list-item').filter({ hasText: /AgentMeter：每日预算/ });
    await items.first().waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await items.first().innerText()).replace(/\s+/g, ' ');
    assert.match(text, /AgentMeter：每日预算：已花费 \$[\d.]+，预算 \$[\d.]+（\d+%），已超过 80%。/, text);
    assert.match(text, /打开仪表板/);
    assert.match(text, /本周期内不再显示/);
    await runCommand(s.page, 'Notifications: Clear All Notifications');
    await s.page.keyboard.press('Escape');
  });

  let frame;
  it('F1 → AgentMeter: 显示用量仪表板 opens the dashboard in Chinese; no English text of ours is left', { timeout: 60_000 }, async () => {
    await runCommand(s.page, 'AgentMeter: 显示用量仪表板');
    frame = await findWebviewFrame(s.page, 'canvas', 30_000);
    for (let i = 0; i < 60; i++) {
      const paint = (await canvasPaint(frame)).filter((c) => c.visible);
      if (paint.length >= 2 && paint.every((c) => c.painted > 0)) break;
      await s.page.waitForTimeout(250);
    }
    const body = await frame.evaluate(() => document.body.innerText);
    for (const w of ['刷新', '今天', '最近 7 天', '本月', '全部时间', '每日费用（按模型）', '各智能体费用', '预算', '缓存收益', 'Codex 额度', 'Claude 5 小时区块', '会话', '项目', '模型', '请求数', '缓存命中率', '时间按']) {
      assert.ok(body.includes(w), `"${w}" on the dashboard`);
    }
    for (const w of ['Refresh', 'Last 7 days', 'All time', 'Daily cost by model', 'Budgets', 'Sessions', 'Requests', 'Cache hits', 'Times in', 'No data']) {
      assert.ok(!body.includes(w), `no "${w}" on the dashboard`);
    }
    const budgets = await frame.evaluate(() => document.querySelector('section[aria-label="预算"]')?.innerText ?? '');
    assert.match(budgets, /今天[\s\S]*¥[\d,.]+ \/ ¥[\d,.]+/, budgets);
    const lang = await frame.evaluate(() => document.documentElement.lang);
    assert.equal(lang, 'zh-cn');
  });

  it('dashboard screenshots in zh-CN, dark and light', { timeout: 90_000 }, async () => {
    if (await s.page.locator('.part.sidebar').isVisible()) await runCommand(s.page, 'View: Close Primary Side Bar');
    await s.page.mouse.move(5, 5);
    await s.page.waitForTimeout(1500);
    await s.page.screenshot({ path: join(shotsDir, 'dashboard-dark-zh-CN.png') });
    s.setTheme(THEMES.light);
    await s.page.reload();
    await s.page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
    // the panel is restored after a reload (extension.ui.test.mjs checks that); this test only needs it open
    frame = await findWebviewFrame(s.page, 'canvas', 15_000).catch(async () => {
      await runCommand(s.page, 'AgentMeter: 显示用量仪表板');
      return findWebviewFrame(s.page, 'canvas', 30_000);
    });
    const light = () => frame.evaluate(() => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(getComputedStyle(document.body).backgroundColor);
      return !!m && Number(m[4] ?? 1) === 1 && (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3 > 180;
    }).catch(() => false);
    for (let i = 0; i < 80 && !(await light()); i++) await s.page.waitForTimeout(250);
    assert.ok(await light(), 'the restored dashboard uses the light theme');
    for (let i = 0; i < 60; i++) {
      const paint = (await canvasPaint(frame)).filter((c) => c.visible);
      if (paint.length >= 2 && paint.every((c) => c.painted > 0)) break;
      await s.page.waitForTimeout(250);
    }
    assert.ok((await frame.evaluate(() => document.body.innerText)).includes('每日费用（按模型）'), 'still in Chinese after the reload');
    if (await s.page.locator('.part.sidebar').isVisible()) await runCommand(s.page, 'View: Close Primary Side Bar');
    await s.page.mouse.move(5, 5);
    await s.page.waitForTimeout(2000);
    await s.page.screenshot({ path: join(shotsDir, 'dashboard-light-zh-CN.png') });
  });
});
