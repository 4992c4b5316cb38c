import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Database } from 'sql.js';
import { addTeamMember, initTeamDatabase, openTeamConnection, pushTeam, TeamError, type TeamConnection } from '../../src/app/team/api';
import { teamBuckets } from '../../src/app/team/push';
import { cleanup, tmpDir } from '../unit/ingest/helpers';
import { indexMachine, writeMachineLogs } from './machineLogs';
import { LOGIN_PASSWORD, openTestDb, type TestDb } from './pgTestDb';
import { usageRows } from './usageTable';

const DAY = 86_400_000;
const NOW = Math.floor(Date.now() / 900_000) * 900_000;

// this file stops and starts its own server
let tdb: TestDb;
let dir: string;
let db: Database;
let url: string;

before(async () => {
  tdb = await openTestDb({ ownCluster: true });
  const admin = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  await initTeamDatabase(admin);
  const login = await tdb.createLogin('dave');
  await addTeamMember(admin, login, 'dave');
  await admin.close();
  url = tdb.urlAs(login, LOGIN_PASSWORD);
  dir = tmpDir('agentmeter-team-crash-');
  db = await indexMachine(writeMachineLogs(join(dir, 'm'), { seed: 5, startMs: NOW - 100 * DAY, stepMs: 2 * 3600_000, calls: 1100, sessions: 6 }));
});

after(async () => {
  await tdb?.close();
  cleanup(dir);
});

/** A connection whose server is stopped right before its `n`th INSERT of usage rows (inside a push's transaction). */
function stopBeforeInsert(conn: TeamConnection, n: number): TeamConnection {
  let inserts = 0;
  return {
    ...conn,
    client: {
      query(text, params) {
        if (text.includes('INSERT INTO agentmeter.usage') && ++inserts === n) tdb.cluster!.pause('immediate');
        return conn.client.query(text, params);
      },
    },
  };
}

async function assertExact(): Promise<void> {
  const local = teamBuckets(db, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'folder', '');
  const remote = await usageRows(tdb);
  assert.equal(remote.length, local.length);
  const sum = <T>(rows: readonly T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);
  const columns = [['output', 'output'], ['cacheRead', 'cache_read'], ['requests', 'requests'], ['input', 'input']] as const;
  for (const [l, r] of columns) {
    assert.equal(sum(remote, (x) => Number(x[r])), sum(local, (b) => b[l]));
  }
}

test('the database stopped in the middle of the first push, then started: the next push resumes and the totals are exact', async () => {
  const conn = await openTeamConnection({ url });
  const batches: number[] = [];
  await assert.rejects(
    pushTeam(db, stopBeforeInsert(conn, 3), { member: 'dave', machine: 'm', version: '0.1.0', nowMs: NOW }, (p) => batches.push(p.batch)),
    (e: unknown) => e instanceof TeamError && e.kind === 'unreachable' && e.retryable && !e.message.includes('\n'),
  );
  assert.deepEqual(batches, [1, 2], 'two months committed, the third rolled back');
  await conn.close();
  tdb.cluster!.resume();
  const partial = await usageRows(tdb);
  assert.ok(partial.length > 0);

  const again = await openTeamConnection({ url });
  try {
    const r = await pushTeam(db, again, { member: 'dave', machine: 'm', version: '0.1.0', nowMs: NOW });
    assert.equal(r.full, false, 'resumed, not started over');
    assert.ok(r.fromMs! > NOW - 100 * DAY, 'from the month that failed');
  } finally {
    await again.close();
  }
  await assertExact();
});

test('stopped in the middle of a later push (the last days sent again: rows deleted, not yet inserted), then started: exact, nothing lost or doubled', async () => {
  const conn = await openTeamConnection({ url });
  await assert.rejects(
    pushTeam(db, stopBeforeInsert(conn, 1), { member: 'dave', machine: 'm', version: '0.1.0', nowMs: NOW - 7 * DAY }),
    (e: unknown) => e instanceof TeamError && e.kind === 'unreachable',
  );
  await conn.close();
  tdb.cluster!.resume();
  await assertExact();
  const again = await openTeamConnection({ url });
  try {
    const r = await pushTeam(db, again, { member: 'dave', machine: 'm', version: '0.1.0', nowMs: NOW - 7 * DAY });
    assert.ok(r.buckets > 10, 'the replayed days hold usage');
    await pushTeam(db, again, { member: 'dave', machine: 'm', version: '0.1.0', nowMs: NOW - 7 * DAY });
  } finally {
    await again.close();
  }
  await assertExact();
});
