// One UI session: a fixture HOME stamped today, the packaged VSIX installed into a fresh extensions folder,
// code-server started with HOME / CLAUDE_CONFIG_DIR / CODEX_HOME on the fixtures, Chromium on the workbench.
// Expected numbers come from the CLI (`dist/cli.js report --format json`) run on the same directories.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixtureHome } from '../integration/fixtures/fixtureHome.mjs';
import { installVsix, repoRoot, startCodeServer, writeUserSettings } from '../integration/harness/codeServer.mjs';
import { launchChromium } from '../integration/harness/browser.mjs';
import { startOnOneDay } from '../integration/harness/sameDay.mjs';
import { openWorkbench } from './workbench.mjs';

export const VSIX = join(repoRoot, 'agentmeter.vsix');
export const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' };
/** Room a UI suite needs on one calendar day: the slowest (year-scale) took ≈200 s at load 13; 6 min leaves margin. */
const SUITE_DAY_MS = 6 * 60_000;
/** The longest startSession may wait for the next day (see startOnOneDay): every suite's `before` allows for it. */
export const DAY_WAIT_MAX_MS = SUITE_DAY_MS + 2_000;

/**
 * `fixture(root, { userDataDir })` writes the logs (and anything else the extension finds at start, e.g. an index
 * file in its global storage) before the server starts; it returns at least `{ home, env }`, and `cliArgs` when the
 * CLI needs more arguments to see the same data (e.g. `--db` on a copy of that index). Default: makeFixtureHome.
 */
export async function startSession({ theme = THEMES.dark, log = () => {}, settings = () => ({}), fixture = (root) => makeFixtureHome(root) } = {}) {
  if (!existsSync(VSIX)) throw new Error(`${VSIX} not found: run npm run package first`);
  await startOnOneDay(SUITE_DAY_MS, (line) => console.log(`ui session: ${line}`));
  const root = mkdtempSync(join(tmpdir(), 'agentmeter-ui-'));
  const userDataDir = join(root, 'ud');
  const fx = fixture(root, { userDataDir });
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# fixture workspace\n');
  const extensionsDir = join(root, 'ext');
  const env = { ...fx.env, XDG_CONFIG_HOME: join(fx.home, '.config') };

  // the fixture's own CLI arguments (e.g. --db on a copy of a prepared index), else a run that keeps no cache index
  const cli = (args = []) => JSON.parse(execFileSync(process.execPath, [join(repoRoot, 'dist/cli.js'), 'report', '--format', 'json', ...(fx.cliArgs ?? ['--no-cache']), ...args], {
    env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000,
  }));
  // Extra user settings may depend on the fixture's numbers (e.g. a budget just below today's cost).
  const extra = settings(cli);
  writeUserSettings(userDataDir, { ...userSettings(theme), ...extra });
  log(installVsix(VSIX, { extensionsDir, userDataDir, env }).trim());

  const serverLog = [];
  const server = await startCodeServer({ workspace, userDataDir, extensionsDir, env, log: (l) => serverLog.push(l) });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const workbenchUrl = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  await openWorkbench(page, workbenchUrl);
  const workbenchLoadedMs = Date.now();

  return {
    root, fx, workspace, userDataDir, server, browser, context, page, dialogs, pageErrors, serverLog, workbenchUrl,
    /** when the workbench's status bar was first visible (Date.now()) */
    workbenchLoadedMs,
    /** The CLI's JSON report on the fixture logs (the numbers every view must show). */
    cli,
    /** Rewrites the user settings with another colour theme (applied on the next window load). */
    setTheme: (name) => writeUserSettings(userDataDir, { ...userSettings(name), ...extra }),
    async close({ keep = false } = {}) {
      try { await browser.close(); } catch { /* already closed */ }
      server.stop();
      if (!keep) rmSync(root, { recursive: true, force: true });
    },
  };
}

function userSettings(theme) {
  return {
    'workbench.colorTheme': theme,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'files.simpleDialog.enable': true,
    'window.dialogStyle': 'custom',
    'chat.commandCenter.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };
}

/** "$12.34" as the status bar formats US dollars (locale en). */
export function usd(n) {
  return new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/** Today's key (YYYY-MM-DD) in the system zone, as the CLI's `--by day` rows use it. */
export function todayKey(now = new Date()) {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** The newest Codex `rate_limits` across the fixture's rollouts (what the status bar must show as quota). */
export function newestCodexRateLimits(fx) {
  let newest = null;
  for (const { file } of fx.files.codex) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"token_count"')) continue;
      const o = JSON.parse(line);
      if (o.payload?.rate_limits && (!newest || o.timestamp > newest.timestamp)) newest = { timestamp: o.timestamp, ...o.payload.rate_limits };
    }
  }
  return newest;
}
