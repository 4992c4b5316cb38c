import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { freePort } from '../../scripts/pg/cluster.mjs';
import { openTeamConnection, readTeamRole } from '../../src/app/team/api';
import { cli, ensureBuilt } from '../unit/cli/cliRun';
import { cleanup, tmpDir } from '../unit/ingest/helpers';
import { writeMachineLogs, type MachineLogs } from './machineLogs';
import { LOGIN_PASSWORD, openTestDb, type TestDb } from './pgTestDb';

const DAY = 86_400_000;
/** A row of `report --format json` (local or --team): the fields compared here. */
interface JsonRow {
  key: string;
  totalTokens: number;
  member?: string | null;
}
const NOW = Date.now();

let tdb: TestDb;
let dir: string;
let logs: MachineLogs;
let member: string;
let lead: string;
/** git's global config of the runs: user.email = alice@example.com (the default member); no repository */
let gitEnv: Record<string, string>;

before(async () => {
  ensureBuilt();
  tdb = await openTestDb();
  member = await tdb.createLogin('alice');
  lead = await tdb.createLogin('lead');
  dir = tmpDir('agentmeter-team-cli-');
  logs = writeMachineLogs(join(dir, 'logs'), { seed: 7, startMs: NOW - 45 * DAY, stepMs: 3 * 3600_000, calls: 350, sessions: 3 });
  writeFileSync(join(dir, 'gitconfig'), '[user]\n\temail = alice@example.com\n');
  gitEnv = { GIT_CONFIG_GLOBAL: join(dir, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1', GIT_DIR: join(dir, 'no-repo') };
});

after(async () => {
  await tdb?.close();
  cleanup(dir);
});

const logDirs = () => ['--claude-dir', logs.claude, '--codex-dir', logs.codex];
const oneLine = (s: string) => s.trim().split('\n').length === 1;

test('team init: creates the schema, then says it is already there (exit 0); unreachable: one line, exit 3', async () => {
  const first = await cli(['team', 'init', '--postgres', tdb.adminUrl]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /schema version 0 → 2/);
  const again = await cli(['team', 'init', '--postgres', tdb.adminUrl]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already at schema version 2/);
  const port = await freePort();
  const down = await cli(['team', 'init', '--postgres', `postgres://a:b@127.0.0.1:${port}/x`]);
  assert.equal(down.code, 3);
  assert.ok(oneLine(down.stderr), down.stderr);
  assert.match(down.stderr, /^agentmeter: team database a@127\.0\.0\.1:\d+\/x unreachable/);
  // the URL from AGENTMETER_POSTGRES_URL
  const env = await cli(['team', 'init'], { AGENTMETER_POSTGRES_URL: tdb.adminUrl });
  assert.equal(env.code, 0, env.stderr);
});

test('team add-member and budget (exit 0); bad arguments exit 2 with one line', async () => {
  for (const [login, name, extra] of [[member, 'alice@example.com', []], [lead, 'lead@example.com', ['--lead']]] as const) {
    const r = await cli(['team', 'add-member', '--postgres', tdb.adminUrl, '--login', login, '--member', name, ...extra]);
    assert.equal(r.code, 0, r.stderr);
  }
  const b = await cli(['team', 'budget', '--postgres', tdb.adminUrl, '--period', 'monthly', '--usd', '1500']);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(await tdb.admin('SELECT member, period, usd::float8 AS usd FROM agentmeter.budgets'), [{ member: '', period: 'monthly', usd: 1500 }]);
  for (const args of [
    ['team', 'add-member', '--postgres', tdb.adminUrl, '--login', member],
    ['team', 'frobnicate'],
    ['team', 'budget', '--period', 'yearly', '--usd', '5'],
    ['sync', '--postgres', 'mysql://x/y'],
    ['sync', '--projects', 'weird'],
    ['sync', '--projects', 'hash', '--member', 'a'],
    ['sync', '--db', 'x', '--no-cache'],
    ['report', '--team', '--by', 'session'],
  ]) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
  }
  const unknownLogin = await cli(['team', 'add-member', '--postgres', tdb.adminUrl, '--login', 'nobody_here', '--member', 'x']);
  assert.equal(unknownLogin.code, 2);
  assert.match(unknownLogin.stderr, /no database login "nobody_here".*--create-login/);
});

test('team add-member --create-login: a missing login is created with a random password printed once (or one from --password-env), and can push at once', async () => {
  const suffix = randomBytes(4).toString('hex');
  const fresh = `carol_${suffix}`;
  const fromEnv = `dave_${suffix}`;
  try {
    const r = await cli(['team', 'add-member', '--postgres', tdb.adminUrl, '--login', fresh, '--member', 'carol@example.com', '--create-login']);
    assert.equal(r.code, 0, r.stderr);
    const password = /with the password (\S+) \(shown once/.exec(r.stdout)?.[1];
    assert.ok(password && password.length >= 24, r.stdout);
    const conn = await openTeamConnection({ url: tdb.urlAs(fresh, password) });
    try {
      assert.equal(await readTeamRole(conn), 'member');
    } finally {
      await conn.close();
    }
    // again: the login exists, its password is unchanged (still connects), nothing printed as a password
    const again = await cli(['team', 'add-member', '--postgres', tdb.adminUrl, '--login', fresh, '--member', 'carol@example.com', '--create-login']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already existed: its password is unchanged/);
    assert.doesNotMatch(again.stdout, /with the password/);
    const still = await openTeamConnection({ url: tdb.urlAs(fresh, password) });
    await still.close();

    const env = await cli(['team', 'add-member', '--postgres', tdb.adminUrl, '--login', fromEnv, '--member', 'dave@example.com', '--create-login', '--password-env', 'NEW_PW'],
      { NEW_PW: "it's a long 'quoted' pw; DROP ROLE x" });
    assert.equal(env.code, 0, env.stderr);
    assert.doesNotMatch(env.stdout, /DROP ROLE/, 'the password from the environment is not printed');
    const byEnv = await openTeamConnection({ url: tdb.urlAs(fromEnv, "it's a long 'quoted' pw; DROP ROLE x") });
    await byEnv.close();
    for (const args of [['--password-env', 'NEW_PW'], ['--create-login', '--password-env', 'UNSET_VAR_X']]) {
      const bad = await cli(['team', 'add-member', '--postgres', tdb.adminUrl, '--login', `eve_${suffix}`, '--member', 'eve', ...args]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.ok(oneLine(bad.stderr), bad.stderr);
    }
    const short = await cli(['team', 'add-member', '--postgres', tdb.adminUrl, '--login', `eve_${suffix}`, '--member', 'eve', '--create-login', '--password-env', 'P'], { P: 'short' });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 12 characters/);
    assert.deepEqual(await tdb.admin('SELECT 1 FROM pg_roles WHERE rolname = $1', [`eve_${suffix}`]), [], 'nothing created');
  } finally {
    for (const l of [fresh, fromEnv]) await tdb.admin(`DROP ROLE IF EXISTS ${l}`).catch(() => undefined);
  }
});

test('sync: pushes the index (member from git config), keeps its push state in the index; then only the last days', async () => {
  const url = tdb.urlAs(member, LOGIN_PASSWORD);
  const db = join(dir, 'index.sqlite');
  const first = await cli(['sync', '--postgres', url, ...logDirs(), '--db', db, '--machine', 'laptop'], gitEnv);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^pushed \d+ buckets \(from .*, [2-9] transactions\) to .* as "alice@example.com" on "laptop"\n$/);
  const second = await cli(['sync', '--postgres', url, ...logDirs(), '--db', db, '--machine', 'laptop'], gitEnv);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /, 1 transaction\)/);
  const from = Date.parse(/from (\S+),/.exec(second.stdout)![1]);
  assert.ok(NOW - from <= 3 * DAY + 900_000 && NOW - from >= 3 * DAY - 900_000, 'the last 3 days again');
  // no member and no git email: a bad argument
  const noMember = await cli(['sync', '--postgres', url, ...logDirs(), '--no-cache'], { GIT_CONFIG_NOSYSTEM: '1', GIT_DIR: join(dir, 'no-repo') });
  assert.equal(noMember.code, 2);
  assert.match(noMember.stderr, /--member NAME is needed/);
  // a member this login is not bound to: refused, exit 1
  const other = await cli(['sync', '--postgres', url, ...logDirs(), '--no-cache', '--member', "bob'; --"], gitEnv);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /may not write the rows of member "bob'; --"/);
  // wrong password, and a server that is not there: exit 3
  const wrong = await cli(['sync', '--postgres', tdb.urlAs(member, 'nope'), ...logDirs(), '--no-cache'], gitEnv);
  assert.equal(wrong.code, 3);
  assert.match(wrong.stderr, /login refused/);
  const port = await freePort();
  const down = await cli(['sync', '--postgres', `postgres://a:b@127.0.0.1:${port}/x`, ...logDirs(), '--no-cache'], gitEnv);
  assert.equal(down.code, 3);
  assert.ok(oneLine(down.stderr), down.stderr);
});

