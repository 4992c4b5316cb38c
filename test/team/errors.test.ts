import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  addTeamMember, initTeamDatabase, openTeamConnection, pushTeam, resolveTeamTarget, TeamError, TEAM_SCHEMA_VERSION,
} from '../../src/app/team/api';
import { freePort } from '../../scripts/pg/cluster.mjs';
import { cleanup, tmpDir } from '../unit/ingest/helpers';
import { indexMachine, writeMachineLogs } from './machineLogs';
import { LOGIN_PASSWORD, openTestDb, type TestDb } from './pgTestDb';

let tdb: TestDb;
let login: string;
let dir: string;

before(async () => {
  tdb = await openTestDb();
  login = await tdb.createLogin('carol');
  dir = tmpDir('agentmeter-team-errors-');
});

after(async () => {
  await tdb?.close();
  cleanup(dir);
});

function isTeamError(kind: string, pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof TeamError, String(e));
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  };
}

test('a URL that is not one, and a CA file that cannot be read', () => {
  assert.throws(() => resolveTeamTarget({ url: 'mysql://x@h/db' }), isTeamError('bad-url', /must start with postgres:\/\//));
  assert.throws(() => resolveTeamTarget({ url: 'postgres://a:b@[::1' }), isTeamError('bad-url', /cannot be read/));
  assert.throws(() => resolveTeamTarget({ url: tdb.adminUrl }, { caFile: join(dir, 'missing.pem') }), isTeamError('bad-url', /CA file .*ENOENT/));
});

test('the URL comes from --postgres, else AGENTMETER_POSTGRES_URL, else the PG* variables; the identity never holds the password', () => {
  const env = { AGENTMETER_POSTGRES_URL: 'postgres://u1:secret@db.example:6543/team', PGHOST: 'other', PGUSER: 'u2' };
  assert.equal(resolveTeamTarget({ env }).identity, 'u1@db.example:6543/team');
  assert.equal(resolveTeamTarget({ url: 'postgresql://u3:pw@h3/d3?sslmode=require', env }).identity, 'u3@h3:5432/d3');
  assert.equal(resolveTeamTarget({ env: { PGHOST: 'pg.internal', PGPORT: '5433', PGUSER: 'u4', PGDATABASE: 'd4', PGPASSWORD: 'x' } }).identity, 'u4@pg.internal:5433/d4');
});

test('a database nobody listens on: unreachable', async () => {
  const port = await freePort();
  await assert.rejects(openTeamConnection({ url: `postgres://x:y@127.0.0.1:${port}/db` }, { connectTimeoutMs: 3000 }), isTeamError('unreachable', /unreachable/));
});

test('TLS required by the URL from a server without TLS: a TLS error', async () => {
  const u = new URL(tdb.adminUrl);
  u.searchParams.set('sslmode', 'require');
  await assert.rejects(openTeamConnection({ url: u.toString() }), isTeamError('tls', /TLS failed.*does not support SSL/));
});

test('a wrong password: login refused', async () => {
  await assert.rejects(openTeamConnection({ url: tdb.urlAs(login, 'wrong') }), isTeamError('auth', /login refused.*password authentication failed/));
});

test('not initialised: says to run team init; then a newer schema is refused by connect, push and init alike, nothing written', async () => {
  await assert.rejects(openTeamConnection({ url: tdb.adminUrl }), isTeamError('not-initialised', /agentmeter team init/));
  const admin = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  try {
    assert.deepEqual(await initTeamDatabase(admin), { from: 0, to: TEAM_SCHEMA_VERSION });
    assert.deepEqual(await initTeamDatabase(admin), { from: TEAM_SCHEMA_VERSION, to: TEAM_SCHEMA_VERSION }, 'idempotent');
    await addTeamMember(admin, login, 'carol');
    await assert.rejects(addTeamMember(admin, 'no_such_login_x', 'carol'), isTeamError('bad-input', /no database login "no_such_login_x"/));
  } finally {
    await admin.close();
  }
  const conn = await openTeamConnection({ url: tdb.urlAs(login, LOGIN_PASSWORD) });
  const db = await indexMachine(writeMachineLogs(join(dir, 'm'), { seed: 9, startMs: Date.now() - 86_400_000, stepMs: 600_000, calls: 20 }));
  // a newer AgentMeter migrated the database meanwhile
  await tdb.admin(`UPDATE agentmeter.meta SET value = '${TEAM_SCHEMA_VERSION + 1}' WHERE key = 'schema_version'`);
  try {
    await assert.rejects(pushTeam(db, conn, { member: 'carol', machine: 'm', version: '0.1.0' }), isTeamError('newer-schema', /newer than this AgentMeter understands.*update AgentMeter/));
  } finally {
    await conn.close();
  }
  await assert.rejects(openTeamConnection({ url: tdb.urlAs(login, LOGIN_PASSWORD) }), isTeamError('newer-schema', new RegExp(`schema version ${TEAM_SCHEMA_VERSION + 1}, newer`)));
  const admin2 = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  try {
    await assert.rejects(initTeamDatabase(admin2), isTeamError('newer-schema', /update AgentMeter/));
  } finally {
    await admin2.close();
  }
  assert.deepEqual(await tdb.admin('SELECT count(*)::int AS n FROM agentmeter.usage'), [{ n: 0 }]);
  assert.deepEqual(await tdb.admin('SELECT count(*)::int AS n FROM agentmeter.machines'), [{ n: 0 }]);
});

test('member and machine names: empty, too long or with control characters are refused before anything is sent', async () => {
  await tdb.admin(`UPDATE agentmeter.meta SET value = '${TEAM_SCHEMA_VERSION}' WHERE key = 'schema_version'`);
  const conn = await openTeamConnection({ url: tdb.urlAs(login, LOGIN_PASSWORD) });
  const db = await indexMachine(writeMachineLogs(join(dir, 'n'), { seed: 10, startMs: Date.now() - 86_400_000, stepMs: 600_000, calls: 5 }));
  try {
    for (const member of ['', 'x'.repeat(201), 'a\nb', 'nul\u0000']) {
      await assert.rejects(pushTeam(db, conn, { member, machine: 'm', version: '0.1.0' }), isTeamError('bad-input', /member name must be 1 to 200 characters/));
    }
    await assert.rejects(pushTeam(db, conn, { member: 'carol', machine: '', version: '0.1.0' }), isTeamError('bad-input', /machine name/));
  } finally {
    await conn.close();
  }
  assert.deepEqual(await tdb.admin('SELECT count(*)::int AS n FROM agentmeter.usage'), [{ n: 0 }]);
});
