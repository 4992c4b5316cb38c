// `npm run test:team`: starts a throwaway PostgreSQL on 127.0.0.1 (scripts/pg/cluster.mjs), runs
// test/team/**/*.test.ts against it (its superuser's URL in AGENTMETER_TEST_PG_URL; each file makes its own database
// and logins), then stops the server and removes its data folder — also when the tests fail or the run is interrupted.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startCluster } from './pg/cluster.mjs';

const root = new URL('..', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(relative(root, p));
  }
})(join(root, 'test/team'));

const cluster = await startCluster();
let stopped = false;
const stop = () => {
  if (stopped) return;
  stopped = true;
  cluster.stop();
};
let child;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    try {
      if (child) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    stop();
    process.exit(1);
  });
}
console.log(`test:team: PostgreSQL on 127.0.0.1:${cluster.port}`);
const code = await new Promise((resolve) => {
  child = spawn(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files.sort()], {
    cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, AGENTMETER_TEST_PG_URL: cluster.url() },
  });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  child.on('error', () => resolve(1));
});
stop();
process.exit(code);
