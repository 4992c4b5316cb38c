import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Database } from 'sql.js';
import {
  addTeamMember, initTeamDatabase, openTeamConnection, pushTeam, readBudgets, readMachines, readTeamFacts, readTeamRole,
  setTeamBudget, TeamError, type TeamConnection,
} from '../../src/app/team/api';
import { cleanup, tmpDir } from '../unit/ingest/helpers';
import { indexMachine, writeMachineLogs } from './machineLogs';
import { LOGIN_PASSWORD, openTestDb, type TestDb } from './pgTestDb';
import { usageRows } from './usageTable';

const DAY = 86_400_000;
const NOW = Math.floor(Date.now() / 900_000) * 900_000;

let tdb: TestDb;
let dir: string;
let aliceDb: Database;
let bobDb: Database;
let alice: TeamConnection;
let bob: TeamConnection;
let lead: TeamConnection;
let logins: Record<string, string>;

before(async () => {
  tdb = await openTestDb();
  const adminConn = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  await initTeamDatabase(adminConn);
  logins = { alice: await tdb.createLogin('alice'), bob: await tdb.createLogin('bob'), lead: await tdb.createLogin('lead') };
  await addTeamMember(adminConn, logins.alice, 'alice');
  await addTeamMember(adminConn, logins.bob, "o'brien \"bob\"; DROP TABLE agentmeter.usage; --");
  await addTeamMember(adminConn, logins.lead, 'lead', true);
  await setTeamBudget(adminConn, null, 'monthly', 5000);
  await setTeamBudget(adminConn, 'alice', 'daily', 20);
  await setTeamBudget(adminConn, "o'brien \"bob\"; DROP TABLE agentmeter.usage; --", 'daily', 30);
  await adminConn.close();
  const as = (l: string) => openTeamConnection({ url: tdb.urlAs(l, LOGIN_PASSWORD) });
  [alice, bob, lead] = [await as(logins.alice), await as(logins.bob), await as(logins.lead)];
  dir = tmpDir('agentmeter-team-access-');
  aliceDb = await indexMachine(writeMachineLogs(join(dir, 'a'), { seed: 3, startMs: NOW - 10 * DAY, stepMs: 3600_000, calls: 120, sessions: 2 }));
  bobDb = await indexMachine(writeMachineLogs(join(dir, 'b'), { seed: 4, startMs: NOW - 10 * DAY, stepMs: 3600_000, calls: 100 }));
});

after(async () => {
  for (const c of [alice, bob, lead]) await c?.close();
  await tdb?.close();
  cleanup(dir);
});

const BOB = "o'brien \"bob\"; DROP TABLE agentmeter.usage; --";

test('members push their own rows (a name with quotes and SQL in it is plain text); roles are told apart', async () => {
  await pushTeam(aliceDb, alice, { member: 'alice', machine: 'a1', version: '0.1.0', nowMs: NOW });
  const r = await pushTeam(bobDb, bob, { member: BOB, machine: 'b1', version: '0.1.0', nowMs: NOW });
  assert.ok(r.buckets > 0);
  const members = new Set((await usageRows(tdb)).map((x) => x.member));
  assert.deepEqual([...members].sort(), [BOB, 'alice'].sort());
  assert.equal(await readTeamRole(alice), 'member');
  assert.equal(await readTeamRole(lead), 'lead');
});

