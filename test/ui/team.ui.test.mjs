// UI test of the team database (issue 16) on the packaged VSIX in a real VS Code (code-server in Chromium), against a
// real PostgreSQL started here (scripts/pg/cluster.mjs) and prepared with the project's team code (teamDb.ts: schema,
// a member login, a lead login, another member's machine already pushed). As a user: Connect Team Database… with a
// member's URL (tested, kept out of settings.json, the history sent), the status bar tooltip's last push, the
// dashboard's scope switch (Me, all machines; Team explained to a member), then a lead's URL: the team view with every
// member and machine (this window's member name is not the lead's: its push is refused, nothing written); Create Report…
// with the Team scope writes an Excel workbook of every member from the team database. Screenshots go to out/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { startCluster } from '../../scripts/pg/cluster.mjs';
import { repoRoot } from '../integration/harness/codeServer.mjs';
import { DAY_WAIT_MAX_MS, startSession, todayKey, usd } from './session.mjs';
import { QUICK_INPUT, answerSaveDialog, findWebviewFrame, pickQuickItem, quickItems, runCommand, statusItem, tables, waitForStatus } from './workbench.mjs';

const shotsDir = join(repoRoot, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'out/screenshots');
mkdirSync(shotsDir, { recursive: true });
const keep = process.env.KEEP_UI_SESSION === '1';

let cluster;
let team;
let work;
let s;
let frame;

/** SQL as the cluster's superuser on the team database. */
async function adminQuery(text, params) {
  const c = new pg.Client(cluster.url('agentmeter_ui'));
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Types a URL into the Connect command's input box and accepts it. */
async function connect(url) {
  await runCommand(s.page, 'AgentMeter: Connect Team Database…');
  const input = s.page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await input.getAttribute('type'), 'password', 'the URL is typed into a password box');
  await input.fill(url);
  await input.press('Enter');
  // accepted (the box closes) before anything else presses Escape: an Escape still reaching the box cancels it
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Waits for a notification matching `pattern` in the notification center (toasts hide by themselves); returns its text.
 * The center is opened again until it holds one (a notification that arrives while it is open may not be listed).
 */
async function notification(pattern, timeout = 50_000) {
  const items = s.page.locator('.notifications-center .notification-list-item');
  const t0 = Date.now();
  let all = [];
  while (Date.now() - t0 < timeout) {
    await runCommand(s.page, 'Notifications: Show Notifications');
    await items.first().waitFor({ state: 'visible', timeout: 2000 }).catch(() => {});
    all = (await items.allInnerTexts().catch(() => [])).map((t) => t.replace(/\s+/g, ' '));
    const text = all.find((t) => pattern.test(t));
    if (text) {
      await runCommand(s.page, 'Notifications: Clear All Notifications');
      await s.page.keyboard.press('Escape');
      return text;
    }
    await s.page.keyboard.press('Escape');
    await s.page.waitForTimeout(500);
  }
  throw new Error(`no notification ${pattern} within ${timeout} ms; shown: ${all.join(' | ')}`);
}

/** Clicks a scope button in the dashboard and waits for the snapshot that shows it pressed. */
async function pickScope(label) {
  await frame.locator('.scope button', { hasText: label }).first().click();
  await frame.locator('.scope button[aria-pressed="true"]', { hasText: label }).first().waitFor({ state: 'visible', timeout: 30_000 });
}

async function teamTable(caption, timeout = 30_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeout) {
    const t = (await tables(frame)).find((x) => x.caption === caption);
    if (t?.rows.length) return t;
    await s.page.waitForTimeout(250);
  }
  throw new Error(`no table "${caption}" with rows within ${timeout} ms`);
}

