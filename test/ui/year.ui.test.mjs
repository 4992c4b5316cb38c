// Year-scale UI test on the packaged VSIX in code-server: the realistic heavy user has a year in AgentMeter's index
// (Claude Code deleted the older logs) and the last days on disk. test/ui/yearFixture.mjs writes ≈1.5 million API
// calls over 365 days as ≈200k index rows into the extension's global storage before the server starts, plus the
// logs of the last two days and today, which the extension ingests itself. Expected numbers come from the CLI on a
// copy of the same index and the same logs. Measured figures are printed one per line as `year-scale: … N ms`.
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../integration/harness/codeServer.mjs';
import { DAY_WAIT_MAX_MS, THEMES, startSession, todayKey, usd } from './session.mjs';
import { canvasPaint, findWebviewFrame, recordStatusChanges, runCommand, statusChanges, statusSpinning, tables, waitForStatus } from './workbench.mjs';
import { appendYearCall, makeYearHome } from './yearFixture.mjs';

const keep = process.env.KEEP_UI_SESSION === '1';
/** VS Code's global storage folder of the extension: `<publisher>.<name>` lower-cased (package.json: agentmeter.agentmeter). */
const STORAGE = 'agentmeter.agentmeter';
const INDEX_FILE = 'usage-index.sqlite';

let s;
let setupMs = 0;
/** The CLI's newest `--by day` report (the data change only where a test appends; each run takes seconds). */
let days;
const figure = (what, value) => console.log(`year-scale: ${what} ${value}`);

/**
 * The extension's log channel files in code-server's logs (`<user data>/logs/<session>/exthost*\/agentmeter.agentmeter/AgentMeter.log`),
 * oldest window first (a reloaded page is another window, with its own extension host and log), or ''.
 */
function extensionLog(userDataDir) {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return '';
  const texts = [];
  for (const session of readdirSync(logs).sort()) {
    const hosts = readdirSync(join(logs, session)).filter((d) => d.startsWith('exthost'));
    hosts.sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)) || a.localeCompare(b));
    for (const host of hosts) {
      const file = join(logs, session, host, STORAGE, 'AgentMeter.log');
      if (existsSync(file)) texts.push(readFileSync(file, 'utf8'));
    }
  }
  return texts.join('');
}

/** When the extension was activated, from its log channel (local time stamps), or undefined. */
function activationTime(userDataDir) {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3}) \[info\] AgentMeter .* activated/m.exec(extensionLog(userDataDir));
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() : undefined;
}

/**
 * The extension's own account of the dashboard's `nth` `what` ('opened' / 'filters changed'): painted after how long,
 * and where the time went (panel.ts logs it when the webview reports the drawn frame). Waits up to 5 s for the line.
 */
async function dashboardTimes(what, nth = 1) {
  const re = new RegExp(`\\[info\\] Dashboard ${what}: (.*)$`, 'gm');
  for (let t0 = Date.now(); Date.now() - t0 < 5_000; await s.page.waitForTimeout(100)) {
    const lines = [...extensionLog(s.userDataDir).matchAll(re)];
    if (lines.length >= nth) return lines[nth - 1][1];
  }
  assert.fail(`the extension logs "Dashboard ${what}: drawn, reported …" when the webview has drawn it`);
}
/**
 * Runs Show Usage Dashboard and waits until its visible charts are painted (at least two); returns the webview frame,
 * the visible canvases and the milliseconds from the command to the painted charts.
 */
async function showDashboardPainted() {
  const t0 = Date.now();
  await runCommand(s.page, 'AgentMeter: Show Usage Dashboard');
  const webview = await findWebviewFrame(s.page, 'canvas', 60_000);
  let paint = [];
  while (Date.now() - t0 < 80_000) {
    paint = (await canvasPaint(webview)).filter((c) => c.visible);
    if (paint.length >= 2 && paint.every((c) => c.painted > 0)) break;
    await s.page.waitForTimeout(50);
  }
  return { webview, paint, ms: Date.now() - t0 };
}

/** The CLI's report on the copy of the generated index plus the logs on disk (`--db` on the copy, same HOME). */
const byDay = () => s.cli(['--by', 'day']);
const todayRow = (report) => {
  const r = report.rows.find((row) => row.key === todayKey());
  assert.ok(r, `the CLI has a row for today (${todayKey()})`);
  return r;
};