test("a member cannot write another member's rows: a clear message, nothing written", async () => {
  const before = await usageRows(tdb);
  await assert.rejects(
    pushTeam(aliceDb, alice, { member: BOB, machine: 'a1', version: '0.1.0', nowMs: NOW }),
    (e: unknown) => e instanceof TeamError && e.kind === 'forbidden' && e.message.includes(`login ${logins.alice} may not write the rows of member ${JSON.stringify(BOB)}`) && !e.message.includes('\n'),
  );
  await assert.rejects(
    pushTeam(aliceDb, alice, { member: "alice'; DELETE FROM agentmeter.usage; --", machine: 'a1', version: '0.1.0', nowMs: NOW }),
    (e: unknown) => e instanceof TeamError && e.kind === 'forbidden',
  );
  assert.deepEqual(await usageRows(tdb), before);
  // nor change or delete them with plain SQL: row-level security hides them
  const c = new pg.Client(tdb.urlAs(logins.alice, LOGIN_PASSWORD));
  await c.connect();
  try {
    assert.equal((await c.query('UPDATE agentmeter.usage SET output = 0 WHERE member <> $1', ['alice'])).rowCount, 0);
    assert.equal((await c.query('DELETE FROM agentmeter.usage WHERE member <> $1', ['alice'])).rowCount, 0);
    await assert.rejects(c.query(`UPDATE agentmeter.usage SET member = $1 WHERE member = 'alice'`, [BOB]), /row-level security/);
    await assert.rejects(c.query(`INSERT INTO agentmeter.budgets (member, period, usd) VALUES ('alice', 'weekly', 1)`), /permission denied/);
  } finally {
    await c.end();
  }
  assert.deepEqual(await usageRows(tdb), before);
});

test('a member cannot read the team; a lead reads everything', async () => {
  const all = await usageRows(tdb);
  const aliceTeam = await readTeamFacts(alice, { scope: 'team' });
  assert.ok(aliceTeam.length > 0);
  assert.deepEqual([...new Set(aliceTeam.map((f) => f.member))], ['alice']);
  assert.deepEqual((await readMachines(alice)).map((m) => m.member), ['alice']);
  const leadTeam = await readTeamFacts(lead, { scope: 'team' });
  assert.equal(leadTeam.length, all.length);
  assert.deepEqual([...new Set(leadTeam.map((f) => f.member))].sort(), [BOB, 'alice'].sort());
  assert.equal((await readMachines(lead)).length, 2);
  // the dashboards' views are the lead's
  const c = new pg.Client(tdb.urlAs(logins.alice, LOGIN_PASSWORD));
  await c.connect();
  try {
    await assert.rejects(c.query('SELECT * FROM agentmeter.daily_usage'), /permission denied/);
  } finally {
    await c.end();
  }
});

test('budgets: the lead sets them, a member reads the team budget and its own', async () => {
  assert.deepEqual(await readBudgets(alice), [{ member: null, period: 'monthly', usd: 5000 }, { member: 'alice', period: 'daily', usd: 20 }]);
  assert.equal((await readBudgets(lead)).length, 3);
  await setTeamBudget(lead, 'alice', 'daily', 25);
  assert.deepEqual((await readBudgets(alice)).find((b) => b.member === 'alice'), { member: 'alice', period: 'daily', usd: 25 });
  await assert.rejects(setTeamBudget(alice, 'alice', 'daily', 1000), (e: unknown) => e instanceof TeamError && e.kind === 'forbidden');
});

test("the Grafana dashboard's queries run on the views as a lead (macros filled in as Grafana would)", async () => {
  const dash = JSON.parse(readFileSync(join(__dirname, '../../docs/grafana-team-dashboard.json'), 'utf8'));
  const c = new pg.Client(tdb.urlAs(logins.lead, LOGIN_PASSWORD));
  await c.connect();
  try {
    const queries = [dash.templating.list[0].query, ...dash.panels.flatMap((p: { targets: { rawSql: string }[] }) => p.targets.map((t) => t.rawSql))];
    assert.equal(queries.length, 7);
    for (const q of queries) {
      const sql = q
        .replace(/\$__timeFilter\((\w+)\)/g, "$1 > now() - interval '400 days'")
        .replace(/\$__timeGroupAlias\((\w+), '15m'\)/g, '$1 AS time')
        .replace(/\$\{member:sqlstring\}/g, "'alice'");
      const rows = (await c.query(sql)).rows;
      assert.ok(rows.length > 0, sql);
    }
  } finally {
    await c.end();
  }
});
