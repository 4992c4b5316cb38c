/**
 * Cost by activity in the team database (team schema 2, activity_hours): a database left at schema 1 with pushed rows
 * migrates, rows kept, and then gets the machines' whole activity history; a push's activity rows equal the machine's
 * local usage_acts per hour and key to the token; pushing again changes nothing; an appended call replaces its hour;
 * row-level security as for usage; `report --team --by activity` equals the local `report --by activity` of one
 * machine and the sum of two; the dashboard's team snapshot's activity view equals the local one.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Database } from 'sql.js';
import {
  addTeamMember, initTeamDatabase, openTeamConnection, pushTeam, readTeamActivityFacts, TeamError, type TeamConnection,
} from '../../src/app/team/api';
import { activityView } from '../../src/app/dashboard/activityView';
import { TeamWorker } from '../../src/app/indexWorker/teamWorker';
import { parseSettings } from '../../src/app/settingsParse';
import { parseCli } from '../../src/cli/args';
import { runReport } from '../../src/cli/runReport';
import { runTeamCommand } from '../../src/cli/runTeam';
import { parseTeamCli } from '../../src/cli/teamArgs';
import { loadActivityHours } from '../../src/core/query/teamActivityRows';
import { migrateTeamSchema, TEAM_SCHEMA_VERSION } from '../../src/core/team/schema';
import { nullLogger } from '../../src/core/types';
import { DEFAULT_FILTERS, type DashboardFilters } from '../../src/shared/protocol';
import { append, claudeAssistant, cleanup, tmpDir, write } from '../unit/ingest/helpers';
import { indexMachine, prices, writeMachineLogs, type MachineLogs } from './machineLogs';
import { LOGIN_PASSWORD, openTestDb, type TestDb } from './pgTestDb';
import { usageRows } from './usageTable';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Math.floor(Date.now() / 900_000) * 900_000;
const ALICE = 'alice@example.com';
const BOB = "bob o'brien";

let tdb: TestDb;
let dir: string;
let logins: Record<'alice' | 'bob' | 'lead', string>;
let alice: TeamConnection;
let laptopLogs: MachineLogs;
let desktopLogs: MachineLogs;
let laptop: Database;
let desktop: Database;

interface ActivityRow {
  member: string; machine: string; hour_ms: string; source: string; model: string; tier: string; activity: string; agent: string;
  input: string; output: string; cw5m: string; cw1h: string; cache_read: string; reasoning: string; web_search: string; requests: string;
}

const activityRows = () => tdb.admin<ActivityRow>(
  'SELECT * FROM agentmeter.activity_hours ORDER BY member, machine, hour_ms, source, model, tier, activity');

before(async () => {
  tdb = await openTestDb();
  // the database as the previous AgentMeter left it: schema 1, no activity_hours
  const admin = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  assert.deepEqual(await migrateTeamSchema(admin.client, 1), { from: 0, to: 1 });
  logins = { alice: await tdb.createLogin('alice'), bob: await tdb.createLogin('bob'), lead: await tdb.createLogin('lead') };
  await addTeamMember(admin, logins.alice, ALICE);
  await addTeamMember(admin, logins.bob, BOB);
  await addTeamMember(admin, logins.lead, 'lead', true);
  await admin.close();
  dir = tmpDir('agentmeter-team-activity-');
  laptopLogs = writeMachineLogs(join(dir, 'laptop'), { seed: 3, startMs: NOW - 50 * DAY, stepMs: 2 * HOUR, calls: 500, sessions: 6 });
  desktopLogs = writeMachineLogs(join(dir, 'desktop'), { seed: 4, startMs: NOW - 20 * DAY, stepMs: 75 * 60_000, calls: 300, sessions: 3 });
  laptop = await indexMachine(laptopLogs);
  desktop = await indexMachine(desktopLogs);
});

after(async () => {
  await alice?.close();
  await tdb?.close();
  cleanup(dir);
});

const connectAs = (login: string) => openTeamConnection({ url: tdb.urlAs(login, LOGIN_PASSWORD) });

/** The machine's activity rows in the team database equal its index's usage_acts, per hour and key, to the token. */
async function assertMatchesIndex(db: Database, member: string, machine: string): Promise<void> {
  const key = (h: { hour: number; source: string; model: string; tier: string; activity: string }) => `${h.hour}|${h.source}|${h.model}|${h.tier}|${h.activity}`;
  const local = loadActivityHours(db, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const remote = (await activityRows()).filter((r) => r.member === member && r.machine === machine);
  assert.ok(local.length > 50);
  assert.deepEqual(
    new Map(remote.map((r) => [key({ ...r, hour: Number(r.hour_ms) }), [r.agent, ...[r.input, r.output, r.cw5m, r.cw1h, r.cache_read, r.reasoning, r.web_search, r.requests].map(Number)]])),
    new Map(local.map((h) => [key({ ...h, hour: h.hourMs }), [h.activity.startsWith('subagent/') ? 'subagent' : 'main',
      h.input, h.output, h.cacheWrite5m, h.cacheWrite1h, h.cacheRead, h.reasoning, h.webSearch, h.requests]])),
  );
}

test('a schema 1 database with pushed rows: the push sends usage only; team init migrates it to 2, rows kept; the next push sends the whole activity history', async () => {
  alice = await connectAs(logins.alice);
  assert.equal(alice.schemaVersion, 1);
  const first = await pushTeam(laptop, alice, { member: ALICE, machine: 'laptop', version: '0.1.0', nowMs: NOW });
  assert.ok(first.buckets > 300);
  const usage = await usageRows(tdb);
  assert.equal(usage.length, first.buckets);
  assert.deepEqual(await tdb.admin(`SELECT to_regclass('agentmeter.activity_hours') AS t`), [{ t: null }]);
  await assert.rejects(readTeamActivityFacts(alice, { scope: 'me-all', member: ALICE }), (e: unknown) =>
    e instanceof TeamError && e.kind === 'not-initialised' && /schema version 1, without cost by activity: run agentmeter team init/.test(e.message));

  const admin = await openTeamConnection({ url: tdb.adminUrl });
  assert.deepEqual(await initTeamDatabase(admin), { from: 1, to: TEAM_SCHEMA_VERSION });
  assert.equal(TEAM_SCHEMA_VERSION, 2);
  await admin.close();
  assert.deepEqual(await usageRows(tdb), usage, 'the usage rows are kept');
  assert.deepEqual(await activityRows(), []);

  await alice.close();
  alice = await connectAs(logins.alice);
  assert.equal(alice.schemaVersion, 2);
  const again = await pushTeam(laptop, alice, { member: ALICE, machine: 'laptop', version: '0.2.0', nowMs: NOW });
  assert.equal(again.full, true, 'the whole history once more, with its activity hours');
  assert.deepEqual(await usageRows(tdb), usage, 'usage unchanged by the full push');
  await assertMatchesIndex(laptop, ALICE, 'laptop');
  const acts = await activityRows();
  const kinds = new Set(acts.map((r) => r.activity));
  for (const k of ['coding', 'exploring', 'running', 'research', 'mcp:github', 'delegating:Explore', 'conversation', 'subagent/coding']) {
    assert.ok(kinds.has(k), `${k} in ${[...kinds].join(', ')}`);
  }
  assert.ok(acts.every((r) => (r.agent === 'subagent') === r.activity.startsWith('subagent/')));
});

test('pushing again changes nothing; a call appended inside a pushed hour replaces that hour (absolute totals); an old call whose activity alone changed is sent again', async () => {
  const before = await activityRows();
  await pushTeam(laptop, alice, { member: ALICE, machine: 'laptop', version: '0.2.0', nowMs: NOW });
  await pushTeam(laptop, alice, { member: ALICE, machine: 'laptop', version: '0.2.0', nowMs: NOW });
  assert.deepEqual(await activityRows(), before);

  // an edit 20 minutes into the laptop's last hour with calls, in a file the laptop already has
  const hour = Number(before.at(-1)!.hour_ms);
  const file = join(laptopLogs.claude, 'projects', '-home-dev-src-app', 's3-0.jsonl');
  append(file, claudeAssistant({
    id: 'msg_appended', ts: new Date(hour + 20 * 60_000).toISOString(), model: 'claude-sonnet-4-5-20250929', cwd: '/home/dev/src/app',
    usage: { input: 7, output: 700, cacheRead: 7000 }, content: [{ type: 'tool_use', id: 'toolu_x', name: 'Write', input: { file_path: '/a.ts', content: 'x' } }],
  }));
  laptop = await indexMachine(laptopLogs, laptop);
  await pushTeam(laptop, alice, { member: ALICE, machine: 'laptop', version: '0.2.0', nowMs: NOW });
  await assertMatchesIndex(laptop, ALICE, 'laptop');
  const after = await activityRows();
  const coding = (rows: ActivityRow[]) => rows.filter((r) => Number(r.hour_ms) === hour && r.activity === 'coding' && r.model === 'claude-sonnet-4-5-20250929');
  const was = coding(before)[0];
  assert.equal(Number(coding(after)[0].output), Number(was?.output ?? 0) + 700);
  assert.equal(Number(coding(after)[0].requests), Number(was?.requests ?? 0) + 1);
  assert.deepEqual(after.filter((r) => Number(r.hour_ms) !== hour), before.filter((r) => Number(r.hour_ms) !== hour), 'other hours unchanged');

  // a later content block of a call of ~8.7 days ago (call 496: text only, so far 'conversation') names a tool: its
  // tokens move to 'coding' with no usage row changing, older than the replayed 3 days — the push sends its hour again
  const usageBefore = await usageRows(tdb);
  write(join(laptopLogs.claude, 'projects', '-zzz-later', 's3-z.jsonl'), claudeAssistant({
    id: 'msg_3_496', ts: new Date(NOW - 50 * DAY + 496 * 2 * HOUR + 30_000).toISOString(), model: 'claude-opus-4-1-20250805',
    usage: { input: 1, output: 1 }, content: [{ type: 'tool_use', id: 'toolu_496', name: 'Edit', input: { file_path: '/b.ts' } }],
  }));
  const actsBefore = loadActivityHours(laptop, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  laptop = await indexMachine(laptopLogs, laptop);
  const moved = loadActivityHours(laptop, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  assert.notDeepEqual(moved, actsBefore, 'the activity moved locally');
  assert.ok(moved.every((h) => h.hourMs < NOW - 8 * DAY || actsBefore.some((b) => JSON.stringify(b) === JSON.stringify(h))), 'only an old hour changed');
  await pushTeam(laptop, alice, { member: ALICE, machine: 'laptop', version: '0.2.0', nowMs: NOW });
  assert.deepEqual(await usageRows(tdb), usageBefore, 'no usage row changed');
  await assertMatchesIndex(laptop, ALICE, 'laptop');
});

test('row-level security: a member cannot write, change, delete or read another member\'s activity rows; a lead reads them all', async () => {
  const bob = await connectAs(logins.bob);
  const lead = await connectAs(logins.lead);
  try {
    const snapshot = await activityRows();
    await assert.rejects(
      bob.client.query(`INSERT INTO agentmeter.activity_hours (member, machine, hour_ms, source, model, tier, activity, agent, input, output,
        cw5m, cw1h, cache_read, reasoning, web_search, requests) VALUES ($1, 'x', 0, 'claude', 'm', 'standard', 'coding', 'main', 1, 1, 0, 0, 0, 0, 0, 1)`, [ALICE]),
      /row-level security/,
    );
    assert.deepEqual((await bob.client.query('UPDATE agentmeter.activity_hours SET input = 0 WHERE member = $1 RETURNING 1', [ALICE])).rows, []);
    assert.deepEqual((await bob.client.query('DELETE FROM agentmeter.activity_hours WHERE member = $1 RETURNING 1', [ALICE])).rows, []);
    assert.deepEqual((await bob.client.query('SELECT 1 FROM agentmeter.activity_hours')).rows, [], 'bob reads none of alice\'s rows');
    assert.deepEqual(await readTeamActivityFacts(bob, { scope: 'team' }), []);
    // bob's login pushing as alice: refused, nothing written
    await assert.rejects(pushTeam(desktop, bob, { member: ALICE, machine: 'desktop', version: '0.2.0', nowMs: NOW }), (e: unknown) => e instanceof TeamError && e.kind === 'forbidden');
    assert.deepEqual(await activityRows(), snapshot);
    // the lead reads every row, and the view for dashboards
    assert.equal((await lead.client.query('SELECT 1 FROM agentmeter.activity_hours')).rows.length, snapshot.length);
    const daily = await lead.client.query<{ agent: string; work: string; activity: string }>('SELECT agent, work, activity FROM agentmeter.daily_activity');
    assert.ok(daily.rows.length > 0);
    assert.ok(daily.rows.every((r) => r.activity === (r.agent === 'subagent' ? `subagent/${r.work}` : r.work)));
    await assert.rejects(bob.client.query('SELECT 1 FROM agentmeter.daily_activity'), /permission denied/);
  } finally {
    await bob.close();
    await lead.close();
  }
});

/** `report [--team] --by activity --format json` in process, as the CLI runs it. */
async function localReport(logs: MachineLogs): Promise<ReportJson> {
  const cmd = parseCli(['report', '--by', 'activity', '--format', 'json', '--timezone', 'UTC', '--source', 'claude,codex',
    '--claude-dir', logs.claude, '--codex-dir', logs.codex, '--no-cache']);
  assert.equal(cmd.kind, 'report');
  return JSON.parse(await runReport((cmd as Extract<typeof cmd, { kind: 'report' }>).args, nullLogger, NOW));
}
async function teamReport(login: string, extra: string[] = [], format = 'json'): Promise<string> {
  return runTeamCommand(parseTeamCli(['report', '--team', '--postgres', tdb.urlAs(login, LOGIN_PASSWORD), '--by', 'activity', '--format', format,
    '--timezone', 'UTC', ...extra]), nullLogger, '0.2.0');
}
interface ReportRowJson { key: string; activity: string; requests: number; inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalTokens: number; costUSD: number; member?: string | null; machine?: string | null }
interface ReportJson { by: string; rows: ReportRowJson[]; totals: Record<string, number> }

/** the row's token figures, and its cost in cents to 4 decimals (summed in another order, a float's last bits may differ) */
const figures = (r: ReportRowJson) => [r.requests, r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens, r.totalTokens, r.costUSD];
const rounded = (m: Map<string, number[]>) => new Map([...m].map(([k, f]) => [k, [...f.slice(0, -1), Math.round(f.at(-1)! * 1e6)]]));
const rowsOf = (r: ReportJson) => rounded(new Map(r.rows.map((x) => [x.activity, figures(x)])));
function byActivity(reports: ReportJson[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const r of reports) {
    for (const row of r.rows) {
      const f = figures(row);
      const was = m.get(row.activity);
      m.set(row.activity, was ? was.map((x, i) => x + f[i]) : f);
    }
  }
  return rounded(m);
}

test('report --team --by activity: one machine equals its local report --by activity; two machines their sum; --member; CSV and table', async () => {
  // alice's desktop pushes too
  await pushTeam(desktop, alice, { member: ALICE, machine: 'desktop', version: '0.2.0', nowMs: NOW });
  await assertMatchesIndex(desktop, ALICE, 'desktop');
  const localLaptop = await localReport(laptopLogs);
  const localDesktop = await localReport(desktopLogs);
  const team = JSON.parse(await teamReport(logins.lead)) as ReportJson;
  assert.equal(team.by, 'activity');
  assert.ok(team.rows.every((r) => r.member === null && r.machine === null));
  assert.deepEqual(rowsOf(team), byActivity([localLaptop, localDesktop]), 'two machines: the sum of both local reports');
  assert.deepEqual(team.rows.map((r) => r.key).sort(), [...new Set([...localLaptop.rows, ...localDesktop.rows].map((r) => r.key))].sort());
  assert.equal(Math.round(team.totals.costUSD * 100), Math.round((localLaptop.totals.costUSD + localDesktop.totals.costUSD) * 100));
  // alice's own (--member) over a range: equal to the local report over that range (both machines)
  const since = new Date(NOW - 10 * DAY).toISOString().slice(0, 10);
  const mine = JSON.parse(await teamReport(logins.alice, ['--member', ALICE, '--since', since])) as ReportJson;
  const localSince = async (logs: MachineLogs) => {
    const cmd = parseCli(['report', '--by', 'activity', '--format', 'json', '--timezone', 'UTC', '--source', 'claude,codex', '--since', since,
      '--claude-dir', logs.claude, '--codex-dir', logs.codex, '--no-cache']) as { kind: 'report'; args: Parameters<typeof runReport>[0] };
    return JSON.parse(await runReport(cmd.args, nullLogger, NOW)) as ReportJson;
  };
  assert.deepEqual(rowsOf(mine), byActivity([await localSince(laptopLogs), await localSince(desktopLogs)]));

  // one machine: a database with the laptop only (alice's desktop rows removed by her own login)
  await alice.client.query(`DELETE FROM agentmeter.activity_hours WHERE machine = 'desktop'`);
  const one = JSON.parse(await teamReport(logins.lead)) as ReportJson;
  assert.deepEqual(one.rows.map((r) => [r.key, r.activity]), localLaptop.rows.map((r) => [r.key, r.activity]), 'same rows, same order');
  assert.deepEqual(rowsOf(one), rowsOf(localLaptop));
  for (const k of ['requests', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'reasoningTokens', 'totalTokens']) {
    assert.equal(one.totals[k], localLaptop.totals[k], k);
  }
  assert.equal(Math.round(one.totals.costUSD * 1e6), Math.round(localLaptop.totals.costUSD * 1e6));

  const csv = (await teamReport(logins.lead, [], 'csv')).split('\r\n');
  const localCsv = (await runReport((parseCli(['report', '--by', 'activity', '--format', 'csv', '--timezone', 'UTC', '--source', 'claude,codex',
    '--claude-dir', laptopLogs.claude, '--codex-dir', laptopLogs.codex, '--no-cache']) as { kind: 'report'; args: Parameters<typeof runReport>[0] }).args, nullLogger, NOW)).split('\r\n');
  assert.equal(csv[0], `${localCsv[0]},member,machine`);
  assert.deepEqual(csv.slice(1).filter(Boolean).map((l) => l.replace(/,,$/, '')), localCsv.slice(1).filter(Boolean));
  const table = await teamReport(logins.lead, [], 'table');
  assert.match(table, /mcp:github/);
  assert.match(table, /subagent\/coding/);
});

test('the team snapshot (Me, all machines, one machine) shows the activity view the local dashboard shows', async () => {
  // a member of its own with the laptop only
  const admin = await openTeamConnection({ url: tdb.adminUrl });
  const solo = await tdb.createLogin('solo');
  await addTeamMember(admin, solo, 'solo');
  await admin.close();
  const soloConn = await connectAs(solo);
  await pushTeam(laptop, soloConn, { member: 'solo', machine: 'laptop', version: '0.2.0', nowMs: NOW });
  await soloConn.close();
  const timeZone = 'Asia/Kolkata'; // a :30 zone: the range's bounds move to their UTC hours, as locally
  const settings = parseSettings((k) => (k === 'timeZone' ? timeZone : undefined)).settings;
  const status = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };
  const worker = new TeamWorker({ writerDatabase: () => Promise.reject(new Error('not used')) });
  for (const extra of [{}, { range: '7d' }, { source: 'codex' }, { model: 'claude-opus-4-1-20250805' }, { project: 'app' }] as Partial<DashboardFilters>[]) {
    const filters: DashboardFilters = { ...DEFAULT_FILTERS, range: '30d', scope: 'me-all', ...extra };
    const got = await worker.teamSnapshot({
      filters, nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload: false,
      target: { url: tdb.urlAs(solo, LOGIN_PASSWORD), caFile: null }, scope: 'me-all', member: 'solo',
    });
    assert.ok(got.rangeFromDay && got.rangeToDay);
    const want = activityView(laptop, { filters: { ...filters, scope: undefined }, fromDay: got.rangeFromDay, toDay: got.rangeToDay, timeZone, prices });
    assert.deepEqual(got.activity, want, JSON.stringify(extra));
    if (Object.keys(extra).length === 0) assert.ok(want.rows.length > 3, JSON.stringify(extra));
  }
});