// node:test starts the suite's timeout after `before`. Measured on a 2-core machine at load 13 (≈6x oversubscribed),
// the tests took ≈200 s together, most of it the extension's first pass over the two days of logs: 300 s for the
// steps, 150 s for `before` (generation ≈15-30 s, code-server, the workbench); run-ui-tests.mjs allows for both.
describe('AgentMeter with a year of heavy use in its index (year-scale)', { timeout: 300_000 }, () => {
  before(async () => {
    const t0 = Date.now();
    s = await startSession({
      theme: THEMES.dark,
      fixture: (root, { userDataDir }) => {
        const g0 = Date.now();
        const indexFile = join(userDataDir, 'User', 'globalStorage', STORAGE, INDEX_FILE);
        const fx = makeYearHome(root, { indexFile });
        // The CLI gets its own copy: the extension rewrites the original as it ingests the logs.
        const cliIndex = join(root, 'cli-index.sqlite');
        copyFileSync(indexFile, cliIndex);
        const f = fx.figures;
        figure('generated', `${f.calls} calls, ${f.sessions} sessions, ${f.projects} projects; index ${f.usageRows} usage rows / ${f.dims} dims (${f.indexCalls} calls); logs ${f.logFiles} files, ${(f.logBytes / 1e6).toFixed(1)} MB (${f.logCalls} calls)`);
        figure('generate', `${Date.now() - g0} ms`);
        return { ...fx, indexFile, cliArgs: ['--db', cliIndex] };
      },
    });
    setupMs = Date.now() - t0;
    figure('setup (generate, install, start the server, load the workbench)', `${setupMs} ms`);
  }, { timeout: 150_000 + DAY_WAIT_MAX_MS });

  afterEach(async (t) => {
    if (s?.page && t.passed === false) {
      const name = t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
      await s.page.screenshot({ path: join(repoRoot, 'out', `ui-failure-year-${name}.png`) }).catch(() => {});
    }
  });

  after(async () => {
    if (s && (s.pageErrors.length || s.dialogs.length)) console.log(`page errors: ${s.pageErrors.join(' | ')}; dialogs: ${s.dialogs.join(' | ')}`);
    await s?.close({ keep });
  });

  it('the status bar shows today\'s cost, equal to the CLI\'s on the same index and logs', { timeout: 220_000 }, async () => {
    days = byDay();
    const report = days;
    const f = s.fx.figures;
    assert.equal(report.totals.requests, f.calls, 'the CLI counts every generated call once (index + logs)');
    assert.ok(report.rows.length >= 360, `a year of days (${report.rows.length})`);
    const expected = usd(todayRow(report).costUSD);
    const { text } = await waitForStatus(s.page, (t) => t.includes(expected), 100_000);
    const shownMs = Date.now();
    figure('workbench loaded → today\'s cost in the status bar', `${shownMs - s.workbenchLoadedMs} ms`);
    const activated = activationTime(s.userDataDir);
    if (activated !== undefined) figure('extension activated → today\'s cost in the status bar', `${shownMs - activated} ms`);
    assert.match(text, /today/, `status bar "${text}"`);
    // The extension shows today first (it reads the newest files first) and goes on with the older logs: the item's
    // spinner stays until that first pass is done. Then the status bar still shows the CLI's number.
    const t1 = Date.now();
    while (Date.now() - t1 < 100_000 && (await statusSpinning(s.page))) await s.page.waitForTimeout(100);
    assert.equal(await statusSpinning(s.page), false, 'the first pass over the logs ends');
    figure('workbench loaded → first pass over the logs done (spinner gone)', `${Date.now() - s.workbenchLoadedMs} ms`);
    await waitForStatus(s.page, (t) => t.includes(expected), 5_000);
    // The extension used the generated file: no second index was created in another storage folder.
    const storage = join(s.userDataDir, 'User', 'globalStorage');
    const folders = readdirSync(storage).filter((d) => existsSync(join(storage, d, INDEX_FILE)));
    assert.deepEqual(folders, [STORAGE], 'the index lives where the fixture wrote it');
  });

  it('a call appended to today\'s log reaches the status bar', { timeout: 60_000 }, async () => {
    const beforeCost = usd(todayRow(days).costUSD);
    await waitForStatus(s.page, (t) => t.includes(beforeCost), 15_000);
    await recordStatusChanges(s.page);
    const t0 = Date.now();
    appendYearCall(s.fx.today);
    // The expected number is computed once the item changed: the CLI (a few seconds on a year) would otherwise
    // compete for the CPU with the extension during the measured time. Change times are recorded in the page.
    await waitForStatus(s.page, (t) => !t.includes(beforeCost), 60_000);
    days = byDay();
    const expected = usd(todayRow(days).costUSD);
    assert.notEqual(expected, beforeCost, 'the appended call changes today\'s cost');
    await waitForStatus(s.page, (t) => t.includes(expected), 15_000);
    const changes = await statusChanges(s.page);
    const hit = changes.find((c) => c.text.includes(expected));
    assert.ok(hit, `the change was recorded (changes: ${changes.map((c) => `+${c.t - t0} ms "${c.text}"`).join(', ')})`);
    const ms = hit.t - t0;
    figure('append → status bar', `${ms} ms`);
    assert.ok(ms <= 10_000, `status bar updated ${ms} ms after the append (limit 10 s)`);
  });

  let frame;
  it('F1 → Show Usage Dashboard paints its charts', { timeout: 90_000 }, async () => {
    // someone new presses F1 more than ~2 s after the window opened: by then the window has prepared the dashboard's
    // default view (panel.ts dashboardWarmUpDue: never opened in this profile), as the returning user's test below
    // waits for its window's; the figure of that preparation is printed
    const preparedRe = /\[info\] dashboard data prepared in (\d+) ms \(the dashboard was never opened/;
    const tp = Date.now();
    while (Date.now() - tp < 30_000 && !preparedRe.test(extensionLog(s.userDataDir))) await s.page.waitForTimeout(100);
    const prepared = preparedRe.exec(extensionLog(s.userDataDir));
    figure('the extension\'s log: the default view prepared after the start (never opened before)', prepared ? `in ${prepared[1]} ms` : 'not logged');
    assert.ok(prepared, 'a window of someone who never opened the dashboard prepared its default view after the start');
    const shown = await showDashboardPainted();
    frame = shown.webview;
    const { paint, ms } = shown;
    figure('command → dashboard charts painted', `${ms} ms`);
    figure('the extension\'s log: dashboard', await dashboardTimes('opened'));
    assert.ok(paint.length >= 2, `at least two visible canvases (found ${paint.length})`);
    for (const c of paint) assert.ok(c.painted > 0, `canvas ${c.id} ${c.w}x${c.h} is blank`);
  });

  it('range All: the all-time cost and the per-model and per-project costs equal the CLI\'s to the cent', { timeout: 120_000 }, async () => {
    const models = s.cli(['--by', 'model']).rows;
    const projects = s.cli(['--by', 'project']).rows;
    const firstDay = days.rows[0].key;
    const fromDay = () => frame.evaluate(() => document.querySelector('input[aria-label="From day"]')?.value ?? '');
    assert.notEqual(await fromDay(), firstDay, 'the dashboard opens on a shorter range than all of the year');

    // In the page's own clock as well (the automation's click and polls add their round trips to the test's clock):
    // from the click's event to the first frame whose range starts on the first day.
    await frame.evaluate((first) => {
      const input = document.querySelector('input[aria-label="From day"]');
      document.addEventListener('click', () => {
        const clicked = performance.now();
        const check = () => {
          if (input?.value === first) window.__agentmeterAllShownMs = performance.now() - clicked;
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }, { capture: true, once: true });
    }, firstDay);
    const t0 = Date.now();
    await frame.locator('[aria-label="Date range"] button', { hasText: /^All$/ }).click();
    // The host answers with a snapshot whose range starts on the first day of the data (or the webview shows the one
    // the host sent ahead); it is rendered in one pass.
    while (Date.now() - t0 < 60_000 && (await fromDay()) !== firstDay) await s.page.waitForTimeout(50);
    const ms = Date.now() - t0;
    figure('range All → dashboard updated', `${ms} ms`);
    const inPage = await frame.evaluate(() => window.__agentmeterAllShownMs);
    if (typeof inPage === 'number') figure('range All: click → first frame showing it, in the page', `${Math.round(inPage)} ms`);
    figure('the extension\'s log: range All', await dashboardTimes('filters changed'));
    assert.equal(await fromDay(), firstDay, 'the range starts on the first day of the year');

    const allTime = await frame.evaluate(() => document.querySelector('section.card[aria-label="All time"] .card-cost')?.textContent ?? '');
    figure('all-time cost (dashboard / CLI)', `${allTime} / ${usd(days.totals.costUSD)}`);
    assert.equal(allTime, usd(days.totals.costUSD), 'the All time card');

    const all = await tables(frame);
    const table = (first, has) => all.find((t) => t.headers[0]?.startsWith(first) && t.headers.some((h) => h.startsWith(has)));
    const check = (t, rows, label) => {
      assert.ok(t, `a ${label} table (tables: ${all.map((x) => x.headers.join('/')).join('; ')})`);
      // a header's text carries the sort arrow of the sorted column (" ▼")
      const column = (name) => t.headers.findIndex((h) => h.replace(/[\s▲▼]+$/, '') === name);
      const cost = column('Cost');
      const requests = column('Requests');
      assert.ok(cost >= 0 && requests >= 0, `${label} table headers: ${t.headers.join(' | ')}`);
      assert.equal(t.rows.length, rows.length, `one ${label} row per CLI row`);
      for (const r of rows) {
        const row = t.rows.find((cells) => cells[0] === r.key || cells[0].startsWith(`${r.key}`));
        assert.ok(row, `${label} ${r.key} in the table`);
        assert.equal(row[cost], usd(r.costUSD), `${label} ${r.key}: cost`);
        assert.equal(row[requests], new Intl.NumberFormat('en').format(r.requests), `${label} ${r.key}: requests`);
      }
    };
    check(table('Model', 'Cache read'), models.map((r) => ({ ...r, key: r.model ?? r.key })), 'model');
    check(table('Project', 'Last used'), projects, 'project');
  });

  it('closed and opened again: the index worker\'s dashboard data are warm (as after the warm-up of someone who opened it within 14 days)', { timeout: 90_000 }, async () => {
    await runCommand(s.page, 'View: Close Editor');
    const t1 = Date.now();
    while (Date.now() - t1 < 10_000 && s.page.frames().some((f) => f !== s.page.mainFrame() && f.url().includes('agentmeter'))) await s.page.waitForTimeout(100);
    const { paint, ms } = await showDashboardPainted();
    figure('command → dashboard charts painted, opened again', `${ms} ms`);
    figure('the extension\'s log: opened again', await dashboardTimes('opened', 2));
    assert.ok(paint.length >= 2 && paint.every((c) => c.painted > 0), 'the charts are painted again');
  });

  it('a returning user: the window reloaded, the dashboard\'s data prepared after the start (opened in the last 14 days), F1 paints from them', { timeout: 150_000 }, async () => {
    await runCommand(s.page, 'View: Close All Editors');
    const t1 = Date.now();
    while (Date.now() - t1 < 10_000 && s.page.frames().some((f) => f !== s.page.mainFrame() && f.url().includes('agentmeter'))) await s.page.waitForTimeout(100);
    // the workbench stores its open editors a moment after they change: a reload before that would restore the panel
    await s.page.waitForTimeout(3_000);
    // another window on the same profile: a new extension host, which reads the index and prepares the dashboard's data
    await s.page.reload();
    await s.page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90_000 });
    const expected = usd(todayRow(days).costUSD);
    await waitForStatus(s.page, (t) => t.includes(expected), 100_000);
    // (the first window's line says the dashboard was never opened: this one's, that it was opened lately)
    const prepared = /\[info\] dashboard data prepared in (\d+) ms \(the dashboard was opened in the last/;
    const t2 = Date.now();
    while (Date.now() - t2 < 60_000 && !prepared.test(extensionLog(s.userDataDir))) await s.page.waitForTimeout(200);
    const m = prepared.exec(extensionLog(s.userDataDir));
    assert.ok(m, 'the window prepared the dashboard\'s data after its start');
    figure('the dashboard\'s data prepared after the window start in', `${m[1]} ms`);
    const { paint, ms } = await showDashboardPainted();
    figure('command → dashboard charts painted, a returning user', `${ms} ms`);
    figure('the extension\'s log: a returning user', await dashboardTimes('opened', 3));
    assert.ok(paint.length >= 2 && paint.every((c) => c.painted > 0), 'the charts are painted');
  });

  it('no page errors and no dialogs', async () => {
    assert.deepEqual(s.pageErrors, [], 'page errors');
    assert.deepEqual(s.dialogs, [], 'dialogs');
  });
});
