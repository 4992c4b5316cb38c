// Runs the UI tests (test/ui/*.test.mjs: playwright-core driving code-server in Chromium, on the packaged
// agentmeter.vsix) with node's test runner, under a hard time limit so a hang fails in minutes.
// Usage: node scripts/run-ui-tests.mjs   (npm run test:ui packages the VSIX and checks it first)
// Env: UPDATE_SCREENSHOTS=1 writes docs/screenshots/*.png (then shrunk by scripts/shrink-screenshots.mjs); KEEP_UI_SESSION=1 keeps the temp dir;
//      AGENTMETER_UI_TEST_TIMEOUT_MS (default 900000: the files run one after the other, and each bounds itself,
//      `before` + suite: extension.ui 150 + 300 s, year.ui 150 + 300 s).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const limitMs = Number(process.env.AGENTMETER_UI_TEST_TIMEOUT_MS ?? 900_000);
if (!existsSync(join(root, 'agentmeter.vsix'))) {
  console.error('run-ui-tests: agentmeter.vsix not found; run `npm run package` first');
  process.exit(2);
}
if (!existsSync(join(root, '.vscode-test/code-server/node_modules/.bin/code-server')) || !existsSync('/usr/bin/chromium')) {
  console.error('run-ui-tests: code-server or Chromium is missing; run `bash scripts/setup-test-host.sh` first (npm test does it by itself)');
  process.exit(2);
}
const files = readdirSync(join(root, 'test/ui')).filter((f) => f.endsWith('.test.mjs')).map((f) => join('test/ui', f));
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  cwd: root, stdio: 'inherit', detached: true,
});
const timer = setTimeout(() => {
  console.error(`run-ui-tests: no result after ${limitMs} ms, stopping the tests (and their code-server)`);
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000).unref();
}, limitMs);
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  // new README screenshots are packaged in the VSIX: shrink them (pngquant)
  if (process.env.UPDATE_SCREENSHOTS === '1') spawnSync(process.execPath, [join(root, 'scripts/shrink-screenshots.mjs')], { stdio: 'inherit' });
  process.exit(code ?? (signal ? 1 : 0));
});
