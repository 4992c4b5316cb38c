// `npm start`: builds AgentMeter and runs it on your own logs.
//  - With VS Code's `code` on the PATH: opens a new VS Code window with this checkout as a development extension.
//  - Otherwise: the bundled code-server (VS Code 1.100.3, installed into the git-ignored .vscode-test/ by
//    scripts/setup-test-host.sh, idempotent) on 127.0.0.1 with this checkout as a development extension; open the
//    printed address in your browser. Your HOME (and so ~/.claude, ~/.codex) is the extension's: your real logs.
// Options (after `npm start --`): --server (code-server even when `code` exists)  --port N (default 8088)
//   --smoke (CI: start code-server, open the workbench in headless Chromium, wait until AgentMeter's status bar
//   item shows, then stop; exit 0 on success).
// The CLI over the same core: `node dist/cli.js report` (or `npm link` once, then `agentmeter report`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const opt = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const say = (m) => console.log(`[agentmeter start] ${m}`);
const fail = (m) => {
  console.error(`[agentmeter start] ${m}`);
  process.exit(1);
};

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

async function main() {
  say('building dist/');
  run(process.execPath, [join(root, 'scripts/build.mjs')]);
  const smoke = flag('--smoke');
  if (!smoke && !flag('--server') && onPath('code')) {
    say('opening a VS Code window with AgentMeter from this checkout (code --extensionDevelopmentPath)');
    const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`], { stdio: 'inherit', detached: true });
    child.unref();
    say('CLI: node dist/cli.js report   (node dist/cli.js --help for the options)');
    return;
  }

  say('setting up the bundled code-server (cached after the first time)');
  run('bash', [join(root, 'scripts/setup-test-host.sh')]);
  const { startCodeServer } = await import('../test/integration/harness/codeServer.mjs');
  const state = join(root, '.vscode-test/start');
  const workspace = process.cwd() === root ? root : process.cwd();
  mkdirSync(state, { recursive: true });
  const server = await startCodeServer({
    workspace,
    userDataDir: join(state, smoke ? 'smoke-user-data' : 'user-data'),
    extensionsDir: join(state, 'extensions'),
    port: Number(opt('--port', smoke ? 0 : 8088)) || undefined,
  });
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(root)], ['skipWelcome', 'true']];
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  if (smoke) {
    let code = 1;
    try {
      code = await smokeCheck(url);
    } finally {
      server.stop();
    }
    process.exit(code);
  }
  say(`AgentMeter is running in VS Code at ${server.url}`);
  say(`open this address in your browser (it loads this checkout as an extension):\n\n  ${url}\n`);
  say('CLI: node dist/cli.js report   (node dist/cli.js --help for the options)');
  say('Ctrl+C stops the server.');
  if (onPath('xdg-open') && process.env.DISPLAY) spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).unref();
  await new Promise((resolve) => server.child.once('exit', resolve));
}

/** Opens the workbench in headless Chromium and waits for AgentMeter's status bar item. */
async function smokeCheck(url) {
  const { launchChromium } = await import('../test/integration/harness/browser.mjs');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90_000 });
    const item = page.locator('.statusbar-item[id$="agentmeter.usage"]').first();
    await item.waitFor({ state: 'visible', timeout: 90_000 });
    say(`smoke check: status bar shows "${(await item.innerText()).replace(/\s+/g, ' ').trim()}"`);
    return 0;
  } catch (e) {
    console.error(`[agentmeter start] smoke check failed: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    return 1;
  } finally {
    await browser.close();
  }
}

main().catch((e) => fail(e instanceof Error ? e.message.split('\n')[0] : String(e)));