describe('the team database in a real VS Code', { timeout: 300_000 }, () => {
  before(async () => {
    cluster = await startCluster();
    const root = new pg.Client(cluster.url());
    await root.connect();
    await root.query('CREATE DATABASE agentmeter_ui');
    await root.end();
    work = mkdtempSync(join(tmpdir(), 'agentmeter-ui-team-'));
    team = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/ui/teamDb.ts'), cluster.url('agentmeter_ui'), work], {
      cwd: repoRoot, encoding: 'utf8', timeout: 120_000,
    }));
    s = await startSession({ settings: () => ({ 'agentMeter.team.member': 'ana@example.com', 'agentMeter.team.machine': 'ui-laptop' }) });
    // the extension indexed the fixture logs (today's cost in the status bar)
    const today = s.cli(['--by', 'day']).rows.find((r) => r.key === todayKey());
    await waitForStatus(s.page, (t) => t.includes(usd(today.costUSD)), 60_000);
  }, { timeout: 200_000 + DAY_WAIT_MAX_MS });

  afterEach(async (t) => {
    if (s?.page && t.passed === false) {
      const name = t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
      await s.page.screenshot({ path: join(repoRoot, 'out', `ui-failure-${name}.png`) }).catch(() => {});
    }
  });

  after(async () => {
    await s?.close({ keep });
    cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a wrong password: one error message, nothing stored', { timeout: 60_000 }, async () => {
    const wrong = new URL(team.memberUrl);
    wrong.password = 'not-the-password';
    await connect(wrong.toString());
    const text = await notification(/could not connect to the team database/);
    assert.match(text, /login refused/);
    assert.ok(!text.includes('not-the-password'), 'the password is never shown');
    const rows = await adminQuery('SELECT count(*)::int AS n FROM agentmeter.usage WHERE member = $1', ['ana@example.com']);
    assert.equal(rows[0].n, 0);
  });

  it('a member connects: the URL is tested and kept out of settings.json, the whole history is sent', { timeout: 90_000 }, async () => {
    await connect(team.memberUrl);
    const text = await notification(/connected to the team database as a member; sent [\d,]+ buckets/);
    console.log(`    "${text}"`);
    const settings = readFileSync(join(s.userDataDir, 'User', 'settings.json'), 'utf8');
    assert.ok(!settings.includes('ui-team-pw') && !settings.includes('postgres://'), 'no URL in settings.json');
    const [sum] = await adminQuery(
      `SELECT coalesce(sum(input + output + cw5m + cw1h + cache_read), 0)::float8 AS tokens, count(*)::int AS n FROM agentmeter.usage WHERE member = $1 AND machine = $2`,
      ['ana@example.com', 'ui-laptop']);
    assert.ok(sum.n > 0);
    assert.equal(sum.tokens, s.cli([]).totals.totalTokens, 'every token of the local report is in the team database');
  });

  it('the status bar tooltip shows the last push', { timeout: 30_000 }, async () => {
    await statusItem(s.page).first().hover();
    const hover = s.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /Team database/ }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await hover.innerText(), /Team database: last push .*buckets/);
    await s.page.mouse.move(700, 300);
  });

  it('the dashboard: Me, all machines; Team explained to a member (own rows only)', { timeout: 90_000 }, async () => {
    await runCommand(s.page, 'AgentMeter: Show Usage Dashboard');
    frame = await findWebviewFrame(s.page, '.scope:not([hidden]) button', 30_000);
    await pickScope('Me, all machines');
    const machines = await teamTable('Usage by machine');
    assert.deepEqual(machines.rows.map((r) => r.slice(0, 2)), [['ana@example.com', 'ui-laptop']]);
    await pickScope('Team');
    const note = await frame.locator('.scope-note').innerText();
    assert.match(note, /member's: the team view shows your own usage only/);
    const members = await teamTable('Usage by member');
    assert.deepEqual(members.rows.map((r) => r[0]), ['ana@example.com'], 'row-level security: no other member');
    await s.page.screenshot({ path: join(shotsDir, 'team-member.png') });
  });

  it('a lead connects: the team view shows every member and machine with freshness', { timeout: 120_000 }, async () => {
    // this window's member is still ana@example.com, a name the lead's login may not write: the connection is kept
    // (the lead reads the team), the push is refused by row-level security and said so in one message
    await runCommand(s.page, 'AgentMeter: Disconnect Team Database');
    await connect(team.leadUrl);
    const text = await notification(/connected to the team database as a lead/);
    console.log(`    "${text}"`);
    assert.match(text, /first push failed: .*(not allowed|may not)/);
    const [rows] = await adminQuery('SELECT count(*)::int AS n FROM agentmeter.machines WHERE member = $1', ['lead@example.com']);
    assert.equal(rows.n, 0, 'nothing written under another member');
    await runCommand(s.page, 'AgentMeter: Show Usage Dashboard');
    frame = await findWebviewFrame(s.page, '.scope:not([hidden]) button', 30_000);
    await pickScope('Team');
    const t0 = Date.now();
    let members;
    while (Date.now() - t0 < 30_000) {
      members = await teamTable('Usage by member');
      if (members.rows.length >= 2) break;
      await s.page.waitForTimeout(500);
    }
    assert.deepEqual(members.rows.map((r) => r[0]).sort(), ['ana@example.com', 'bob@example.com']);
    const machines = await teamTable('Usage by machine');
    assert.ok(machines.rows.some((r) => r[0] === 'bob@example.com' && r[1] === 'bob-build-box'));
    const fresh = await teamTable('Data freshness per machine');
    assert.deepEqual(fresh.rows.map((r) => `${r[0]}/${r[1]}`).sort(), ['ana@example.com/ui-laptop', 'bob@example.com/bob-build-box']);
    const note = await frame.locator('.scope-note').innerText();
    assert.doesNotMatch(note, /member's/, 'a lead is not told the team is for leads');
    await s.page.screenshot({ path: join(shotsDir, 'team-lead.png') });
  });

  it('Create Report… → Team → Excel: a workbook of every member, its sums the team database\'s', { timeout: 90_000 }, async () => {
    await runCommand(s.page, 'AgentMeter: Create Report');
    await pickQuickItem(s.page, /All time/);
    const scopes = await quickItems(s.page);
    assert.ok(scopes.some((x) => /^Me, all machines/.test(x)) && scopes.some((x) => /^Team/.test(x)), `scopes: ${scopes.join(' | ')}`);
    await pickQuickItem(s.page, /^Team/);
    await pickQuickItem(s.page, /^Summary/);
    await pickQuickItem(s.page, /Excel/);
    const out = join(s.root, 'team-report.xlsx');
    await answerSaveDialog(s.page, out);
    const note = s.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Report written to/ });
    await note.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok(existsSync(out), `the workbook was written to ${out}`);
    const [db] = await adminQuery('SELECT coalesce(sum(input + output + cw5m + cw1h + cache_read), 0)::float8 AS tokens FROM agentmeter.usage');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    for (const name of ['By day', 'By agent', 'By model', 'By member']) {
      const ws = wb.getWorksheet(name);
      const header = ws.getRow(1).values.slice(1);
      let tokens = 0;
      ws.eachRow((row, n) => {
        if (n > 1 && row.getCell(1).value !== 'Total') tokens += row.values.slice(1)[header.indexOf('Total tokens')];
      });
      assert.equal(tokens, db.tokens, `${name}: every token in the team database`);
    }
    const members = [];
    wb.getWorksheet('By member').eachRow((row, n) => {
      if (n > 1 && row.getCell(1).value !== 'Total') members.push(row.getCell(1).value);
    });
    assert.deepEqual(members.sort(), ['ana@example.com', 'bob@example.com']);
  });
});
