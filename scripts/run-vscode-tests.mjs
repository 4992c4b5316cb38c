// Runs the mocha integration suite (test/integration) inside a real VS Code extension host:
// code-server 4.100.3 started with HOME / CLAUDE_CONFIG_DIR / CODEX_HOME pointing at a fixture HOME stamped today,
// opened in headless Chromium with the payload URL (extensionDevelopmentPath = this repo,
// extensionTestsPath = the bundled test entry). Exits with mocha's result; the server is always killed.
// Usage: node scripts/run-vscode-tests.mjs [--build] [--keep]  (npm test builds dist/ before this runs)   (env AGENTMETER_VSCODE_TEST_TIMEOUT_MS, default 300000)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { format } from 'node:util';
import { makeFixtureHome } from '../test/integration/fixtures/fixtureHome.mjs';
import { repoRoot, startCodeServer, assertTestHost } from '../test/integration/harness/codeServer.mjs';
import { launchChromium } from '../test/integration/harness/browser.mjs';
import { buildSuite } from '../test/integration/harness/buildSuite.mjs';
import { startOnOneDay } from '../test/integration/harness/sameDay.mjs';

const keep = process.argv.includes('--keep');
const totalTimeoutMs = Number(process.env.AGENTMETER_VSCODE_TEST_TIMEOUT_MS ?? 300_000);
const t0 = Date.now();
const say = (m) => console.log(`[vscode-tests +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

const NOISE = [/^Resolv(ing|ed) connection token/, /^Creating a socket/, /^Updating additional builtin/, /^\[Service Worker\]/,
  /^ChatSessionStore:/, /^Creation of workbench contribution/, /^Settings pattern /, /ENOTFOUND|open-vsx\.org|marketplace/i, /^\s+at .*workbench\.js/];
function isWorkbenchNoise(text) {
  return NOISE.some((re) => re.test(text));
}

async function main() {
  try {
    assertTestHost();
  } catch (e) {
    console.error(`[vscode-tests] ${e.message} (npm test does it by itself)`);
    process.exit(2);
  }
  if (process.argv.includes('--build')) {
    say('building extension bundles');
    execFileSync(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { stdio: 'inherit', cwd: repoRoot });
  }
  const suite = await buildSuite(repoRoot);
  say(`bundled ${suite.count} test file(s) into ${relative(repoRoot, suite.outDir)}/`);

  // the fixture is stamped today and the suite checks today's numbers: it runs on one calendar day (≈40 s in CI)
  await startOnOneDay(3 * 60_000, say);
  const root = mkdtempSync(join(tmpdir(), 'agentmeter-it-'));
  const fx = makeFixtureHome(root);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# fixture workspace\n');
  say(`fixture HOME ${fx.home}`);

  const env = {
    ...fx.env,
    XDG_CONFIG_HOME: join(fx.home, '.config'),
    AGENTMETER_TEST_FIXTURE_ROOT: root,
    AGENTMETER_TEST_REPO: repoRoot,
    AGENTMETER_TEST_NODE: process.execPath,
    AGENTMETER_TEST_HOST: 'code-server',
  };
  const serverLog = [];
  let server;
  let browser;
  let exitCode = 1;
  const hardTimer = setTimeout(() => {
    console.error(`[vscode-tests] TIMEOUT after ${totalTimeoutMs} ms; last server output:\n${serverLog.slice(-40).join('\n')}`);
    cleanup().finally(() => process.exit(124));
  }, totalTimeoutMs);

  async function cleanup() {
    try { await browser?.close(); } catch { /* ignore */ }
    server?.stop();
    if (!keep) rmSync(root, { recursive: true, force: true });
    else say(`kept ${root}`);
  }

  try {
    server = await startCodeServer({
      workspace, userDataDir: join(root, 'ud'), extensionsDir: join(root, 'ext'), env,
      log: (l) => serverLog.push(l),
    });
    say(`code-server on ${server.url}`);
    browser = await launchChromium();
    const page = await browser.newPage();
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(suite.entry)],
      ['skipWelcome', 'true'],
    ];
    const done = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    // The host forwards its console here (mocha's reporter prints printf-style: format the arguments).
    // Workbench chatter (sockets, the unreachable extension gallery) is kept for a failure report only.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (isWorkbenchNoise(text)) serverLog.push(`[workbench ${type}] ${text}`);
      else if (type === 'error') console.error(text);
      else console.log(text);
    });
    page.on('pageerror', (e) => serverLog.push(`[page error] ${e.message}`));
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    say('VS Code loaded, waiting for the extension tests');
    exitCode = await done;
    say(`extension tests finished with exit code ${exitCode}`);
    if (exitCode !== 0) console.error(`last server output:\n${serverLog.slice(-30).join('\n')}`);
  } catch (e) {
    console.error(`[vscode-tests] ${e?.stack ?? e}`);
    console.error(serverLog.slice(-30).join('\n'));
    exitCode = 1;
  } finally {
    clearTimeout(hardTimer);
    await cleanup();
  }
  process.exit(exitCode);
}

main();
