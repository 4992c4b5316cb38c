/**
 * AgentMeter: Create Report… in the Team and Me, all machines scopes (issue 17 §2), against a real PostgreSQL: the
 * index worker as shipped (bundled, with its report renderers) reads the team database through the team connection
 * the editor gives it and writes the document; its sums equal `agentmeter report --team --format json` for the same
 * login; a member's login gets its own rows only, and the document says so; an unreachable database writes nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { freePort } from '../../scripts/pg/cluster.mjs';
import { addTeamMember, initTeamDatabase, openTeamConnection, type TeamConnection } from '../../src/app/team/api';
import { startIndexWorker, type IndexWorkerClient } from '../../src/app/indexWorker/client';
import type { TeamReportQuery } from '../../src/app/indexWorker/teamWorker';
import { TeamSync } from '../../src/host/team/teamSync';
import { parseSettings } from '../../src/app/settingsParse';
import { bundledIndexWorker } from '../unit/host/bundleIndexWorker';
import { cli, ensureBuilt } from '../unit/cli/cliRun';
import { cleanup, rootsFor, tmpDir } from '../unit/ingest/helpers';
import { writeMachineLogs } from './machineLogs';
import { LOGIN_PASSWORD, openTestDb, type TestDb } from './pgTestDb';

const DAY = 86_400_000;
const NOW = Date.now();
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const settings = parseSettings((k) => (k === 'timeZone' ? 'UTC' : undefined)).settings;

let tdb: TestDb;
let admin: TeamConnection;
let dir: string;
let aliceUrl: string;
let leadUrl: string;
let worker: IndexWorkerClient;
const workers: IndexWorkerClient[] = [];

/** A machine's index built from its logs, pushed to the team database as `member` from `machine`. */
async function pushMachine(seed: number, member: string, url: string, machine: string, calls: number): Promise<IndexWorkerClient> {
  const logs = writeMachineLogs(join(dir, `${member}-${machine}`), { seed, startMs: NOW - 40 * DAY, stepMs: 3 * 3600_000, calls, sessions: 2 });
  const w = startIndexWorker({ script: await bundledIndexWorker(), wasmPath: '', ingestWorkerScript: '', logger: quiet });
  workers.push(w);
  await w.openWritable(join(dir, `${member}-${machine}.sqlite`));
  await w.startIndexer(rootsFor({ claude: logs.claude, codex: logs.codex }));
  await w.refresh();
  await new TeamSync({
    backend: w, url: () => url, settings: () => settings.team, identity: async () => ({ member, machine }), isWriter: () => true, version: '0.2.0-test', logger: quiet,
  }).pushNow();
  return w;
}

/** The report request as the editor's Create Report sends it (writeReportInWorker), for the team database. */
function teamQuery(url: string, teamScope: 'team' | 'me-all', member: string, format: TeamReportQuery['format'], path: string): TeamReportQuery {
  return {
    template: 'summary', period: { preset: 'all' }, scope: { sources: [] }, format, path, timeZone: 'UTC', weekStart: 1, priceOverrides: {},
    target: { url, caFile: null }, teamScope, member, locale: 'en',
  };
}

interface Sums {
  totalTokens: number;
  requests: number;
  cents: number;
}

/** Each data sheet's body (without its Total row) summed: the workbook as a spreadsheet user would add it up. */
async function sheetSums(file: string): Promise<Record<string, Sums>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: Record<string, Sums> = {};
  for (const ws of wb.worksheets) {
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    if (!header.includes('Total tokens')) continue;
    const body: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) body.push((row.values as unknown[]).slice(1));
    });
    const rows = body.filter((r) => r[0] !== 'Total');
    const sum = (h: string) => rows.reduce((s: number, r) => s + (r[header.indexOf(h)] as number), 0);
    out[ws.name] = { totalTokens: sum('Total tokens'), requests: sum('Requests'), cents: Math.round(sum('Cost (USD)') * 100) };
  }
  return out;
}

