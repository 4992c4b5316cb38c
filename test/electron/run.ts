// Runs the same integration suite (test/integration) through @vscode/test-electron, for machines that can
// download VS Code (this workplace cannot; here scripts/run-vscode-tests.mjs runs it in code-server instead).
// Usage: npx tsx test/electron/run.ts   (env VSCODE_TEST_VERSION, default 'stable')
import { runTests } from '@vscode/test-electron';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSuite } from '../integration/harness/buildSuite.mjs';
import { makeFixtureHome } from '../integration/fixtures/fixtureHome.mjs';

async function main(): Promise<number> {
  const repoRoot = resolve(__dirname, '../..');
  const suite = await buildSuite(repoRoot);
  const root = mkdtempSync(join(tmpdir(), 'agentmeter-electron-'));
  const fx = makeFixtureHome(root);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# fixture workspace\n');
  try {
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite.entry,
      launchArgs: [workspace, '--disable-workspace-trust', '--disable-extensions', '--user-data-dir', join(root, 'ud')],
      // The extension host inherits these: the fixture logs instead of the user's own.
      extensionTestsEnv: {
        ...fx.env,
        XDG_CONFIG_HOME: join(fx.home, '.config'),
        AGENTMETER_TEST_FIXTURE_ROOT: root,
        AGENTMETER_TEST_REPO: repoRoot,
        AGENTMETER_TEST_NODE: process.execPath,
      },
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('Electron integration tests failed to run:', err);
    process.exit(1);
  },
);
