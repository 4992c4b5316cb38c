import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { initTeamDatabase, openTeamConnection, TeamError } from '../../src/app/team/api';
import { cleanup, tmpDir } from '../unit/ingest/helpers';
import { startCluster, type PgCluster } from '../../scripts/pg/cluster.mjs';

// a server of its own with TLS on (a certificate for 127.0.0.1 signed by a CA of the test's own)
let cluster: PgCluster;
let dir: string;

before(async () => {
  cluster = await startCluster({ tls: true });
  dir = tmpDir('agentmeter-team-tls-');
});

after(() => {
  cluster?.stop();
  cleanup(dir);
});

const url = (query: string) => `${cluster.url()}${query}`;

test('sslmode=verify-full with the CA in the URL (sslrootcert), or the CA given as a file: connected over TLS', async () => {
  for (const [target, opts] of [
    [{ url: url(`?sslmode=verify-full&sslrootcert=${encodeURIComponent(cluster.caFile!)}`) }, { checkSchema: false }],
    [{ url: cluster.url() }, { checkSchema: false, caFile: cluster.caFile }],
  ] as const) {
    const conn = await openTeamConnection(target, opts);
    try {
      const r = await conn.client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      assert.equal(r.rows[0].ssl, true);
      await initTeamDatabase(conn);
    } finally {
      await conn.close();
    }
  }
});

test('a certificate that does not chain to the given CA, or a CA file that cannot be read: one-line errors, nothing sent', async () => {
  // another CA, which did not sign the server's certificate
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=other CA', '-keyout', join(dir, 'o.key'), '-out', join(dir, 'other.pem')], { stdio: 'ignore' });
  await assert.rejects(openTeamConnection({ url: cluster.url() }, { caFile: join(dir, 'other.pem') }), (e: unknown) => {
    assert.ok(e instanceof TeamError);
    assert.equal(e.kind, 'tls', e.message);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
  await assert.rejects(openTeamConnection({ url: url(`?sslmode=verify-full&sslrootcert=${encodeURIComponent(join(dir, 'missing.pem'))}`) }), (e: unknown) => e instanceof TeamError && e.kind === 'bad-url');
});
