// UI tests on the packaged VSIX in a real VS Code (code-server 4.100.3 in Chromium), as a user sees it:
// status bar cost for fixture logs stamped today, a live append, the dashboard (painted canvases, table rows,
// hostile project name as text, no dialog), and Export CSV… through the quick picks and the save dialog.
// Every expected number comes from the CLI's `report --format json` on the same fixture directories.
// Screenshots go to out/screenshots/, or to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTILE_PROJECT, appendClaudeCall, makeFixtureHome } from '../integration/fixtures/fixtureHome.mjs';
import { withGeminiAndCline } from './pluginFixtures.mjs';
import { repoRoot } from '../integration/harness/codeServer.mjs';
import { DAY_WAIT_MAX_MS, THEMES, newestCodexRateLimits, startSession, todayKey, usd } from './session.mjs';
import {
  answerSaveDialog, canvasPaint, findWebviewFrame, openWorkbench, pickQuickItem, quickItems, recordStatusChanges, runCommand,
  statusChanges, statusItem, tables, waitForStatus,
} from './workbench.mjs';

const shotsDir = join(repoRoot, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'out/screenshots');
mkdirSync(shotsDir, { recursive: true });
const keep = process.env.KEEP_UI_SESSION === '1';

let s;
let dailyBudget;
const todayCost = () => {
  const r = s.cli(['--by', 'day']).rows.find((row) => row.key === todayKey());
  assert.ok(r, `the CLI has a row for today (${todayKey()})`);
  return r.costUSD;
};