test('report --team: the JSON shape of report plus member and machine; totals equal the local report to the token and cent', async () => {
  const local = await cli(['report', ...logDirs(), '--no-cache', '--format', 'json', '--timezone', 'UTC']);
  assert.equal(local.code, 0, local.stderr);
  const l = JSON.parse(local.stdout);
  const r = await cli(['report', '--team', '--postgres', tdb.urlAs(lead, LOGIN_PASSWORD), '--by', 'machine', '--format', 'json', '--timezone', 'UTC']);
  assert.equal(r.code, 0, r.stderr);
  const t = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(t).slice(0, 5), ['by', 'timezone', 'rows', 'totals', 'skipped']);
  assert.equal(t.rows.length, 1);
  assert.equal(t.rows[0].member, 'alice@example.com');
  assert.equal(t.rows[0].machine, 'laptop');
  assert.equal(t.rows[0].key, 'laptop');
  for (const k of ['requests', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens']) {
    assert.equal(t.totals[k], l.totals[k], k);
  }
  assert.equal(Math.round(t.totals.costUSD * 100), Math.round(l.totals.costUSD * 100));
  assert.deepEqual(t.machines.map((m: { member: string; machine: string }) => [m.member, m.machine]), [['alice@example.com', 'laptop']]);
  // by day: the same days and figures as the local report
  const days = JSON.parse((await cli(['report', '--team', '--postgres', tdb.urlAs(lead, LOGIN_PASSWORD), '--by', 'day', '--format', 'json', '--timezone', 'UTC'])).stdout);
  assert.deepEqual(days.rows.map((x: JsonRow) => [x.key, x.totalTokens, x.member]), l.rows.map((x: JsonRow) => [x.key, x.totalTokens, null]));
  const table = await cli(['report', '--team', '--postgres', tdb.urlAs(lead, LOGIN_PASSWORD)]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /alice@example\.com/);
  assert.match(table.stdout, /alice@example\.com \/ laptop: last push/);
  const csv = await cli(['report', '--team', '--postgres', tdb.urlAs(lead, LOGIN_PASSWORD), '--by', 'member', '--format', 'csv']);
  assert.match(csv.stdout.split('\r\n')[0], /,member,machine$/);
});

