// Starts and stops code-server 4.100.3 (VS Code 1.100.3) from the cache that scripts/setup-test-host.sh fills.
// Every run gets its own user-data and extensions folders; the server is always killed by its PID.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
export const codeServerBin = join(repoRoot, '.vscode-test/code-server/node_modules/.bin/code-server');

export function assertTestHost() {
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server not found at ${codeServerBin}: run scripts/setup-test-host.sh first`);
  }
  if (!existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium not found: run scripts/setup-test-host.sh first');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Writes the user-data settings.json (e.g. the colour theme) before the server starts. */
export function writeUserSettings(userDataDir, settings) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Installs a VSIX into an extensions folder with code-server's own CLI (before the server starts). */
export function installVsix(vsix, { extensionsDir, userDataDir, env }) {
  return execFileSync(codeServerBin, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], {
    env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000,
  });
}

/**
 * Starts code-server on a free loopback port and resolves when it answers HTTP.
 * `env` is merged into the server's environment; the extension host inherits it (HOME, CLAUDE_CONFIG_DIR, CODEX_HOME).
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, env = {}, log = () => {}, startTimeoutMs = 60_000, port: fixedPort }) {
  assertTestHost();
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const port = fixedPort ?? (await freePort());
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, workspace,
  ];
  const child = spawn(codeServerBin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const onData = (d) => { output += d; for (const l of String(d).split('\n')) if (l.trim()) log(l); };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  live.add(child);
  child.on('exit', (code, signal) => { exited = { code, signal }; live.delete(child); });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      stop(child);
      throw new Error(`code-server did not answer within ${startTimeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, child, stop: () => stop(child), output: () => output };
}

/** Servers still running: killed when this process is told to stop (a runner's time limit, Ctrl+C). */
const live = new Set();
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.once(sig, () => {
    for (const c of live) { try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ } }
    process.exit(sig === 'SIGTERM' ? 143 : 130);
  });
}

/** Kills the server's whole process group (it forks the extension host and other helpers). */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
  t.unref();
  child.once('exit', () => clearTimeout(t));
}
