// A throwaway PostgreSQL cluster on 127.0.0.1 for the team database's tests and bench (issue 16): Debian's
// postgresql binaries (scripts/setup-test-host.sh installs them), a free port, a temporary data folder, a
// superuser with a password (host connections use scram-sha-256, so a wrong password is refused as in real life).
// initdb and postgres refuse to run as root: as root they run as the `postgres` OS user (runuser), the data folder
// chowned to it. `stop()` stops the server and removes the folder; call it in a finally (and on signals).
// `tls: true`: TLS on, with a certificate for 127.0.0.1 signed by a CA of its own (`caFile`).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const ADMIN_USER = 'agentmeter_admin';
export const ADMIN_PASSWORD = 'admin-pw-for-tests';

/** The newest /usr/lib/postgresql/<v>/bin (or AGENTMETER_PG_BIN). */
export function pgBinDir() {
  if (process.env.AGENTMETER_PG_BIN) return process.env.AGENTMETER_PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('PostgreSQL not found in /usr/lib/postgresql: run scripts/setup-test-host.sh');
  return join(base, versions[0], 'bin');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function pgUser() {
  if (userInfo().uid !== 0) return null;
  const out = execFileSync('id', ['-u', 'postgres']).toString().trim();
  const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
  return { uid: Number(out), gid: Number(gid) };
}

/**
 * Starts a cluster. Returns { url(db?, user?, password?), port, dataDir, stop(), pause(), resume() }: pause stops
 * the server (the data kept), resume starts it again on the same port.
 */
export async function startCluster({ maxConnections = 200, tls = false } = {}) {
  const bin = pgBinDir();
  const asPg = pgUser();
  const dataDir = mkdtempSync(join(tmpdir(), 'agentmeter-pg-'));
  const run = (cmd, args, opts = {}) => {
    const full = join(bin, cmd);
    const [file, argv] = asPg ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
    return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  };
  const pgdata = join(dataDir, 'data');
  const pwfile = join(dataDir, 'pw');
  writeFileSync(pwfile, `${ADMIN_PASSWORD}\n`);
  if (asPg) {
    chownSync(dataDir, asPg.uid, asPg.gid);
    chownSync(pwfile, asPg.uid, asPg.gid);
  }
  chmodSync(dataDir, 0o700);
  let port = 0;
  let running = false;
  // TLS: a CA of its own (ca.pem, for the clients) and a server certificate for 127.0.0.1 signed by it
  const tlsArgs = tls ? makeCertificates(dataDir, asPg) : '';
  const start = () => {
    run('pg_ctl', ['-D', pgdata, '-l', join(dataDir, 'log'), '-w', '-t', '60', '-o',
      `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=${maxConnections}${tlsArgs}`,
      'start']);
    running = true;
  };
  const stopServer = (mode = 'fast') => {
    if (!running) return;
    running = false;
    try {
      run('pg_ctl', ['-D', pgdata, '-m', mode, '-w', 'stop']);
    } catch {
      /* already gone */
    }
  };
  try {
    run('initdb', ['-D', pgdata, '-U', ADMIN_USER, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256',
      '-E', 'UTF8', '--locale=C']);
    port = await freePort();
    start();
  } catch (e) {
    stopServer('immediate');
    rmSync(dataDir, { recursive: true, force: true });
    const err = /** @type {any} */ (e);
    throw new Error(`could not start PostgreSQL: ${String(err.stderr ?? err.message).trim().split('\n').slice(-3).join(' ')}`);
  }
  const url = (db = 'postgres', user = ADMIN_USER, password = ADMIN_PASSWORD) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  return {
    port,
    dataDir,
    caFile: tls ? join(dataDir, 'ca.pem') : undefined,
    url,
    /** stops the server, keeping its data (a database gone in the middle of a push) */
    pause: (mode = 'immediate') => stopServer(mode),
    /** starts it again on the same port */
    resume: () => start(),
    stop: () => {
      stopServer('immediate');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A CA and a server certificate (CN and SAN 127.0.0.1) in `dir`; returns the postgres options that turn TLS on. */
function makeCertificates(dir, asPg) {
  const ssl = (args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=agentmeter test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName = IP:127.0.0.1\n');
  ssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem']);
  for (const f of ['server.key', 'server.pem', 'ca.pem']) {
    if (asPg) chownSync(join(dir, f), asPg.uid, asPg.gid);
  }
  chmodSync(join(dir, 'server.key'), 0o600);
  chmodSync(join(dir, 'ca.pem'), 0o644);
  return ` -c ssl=on -c ssl_cert_file=${join(dir, 'server.pem')} -c ssl_key_file=${join(dir, 'server.key')}`;
}