test('report --team --format md|xlsx: the team documents; totals equal report --team --format json; sessions say why they are empty', async () => {
  const url = tdb.urlAs(lead, LOGIN_PASSWORD);
  const j = await cli(['report', '--team', '--postgres', url, '--format', 'json', '--timezone', 'UTC']);
  assert.equal(j.code, 0, j.stderr);
  const expected = JSON.parse(j.stdout);
  assert.ok(expected.totals.totalTokens > 0);
  const md = await cli(['report', '--team', '--postgres', url, '--format', 'md', '--timezone', 'UTC']);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /## By member/);
  assert.match(md.stdout, /\| alice@example\.com \|/);
  assert.match(md.stdout, /Team database [^\s,]+@[^\s,]+\/[^\s,]+, 1 members, 1 machines/);
  assert.match(md.stdout, /\| alice@example\.com \| laptop \|/);
  const file = join(dir, 'team.xlsx');
  const x = await cli(['report', '--team', '--postgres', url, '--format', 'xlsx', '--out', file, '--timezone', 'UTC']);
  assert.equal(x.code, 0, x.stderr);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  assert.deepEqual(wb.worksheets.map((w) => w.name), ['Report', 'By day', 'By agent', 'By model', 'By member', 'Team database']);
  for (const name of ['By day', 'By agent', 'By model', 'By member']) {
    const ws = wb.getWorksheet(name)!;
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    const body = rows.filter((r) => r[0] !== 'Total');
    const sum = (h: string) => body.reduce((s: number, r) => s + (r[header.indexOf(h)] as number), 0);
    assert.equal(sum('Total tokens'), expected.totals.totalTokens, name);
    assert.equal(sum('Requests'), expected.totals.requests, name);
    assert.equal(Math.round(sum('Cost (USD)') * 100), Math.round(expected.totals.costUSD * 100), name);
  }
  const sessions = await cli(['report', '--team', '--postgres', url, '--format', 'md', '--template', 'sessions']);
  assert.equal(sessions.code, 0, sessions.stderr);
  assert.match(sessions.stdout, /No sessions in team scope: machines never send sessions to the team database\./);
  // a document option without a document format: one line, exit 2
  const bad = await cli(['report', '--team', '--postgres', url, '--format', 'json', '--template', 'sessions']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--template is only for --format md\|html\|xlsx\|pdf/);
});