// The suite's timeout bounds all its tests together (node:test starts it after `before`); 300 s leaves room for a
// machine 3x slower than usual and stays, with `before`'s 150 s, under run-ui-tests.mjs's 480 s limit.
describe('AgentMeter VSIX in a real VS Code', { timeout: 300_000 }, () => {
  before(async () => {
    // A daily budget 15% above today's cost: today's spend is past the 80% threshold, not yet at 100%.
    // Weekly, monthly and a per-project budget stay under 50% (no notification) but fill the dashboard's budget bars.
    s = await startSession({
      theme: THEMES.dark,
      // Claude Code and Codex, plus a Gemini CLI session and a Cline task of today (the Cline task in the editor's own
      // globalStorage, found from AgentMeter's)
      fixture: (root, o) => withGeminiAndCline(makeFixtureHome(root), o),
      settings: (cli) => {
        const cents = (v) => Math.ceil(v * 100) / 100;
        dailyBudget = cents(cli(['--by', 'day']).rows.find((r) => r.key === todayKey()).costUSD * 1.15);
        const allTime = cli([]).totals.costUSD;
        const webshop = cli(['--by', 'project']).rows.filter((r) => r.key.endsWith('/webshop')).reduce((a, r) => a + (r.costUSD ?? 0), 0);
        return {
          'agentMeter.budgets.daily': dailyBudget,
          'agentMeter.budgets.weekly': cents(allTime * 2.2),
          'agentMeter.budgets.monthly': cents(allTime * 3),
          'agentMeter.budgets.projects': { webshop: cents(webshop * 2.1) },
        };
      },
    });
  }, { timeout: 150_000 + DAY_WAIT_MAX_MS });

  afterEach(async (t) => {
    // A failing step leaves a picture of the window behind, to see what the user would have seen.
    if (s?.page && t.passed === false) {
      const name = t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
      await s.page.screenshot({ path: join(repoRoot, 'out', `ui-failure-${name}.png`) }).catch(() => {});
    }
  });

  after(async () => {
    if (s && (s.pageErrors.length || s.dialogs.length)) console.log(`page errors: ${s.pageErrors.join(' | ')}`);
    await s?.close({ keep });
  });

  it('the status bar item shows today\'s cost of the fixture logs', { timeout: 60_000 }, async () => {
    const expected = usd(todayCost());
    const { text, ms } = await waitForStatus(s.page, (t) => t.includes(expected), 45_000);
    console.log(`    status bar "${text}" after ${ms} ms`);
    assert.match(text, /today/);
  });

  it('a line appended to a log shows in the status bar within 2 s', { timeout: 30_000 }, async () => {
    const beforeCost = todayCost();
    await recordStatusChanges(s.page);
    const t0 = Date.now();
    appendClaudeCall(s.fx.files.claude[0]);
    const expected = usd(todayCost());
    assert.notEqual(expected, usd(beforeCost), 'the appended call changes today\'s cost');
    await waitForStatus(s.page, (t) => t.includes(expected), 10_000);
    const hit = (await statusChanges(s.page)).find((c) => c.text.includes(expected));
    assert.ok(hit, 'the change was recorded');
    const ms = hit.t - t0;
    console.log(`    "${hit.text}" ${ms} ms after the append`);
    assert.ok(ms <= 2000, `status bar updated ${ms} ms after the append (limit 2000 ms)`);
  });

  it('the newest Codex quota from the fixture\'s token_count events is in the status bar', async () => {
    const rl = newestCodexRateLimits(s.fx);
    assert.ok(rl?.primary, 'the fixture has Codex rate limits');
    const text = (await statusItem(s.page).first().innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes(`Codex 5h ${Math.round(rl.primary.used_percent)}%`), `status bar "${text}"`);
  });

  it('today past 80% of the daily budget: exactly one notification and a warning-coloured item; one for the Claude plan limit', { timeout: 30_000 }, async () => {
    const spent = todayCost();
    assert.ok(spent / dailyBudget >= 0.8 && spent / dailyBudget < 1, `fixture: ${spent} of ${dailyBudget}`);
    await runCommand(s.page, 'Notifications: Show Notifications');
    const items = s.page.locator('.notifications-center .notification-list-item').filter({ hasText: /AgentMeter: .*budget/i });
    await items.first().waitFor({ state: 'visible', timeout: 15_000 });
    await s.page.waitForTimeout(1000); // a duplicate would arrive with the next status update
    const texts = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    assert.equal(texts.length, 1, `budget notifications: ${texts.join(' | ')}`);
    assert.match(texts[0], /80%/);
    const cls = (await statusItem(s.page).first().getAttribute('class')) ?? '';
    assert.match(cls, /warning-kind/, `status item classes: ${cls}`);
    // Today's block is far past the auto (P90) plan limit of the fixture's history: one Claude notification.
    const claude = (await s.page.locator('.notifications-center .notification-list-item').filter({ hasText: /AgentMeter: Claude/ }).allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    assert.equal(claude.length, 1, `Claude notifications: ${claude.join(' | ')}`);
    assert.match(claude[0], /Claude usage limit reached \(estimated limit\)\. Resets in \d+h \d+m/);
    await runCommand(s.page, 'Notifications: Clear All Notifications');
    await s.page.keyboard.press('Escape');
  });

  it('hovering the status bar item shows the tooltip (screenshot)', { timeout: 30_000 }, async () => {
    await statusItem(s.page).first().hover();
    const hover = s.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /today/i }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await hover.innerText();
    // all four agents of today, each with its cost (the CLI's per-source figures)
    const bySource = s.cli(['--by', 'source', '--since', todayKey(), '--until', todayKey()]).rows;
    for (const label of ['Claude Code', 'Codex', 'Gemini CLI', 'Cline']) assert.ok(text.includes(label), `"${label}" in the tooltip: ${text}`);
    assert.equal(bySource.length, 4, `four sources today: ${bySource.map((r) => r.key).join(', ')}`);
    for (const r of bySource) assert.ok(text.includes(usd(r.costUSD)), `${r.key} ${usd(r.costUSD)} in the tooltip`);
    // the days only Claude Code's stats cache knows: one ≈ line, not in the totals
    assert.match(text, new RegExp(`≈ ${s.fx.estimatedDays.length} earlier days without logs estimated from Claude Code's stats cache: ≈ \\$[\\d.,]+ \\(not in these totals\\)`));
    await s.page.waitForTimeout(300);
    const hb = await hover.boundingBox();
    const vp = s.page.viewportSize();
    const x = Math.max(0, Math.min(hb.x - 16, vp.width - 720));
    const y = Math.max(0, hb.y - 16);
    await s.page.screenshot({ path: join(shotsDir, 'status-bar-tooltip.png'), clip: { x, y, width: Math.min(720, vp.width - x), height: vp.height - y } });
    await s.page.mouse.move(700, 300);
  });

  let frame;
  it('F1 → Show Usage Dashboard opens the panel; its canvases are painted', { timeout: 60_000 }, async () => {
    await runCommand(s.page, 'AgentMeter: Show Usage Dashboard');
    frame = await findWebviewFrame(s.page, 'canvas', 30_000);
    let paint = [];
    const t0 = Date.now();
    while (Date.now() - t0 < 15_000) {
      paint = (await canvasPaint(frame)).filter((c) => c.visible);
      if (paint.length >= 2 && paint.every((c) => c.painted > 0)) break;
      await s.page.waitForTimeout(250);
    }
    console.log(`    canvases: ${paint.map((c) => `${c.id || '?'} ${c.w}x${c.h} ${c.painted}/${c.sampled}`).join(', ')}`);
    assert.ok(paint.length >= 2, `at least two visible canvases (found ${paint.length})`);
    for (const c of paint) assert.ok(c.painted > 0, `canvas ${c.id} ${c.w}x${c.h} is blank`);
  });

  it('the dashboard shows all four agents: the source filter and the cost by agent', { timeout: 30_000 }, async () => {
    const options = await frame.evaluate(() => Array.from(document.querySelectorAll('select[aria-label="Source"] option')).map((o) => o.textContent));
    for (const label of ['Claude Code', 'Codex', 'Gemini CLI', 'Cline']) assert.ok(options.includes(label), `"${label}" among the source filter's options: ${options.join(', ')}`);
    assert.ok(await frame.evaluate(() => !!document.querySelector('section[aria-label="Cost by agent"] canvas')), 'the cost-by-agent chart');
    // the stats cache's days: hatched in the daily chart with a note, Claude Code's activity as a table
    const note = await frame.evaluate(() => document.querySelector('section[aria-label="Daily cost by model"] p')?.textContent ?? '');
    assert.match(note, new RegExp(`^${s.fx.estimatedDays.length} days without logs estimated from Claude Code's stats cache \\(hatched\\)`), note);
    const activityRows = await frame.evaluate(() => document.querySelectorAll('table[aria-label="Claude Code activity by day"] tbody tr').length);
    assert.ok(activityRows >= s.fx.estimatedDays.length, `activity rows: ${activityRows}`);
  });

  it('the dashboard tables hold the projects and models the CLI reports', { timeout: 30_000 }, async () => {
    const all = await tables(frame);
    const cells = all.flatMap((t) => t.rows.flat()).join('\n');
    for (const r of s.cli(['--by', 'model']).rows) assert.ok(cells.includes(r.model), `model ${r.model} in a table`);
    for (const r of s.cli(['--by', 'project']).rows) {
      const name = r.key.split('/').pop();
      assert.ok(cells.includes(name), `project ${name} in a table`);
    }
    const sessions = s.cli(['--by', 'session']).rows.length;
    const sessionTable = all.find((t) => /session/i.test(t.caption) || t.headers.some((h) => /duration/i.test(h)));
    assert.ok(sessionTable, `a sessions table (tables: ${all.map((t) => t.caption || t.headers.join('/')).join('; ')})`);
    assert.equal(sessionTable.rows.length, sessions, 'one row per session');
  });

  it('the hostile project name renders literally as text and no dialog fires', { timeout: 30_000 }, async () => {
    const count = (text) => frame.evaluate((needle) => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      let n = 0;
      while (walker.nextNode()) if ((walker.currentNode.nodeValue ?? '').includes(needle)) n++;
      return n;
    }, text);
    assert.ok((await count(HOSTILE_PROJECT)) > 0, 'the project name appears as a text node');
    assert.equal(await frame.evaluate(() => document.querySelectorAll('img[src="x"]').length), 0, 'no <img src=x> element was created');
    // The same project's git branch is `<b>bold</b>`: shown in the sessions table as text, not as markup.
    assert.ok((await count('<b>bold</b>')) > 0, 'the branch name appears as a text node');
    await s.page.waitForTimeout(500);
    assert.deepEqual(s.dialogs, [], 'no alert/confirm/prompt dialog fired');
  });

  it('the limits and insights views hold the fixture\'s budgets, Codex quota and Claude blocks (screenshots)', { timeout: 60_000 }, async () => {
    const panelText = (title) => frame.evaluate((t) => document.querySelector(`section[aria-label="${t}"]`)?.innerText ?? '', title);
    const budgets = await panelText('Budgets');
    for (const label of ['Today', 'This week', 'This month', 'webshop']) assert.ok(budgets.includes(label), `budget bar "${label}" in: ${budgets}`);
    const rl = newestCodexRateLimits(s.fx);
    const quota = await panelText('Codex quota');
    assert.ok(quota.includes(`${Math.round(rl.primary.used_percent)}%`), `Codex 5-hour quota in: ${quota}`);
    const blocks = await panelText('Claude 5-hour blocks');
    assert.match(blocks, /limit [\d.,]+K? = P90 of \d+ completed blocks/, 'the plan limit says how it was estimated');
    const paint = (await canvasPaint(frame)).filter((c) => c.visible);
    assert.ok(paint.every((c) => c.painted > 0), 'every visible chart is painted');

    if (await s.page.locator('.part.sidebar').isVisible()) await runCommand(s.page, 'View: Close Primary Side Bar');
    await s.page.mouse.move(5, 5);
    // scrolls a panel to the top, just below the sticky header and filter bar
    const scrollTo = (title) => frame.evaluate((t) => {
      const el = document.querySelector(`section[aria-label="${t}"]`);
      const sticky = Array.from(document.querySelectorAll('body > *')).filter((e) => getComputedStyle(e).position === 'sticky');
      const cover = sticky.reduce((a, e) => Math.max(a, e.getBoundingClientRect().bottom), 0);
      window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - cover - 12);
    }, title);
    await s.page.waitForTimeout(1500); // charts resize to the wider panel
    // budgets, Codex quota and the cache panel down to its hints: the cache panel's bottom at the window's bottom
    await frame.evaluate(() => {
      const el = document.querySelector('section[aria-label="Cache economics"]');
      window.scrollTo(0, el.getBoundingClientRect().bottom + window.scrollY - window.innerHeight + 12);
    });
    await s.page.waitForTimeout(700);
    await s.page.screenshot({ path: join(shotsDir, 'dashboard-limits.png') });
    await scrollTo('Claude 5-hour blocks');
    await s.page.waitForTimeout(700);
    await s.page.screenshot({ path: join(shotsDir, 'dashboard-blocks-insights.png') });
    await frame.evaluate(() => window.scrollTo(0, 0));
  });

  it('dashboard screenshots in a dark and a light theme; the panel is restored after a reload', { timeout: 90_000 }, async () => {
    if (await s.page.locator('.part.sidebar').isVisible()) await runCommand(s.page, 'View: Close Primary Side Bar');
    await s.page.mouse.move(5, 5);
    await s.page.waitForTimeout(1500); // charts resize to the wider panel
    await s.page.screenshot({ path: join(shotsDir, 'dashboard-dark.png') });
    const bgDark = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // A settings.json written behind VS Code's back is read on the next window load: reload, which also
    // checks that the serializer restores the dashboard.
    s.setTheme(THEMES.light);
    await s.page.reload();
    await s.page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
    frame = await findWebviewFrame(s.page, 'canvas', 30_000);
    // Wait for a light background, not just another one: until the theme's variables reach the restored webview its
    // body can be transparent (rgba(0, 0, 0, 0)), which differs from the dark colour too and ended the wait early.
    const isLight = (bg) => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(bg ?? '');
      return !!m && Number(m[4] ?? 1) === 1 && (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3 > 180;
    };
    let bgLight = bgDark;
    const t0 = Date.now();
    while (!isLight(bgLight) && Date.now() - t0 < 20_000) {
      await s.page.waitForTimeout(250);
      bgLight = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor).catch(() => bgDark);
    }
    assert.notEqual(bgLight, bgDark, 'the restored webview uses the light theme');
    assert.ok(isLight(bgLight), `the restored webview uses the light theme (body background ${bgLight}, dark was ${bgDark})`);
    let repainted = [];
    for (let i = 0; i < 40; i++) {
      repainted = (await canvasPaint(frame)).filter((c) => c.visible);
      if (repainted.length >= 2 && repainted.every((c) => c.painted > 0)) break;
      await s.page.waitForTimeout(250);
    }
    assert.ok(repainted.length >= 2 && repainted.every((c) => c.painted > 0), 'canvases are painted in the light theme');
    if (await s.page.locator('.part.sidebar').isVisible()) await runCommand(s.page, 'View: Close Primary Side Bar');
    await s.page.mouse.move(5, 5);
    await s.page.waitForTimeout(1000);
    await s.page.waitForTimeout(1000);
    await s.page.screenshot({ path: join(shotsDir, 'dashboard-light.png') });
  });

  it('F1 → Export CSV… through the quick picks and the save dialog writes the CLI\'s numbers', { timeout: 60_000 }, async () => {
    await runCommand(s.page, 'AgentMeter: Export CSV');
    const grains = await quickItems(s.page);
    assert.ok(grains.length >= 8, `grain choices: ${grains.join(' | ')}`);
    await pickQuickItem(s.page, /daily/i);
    const ranges = await quickItems(s.page);
    assert.ok(ranges.some((r) => /all time/i.test(r)), `range choices: ${ranges.join(' | ')}`);
    await pickQuickItem(s.page, /all time/i);
    const out = join(s.root, 'exported-daily.csv');
    await answerSaveDialog(s.page, out);
    // The export writes the file in place (fs.writeFile: created, then filled), so it can exist still empty; the
    // "Exported N rows" toast comes only after the write finished: wait for it, then read the file.
    const note = s.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Exported \d+ rows/ });
    await note.first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.ok(existsSync(out), `the CSV was written to ${out}`);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    const expected = s.cli(['--by', 'day']);
    assert.deepEqual(rows.map((r) => r.key), expected.rows.map((r) => r.key));
    for (const f of ['requests', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'totalTokens']) {
      assert.equal(rows.reduce((a, r) => a + Number(r[f]), 0), expected.totals[f], f);
    }
    const cost = rows.reduce((a, r) => a + Number(r.costUSD), 0);
    assert.ok(Math.abs(cost - expected.totals.costUSD) < 1e-6, `costUSD ${cost} vs ${expected.totals.costUSD}`);
  });

  it('a second window shows the same numbers, an append reaches both within 2 s, a click opens its dashboard', { timeout: 90_000 }, async () => {
    const page2 = await s.context.newPage();
    page2.on('dialog', (d) => { s.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    await openWorkbench(page2, s.workbenchUrl);
    const now = usd(todayCost());
    await waitForStatus(page2, (t) => t.includes(now), 30_000);
    await waitForStatus(s.page, (t) => t.includes(now), 5_000);
    await recordStatusChanges(s.page);
    await recordStatusChanges(page2);
    const t0 = Date.now();
    appendClaudeCall(s.fx.files.claude[1]);
    const expected = usd(todayCost());
    assert.notEqual(expected, now);
    for (const [name, p] of [['first', s.page], ['second', page2]]) {
      await waitForStatus(p, (t) => t.includes(expected), 15_000);
      const hit = (await statusChanges(p)).find((c) => c.text.includes(expected));
      const ms = hit.t - t0;
      console.log(`    ${name} window: "${hit.text}" ${ms} ms after the append`);
      assert.ok(ms <= 2000, `${name} window updated ${ms} ms after the append (limit 2000 ms)`);
    }
    // A click on the item opens the dashboard (the second window has none open yet).
    await statusItem(page2).first().click();
    const f2 = await findWebviewFrame(page2, 'canvas', 30_000);
    // The page (canvases, empty tables) is built before the first snapshot arrives, so tables exist at once:
    // wait until they hold the CLI's models.
    const models = s.cli(['--by', 'model']).rows.map((r) => r.model);
    let cells = '';
    for (const t1 = Date.now(); Date.now() - t1 < 20_000; await page2.waitForTimeout(250)) {
      cells = (await tables(f2)).flatMap((t) => t.rows.flat()).join('\n');
      if (models.every((m) => cells.includes(m))) break;
    }
    assert.ok(models.length > 0 && models.every((m) => cells.includes(m)), `the dashboard opened by the click shows its tables: ${cells.slice(0, 300)}`);
    await page2.close();
  });
});

/** Minimal RFC 4180 reader for the exported file. */
function parseCsv(text) {
  const records = [];
  let field = '';
  let rec = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rec.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rec.push(field); records.push(rec); rec = []; field = '';
    } else field += c;
  }
  if (field !== '' || rec.length) { rec.push(field); records.push(rec); }
  const [header, ...data] = records;
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