async function cliJson(args: string[]): Promise<{ totals: { totalTokens: number; requests: number; costUSD: number } }> {
  const r = await cli(['report', '--team', '--format', 'json', '--timezone', 'UTC', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const expectedSums = (j: Awaited<ReturnType<typeof cliJson>>): Sums => ({ totalTokens: j.totals.totalTokens, requests: j.totals.requests, cents: Math.round(j.totals.costUSD * 100) });

before(async () => {
  ensureBuilt();
  tdb = await openTestDb();
  admin = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  await initTeamDatabase(admin);
  const alice = await tdb.createLogin('alice');
  const bob = await tdb.createLogin('bob');
  const lead = await tdb.createLogin('lead');
  await addTeamMember(admin, alice, ALICE);
  await addTeamMember(admin, bob, BOB);
  await addTeamMember(admin, lead, 'lead@example.com', true);
  aliceUrl = tdb.urlAs(alice, LOGIN_PASSWORD);
  leadUrl = tdb.urlAs(lead, LOGIN_PASSWORD);
  dir = tmpDir('agentmeter-team-report-');
  worker = await pushMachine(21, ALICE, aliceUrl, 'laptop', 260);
  await pushMachine(22, ALICE, aliceUrl, 'desktop', 90);
  await pushMachine(23, BOB, tdb.urlAs(bob, LOGIN_PASSWORD), 'box', 120);
});

after(async () => {
  for (const w of workers) await w.terminate();
  await admin?.close();
  await tdb?.close();
  cleanup(dir);
});

test('Team scope with a lead\'s login: the worker\'s .xlsx sums equal report --team --format json; every member and machine', async () => {
  const file = join(dir, 'team.xlsx');
  const written = await worker.teamWriteReport(teamQuery(leadUrl, 'team', 'lead@example.com', 'xlsx', file));
  const expected = await cliJson(['--postgres', leadUrl]);
  assert.equal(written.totalTokens, expected.totals.totalTokens);
  const sums = await sheetSums(file);
  assert.deepEqual(Object.keys(sums), ['By day', 'By agent', 'By model', 'By member']);
  for (const [name, s] of Object.entries(sums)) assert.deepEqual(s, expectedSums(expected), name);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const members = wb.getWorksheet('By member')!.getColumn(1).values.slice(2).map(String).filter((v) => v !== 'Total');
  assert.deepEqual(members.sort(), [ALICE, BOB]);
  const machines: string[] = [];
  wb.getWorksheet('Team database')!.eachRow((row, n) => {
    if (n > 1 && row.getCell(2).value !== null) machines.push(`${row.getCell(1).value}/${row.getCell(2).value}`);
  });
  assert.deepEqual(machines.sort(), [`${ALICE}/desktop`, `${ALICE}/laptop`, `${BOB}/box`]);

  const md = join(dir, 'team.md');
  await worker.teamWriteReport(teamQuery(leadUrl, 'team', 'lead@example.com', 'md', md));
  const text = readFileSync(md, 'utf8');
  assert.match(text, /Team database [^\s,]+, 2 members, 3 machines; last push per machine below\. Read with a lead's login: every member's rows\./);

  // the budgets template: the editor's budgets are the member's own, never held against the team's spend
  const budgets = join(dir, 'team-budgets.md');
  await worker.teamWriteReport({ ...teamQuery(leadUrl, 'team', 'lead@example.com', 'md', budgets), template: 'budgets', budgets: { dailyUsd: 1, weeklyUsd: null, monthlyUsd: null } });
  assert.match(readFileSync(budgets, 'utf8'), /No budgets are set/);
  const mine = join(dir, 'me-all-budgets.md');
  await worker.teamWriteReport({ ...teamQuery(aliceUrl, 'me-all', ALICE, 'md', mine), template: 'budgets', budgets: { dailyUsd: 1, weeklyUsd: null, monthlyUsd: null } });
  assert.match(readFileSync(mine, 'utf8'), /Daily budget: \$1\.00/);
});

test('Team scope with a member\'s login: row-level security leaves its own rows, and the document says so; Me, all machines sums both machines', async () => {
  const md = join(dir, 'member-team.md');
  const asMember = await worker.teamWriteReport(teamQuery(aliceUrl, 'team', ALICE, 'md', md));
  const own = await cliJson(['--postgres', aliceUrl]);
  const mine = await cliJson(['--postgres', leadUrl, '--member', ALICE]);
  assert.equal(own.totals.totalTokens, mine.totals.totalTokens, 'the member reads exactly its own rows');
  assert.equal(asMember.totalTokens, own.totals.totalTokens);
  const text = readFileSync(md, 'utf8');
  assert.match(text, /Read with a member's login: row-level security leaves only this login's own rows/);
  assert.doesNotMatch(text, /bob@example\.com/);

  const file = join(dir, 'me-all.xlsx');
  const meAll = await worker.teamWriteReport(teamQuery(aliceUrl, 'me-all', ALICE, 'xlsx', file));
  assert.equal(meAll.totalTokens, mine.totals.totalTokens);
  for (const [name, s] of Object.entries(await sheetSums(file))) assert.deepEqual(s, expectedSums(mine), name);
  const mdAll = join(dir, 'me-all.md');
  await worker.teamWriteReport(teamQuery(aliceUrl, 'me-all', ALICE, 'md', mdAll));
  assert.match(readFileSync(mdAll, 'utf8'), /The usage of alice@example\.com from all of its machines\./);
});

test('the team database unreachable or the login refused: a one-line error, no file written', async () => {
  const port = await freePort();
  const down = new URL(leadUrl);
  down.port = String(port);
  const file = join(dir, 'down.xlsx');
  await assert.rejects(worker.teamWriteReport(teamQuery(down.toString(), 'team', 'lead@example.com', 'xlsx', file)), (e: Error) => /unreachable/.test(e.message) && !e.message.includes('\n'));
  assert.equal(existsSync(file), false);
  const wrong = new URL(leadUrl);
  wrong.password = 'nope';
  await assert.rejects(worker.teamWriteReport(teamQuery(wrong.toString(), 'team', 'lead@example.com', 'pdf', file)), (e: Error) => /login refused/.test(e.message) && !e.message.includes('nope'));
  assert.equal(existsSync(file), false);
});
