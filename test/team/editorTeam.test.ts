/**
 * The team database from the editor's side (issue 16), against a real PostgreSQL (scripts/pg/cluster.mjs): the index
 * worker as shipped (bundled) answers the connection test, pushes from the writer's index through TeamSync (the
 * scheduler the writer window runs) and builds the dashboard's team snapshots; a member and a lead; the database
 * stopped between pushes, then started again.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addTeamMember, initTeamDatabase, openTeamConnection, readTeamFacts, setTeamBudget, type TeamConnection } from '../../src/app/team/api';
import { startIndexWorker, type IndexWorkerClient } from '../../src/app/indexWorker/client';
import { TeamSync } from '../../src/host/team/teamSync';
import { parseSettings } from '../../src/app/settingsParse';
import type { TeamSettings } from '../../src/app/settings';
import { groupFacts } from '../../src/core/report/group';
import { totals } from '../../src/core/report/rows';
import type { Fact } from '../../src/core/types';
import { DEFAULT_FILTERS, type DashboardFilters } from '../../src/shared/protocol';
import { bundledIndexWorker } from '../unit/host/bundleIndexWorker';
import { claudeAssistant, cleanup, rootsFor, tmpDir, write } from '../unit/ingest/helpers';
import { prices, writeMachineLogs, type MachineLogs } from './machineLogs';
import { LOGIN_PASSWORD, openTestDb, type TestDb } from './pgTestDb';
import { usageRows } from './usageTable';

const DAY = 86_400_000;
const NOW = Date.now();
const ALICE = `alice@example.com`;
const BOB = `O'Brien"); DROP TABLE agentmeter.usage; --`;
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const settings = { ...parseSettings((k) => (k === 'timeZone' ? 'UTC' : undefined)).settings };
const status = { indexing: false, lastUpdatedMs: NOW, searched: {}, notes: [], isWriter: true };

let tdb: TestDb;
let admin: TeamConnection;
let dir: string;
let aliceUrl: string;
let bobUrl: string;
let leadUrl: string;
let aliceLogs: MachineLogs;
const workers: IndexWorkerClient[] = [];

async function machineWorker(logs: MachineLogs, name: string): Promise<IndexWorkerClient> {
  const w = startIndexWorker({ script: await bundledIndexWorker(), wasmPath: '', ingestWorkerScript: '', logger: quiet });
  workers.push(w);
  await w.openWritable(join(dir, `${name}.sqlite`));
  await w.startIndexer(rootsFor({ claude: logs.claude, codex: logs.codex }));
  await w.refresh();
  return w;
}

function syncFor(w: IndexWorkerClient, url: string, member: string, machine: string, team: Partial<TeamSettings> = {}): TeamSync {
  const s: TeamSettings = { ...settings.team, ...team };
  return new TeamSync({
    backend: w, url: () => url, settings: () => s, identity: async () => ({ member, machine }), isWriter: () => true, version: '0.1.0-test', logger: quiet,
  });
}

/** Per UTC day: tokens, requests and cost (USD) of a set of facts, as `agentmeter report --by day` counts them. */
function rawDays(facts: readonly Fact[]): [string, number[]][] {
  return groupFacts(facts, 'day', { timeZone: 'UTC', prices }).map((r) => [r.key, [r.totalTokens, r.requests, r.outputTokens, r.cacheReadTokens, r.costUSD!]]);
}

/** The same with the cost in cents (as the report shows it). */
function cents(rows: [string, number[]][]) {
  return rows.map(([k, v]) => [k, ...v.slice(0, 4), Math.round(v[4]! * 100)]);
}

function days(facts: readonly Fact[]) {
  return cents(rawDays(facts));
}

/** Two machines' days summed (cost summed before it is rounded to cents, as one report of both would). */
function sumDays(...sets: [string, number[]][][]) {
  const by = new Map<string, number[]>();
  for (const set of sets) for (const [key, v] of set) {
    const e = by.get(key) ?? [0, 0, 0, 0, 0];
    by.set(key, e.map((x, i) => x + v[i]!));
  }
  return cents([...by.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

before(async () => {
  tdb = await openTestDb({ ownCluster: true });
  admin = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  await initTeamDatabase(admin);
  const alice = await tdb.createLogin('alice');
  const bob = await tdb.createLogin('bob');
  const lead = await tdb.createLogin('lead');
  await addTeamMember(admin, alice, ALICE);
  await addTeamMember(admin, bob, BOB);
  await addTeamMember(admin, lead, 'lead@example.com', true);
  aliceUrl = tdb.urlAs(alice, LOGIN_PASSWORD);
  bobUrl = tdb.urlAs(bob, LOGIN_PASSWORD);
  leadUrl = tdb.urlAs(lead, LOGIN_PASSWORD);
  dir = tmpDir('agentmeter-editor-team-');
  aliceLogs = writeMachineLogs(join(dir, 'alice-laptop'), { seed: 11, startMs: NOW - 50 * DAY, stepMs: 2 * 3600_000, calls: 500, sessions: 5 });
});

after(async () => {
  for (const w of workers) await w.terminate();
  await admin?.close();
  await tdb?.close();
  cleanup(dir);
});

test('connection test in the index worker: the role and member names; a wrong password, a wrong port and a bad URL are one-line errors', async () => {
  const w = startIndexWorker({ script: await bundledIndexWorker(), wasmPath: '', ingestWorkerScript: '', logger: quiet });
  workers.push(w);
  assert.deepEqual(await w.teamCheck({ url: aliceUrl, caFile: null }), { role: 'member', members: [ALICE] });
  assert.deepEqual(await w.teamCheck({ url: leadUrl, caFile: null }), { role: 'lead', members: ['lead@example.com'] });
  const wrongPw = new URL(aliceUrl);
  wrongPw.password = 'nope';
  await assert.rejects(w.teamCheck({ url: wrongPw.toString(), caFile: null }), (e: Error) => /login refused/.test(e.message) && !e.message.includes('\n') && !e.message.includes('nope'));
  const wrongPort = new URL(aliceUrl);
  wrongPort.port = '1';
  await assert.rejects(w.teamCheck({ url: wrongPort.toString(), caFile: null }), /unreachable/);
  await assert.rejects(w.teamCheck({ url: 'mysql://x@y/z', caFile: null }), /postgres:\/\//);
  await assert.rejects(w.teamCheck({ url: aliceUrl, caFile: join(dir, 'missing-ca.pem') }), /cannot read the CA file/);
});

test('the writer pushes through TeamSync: the first push sends the history, a second changes nothing; me-all equals the local report', async () => {
  const w = await machineWorker(aliceLogs, 'alice-laptop');
  const sync = syncFor(w, aliceUrl, ALICE, 'laptop');
  const progress: number[] = [];
  sync.onProgress((p) => progress.push(p.batch));
  await sync.pushNow();
  assert.equal(sync.lastOutcome?.full, true);
  assert.ok(progress.length >= 2, `one progress event per month (${progress.length})`);
  assert.ok(sync.state.lastBuckets! > 300);
  assert.equal(sync.state.lastError, null);
  const tables = await usageRows(tdb);
  await sync.pushNow();
  assert.equal(sync.lastOutcome?.full, false);
  assert.deepEqual(await usageRows(tdb), tables, 'pushing again changes nothing');

  const local = await w.loadFacts();
  const conn = await openTeamConnection({ url: aliceUrl });
  try {
    const remote = await readTeamFacts(conn, { scope: 'me-all', member: ALICE });
    assert.deepEqual(days(remote), days(local), 'to the token and the cent, day by day');
  } finally {
    await conn.close();
  }
  // the dashboard's me-all snapshot: the same all-time card as this machine's own
  const filters: DashboardFilters = { ...DEFAULT_FILTERS, range: 'all', scope: 'me-all' };
  const q = { nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload: true };
  const mine = await w.teamSnapshot({ ...q, filters, target: { url: aliceUrl, caFile: null }, scope: 'me-all', member: ALICE });
  const own = await w.dashboardSnapshot({ ...q, filters: { ...DEFAULT_FILTERS, range: 'all' } });
  const card = (s: typeof own) => s.cards.find((c) => c.id === 'all')!;
  assert.equal(card(mine).tokens, card(own).tokens);
  assert.equal(card(mine).requests, card(own).requests);
  assert.equal(Math.round(card(mine).costUSD * 100), Math.round(card(own).costUSD * 100));
  assert.deepEqual(mine.team?.machines.map((m) => m.machine), ['laptop']);
  assert.deepEqual(mine.team?.freshness.map((m) => [m.member, m.machine, m.version]), [[ALICE, 'laptop', '0.1.0-test']]);
});

test('two machines of one member and a member with SQL in the name: me-all sums both machines; the team is the lead\'s, a member sees its own', async () => {
  const desktopLogs = writeMachineLogs(join(dir, 'alice-desktop'), { seed: 12, startMs: NOW - 20 * DAY, stepMs: 3 * 3600_000, calls: 150, sessions: 2 });
  const desktop = await machineWorker(desktopLogs, 'alice-desktop');
  await syncFor(desktop, aliceUrl, ALICE, 'desktop').pushNow();
  const bobLogs = writeMachineLogs(join(dir, 'bob-box'), { seed: 13, startMs: NOW - 10 * DAY, stepMs: 3 * 3600_000, calls: 80 });
  const bob = await machineWorker(bobLogs, 'bob-box');
  await syncFor(bob, bobUrl, BOB, 'box').pushNow();
  // alice may not push as bob: row-level security refuses, nothing is written
  const before = await usageRows(tdb);
  const forged = syncFor(bob, aliceUrl, BOB, 'box');
  await assert.rejects(forged.pushNow(), /not allowed|row-level security|may not/i);
  assert.match(forged.state.lastError ?? '', /may not write the rows of member/);
  assert.deepEqual(await usageRows(tdb), before);

  const q = { nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload: true };
  const filters: DashboardFilters = { ...DEFAULT_FILTERS, range: 'all' };
  const laptop = workers.find((w) => w !== desktop && w !== bob && workers.indexOf(w) > 0)!;
  const expected = sumDays(rawDays(await laptop.loadFacts()), rawDays(await desktop.loadFacts()));
  const conn = await openTeamConnection({ url: aliceUrl });
  try {
    const meAll = await readTeamFacts(conn, { scope: 'me-all', member: ALICE });
    assert.deepEqual(days(meAll), expected);
  } finally {
    await conn.close();
  }
  const mine = await laptop.teamSnapshot({ ...q, filters: { ...filters, scope: 'me-all' }, target: { url: aliceUrl, caFile: null }, scope: 'me-all', member: ALICE, fresh: true });
  assert.deepEqual(mine.team?.machines.map((m) => m.machine).sort(), ['desktop', 'laptop']);
  const expectedTokens = expected.reduce((s, r) => s + (r[1] as number), 0);
  assert.equal(mine.cards.find((c) => c.id === 'all')!.tokens, expectedTokens);

  // a member asking for the team: row-level security leaves its own rows (the view explains it)
  const asMember = await laptop.teamSnapshot({ ...q, filters: { ...filters, scope: 'team' }, target: { url: aliceUrl, caFile: null }, scope: 'team', member: ALICE });
  assert.equal(asMember.team?.role, 'member');
  assert.deepEqual(asMember.team?.members.map((m) => m.member), [ALICE]);

  // the lead: everyone, per member and per machine, with a team budget exceeded
  await setTeamBudget(admin, null, 'monthly', 0.01);
  await setTeamBudget(admin, BOB, 'daily', 1000);
  const lead = await laptop.teamSnapshot({ ...q, filters: { ...filters, scope: 'team' }, target: { url: leadUrl, caFile: null }, scope: 'team', member: 'lead@example.com' });
  assert.equal(lead.team?.role, 'lead');
  assert.deepEqual(lead.team?.members.map((m) => m.member).sort(), [ALICE, BOB].sort());
  assert.deepEqual(lead.team?.machines.map((m) => `${m.member}/${m.machine}`).sort(), [`${ALICE}/desktop`, `${ALICE}/laptop`, `${BOB}/box`].sort());
  const bobTokens = totals(groupFacts(await bob.loadFacts(), 'day', { timeZone: 'UTC', prices })).totalTokens;
  assert.equal(lead.team?.members.find((m) => m.member === BOB)?.tokens, bobTokens);
  assert.equal(lead.team?.members.reduce((s, m) => s + m.tokens, 0), lead.cards.find((c) => c.id === 'all')!.tokens);
  const teamBudget = lead.team?.budgets.find((b) => b.member === null);
  assert.ok(teamBudget && teamBudget.ratio > 1, 'the team budget is exceeded');
  assert.ok(lead.team?.budgets.some((b) => b.member === BOB && b.period === 'daily'));
  assert.equal(lead.team?.freshness.length, 3);
});

test('the database stopped between pushes: the push fails with a one-line reason and backs off; started again, the next push is exact', async () => {
  const laptop = workers[1]!;
  const sync = syncFor(laptop, aliceUrl, ALICE, 'laptop');
  await sync.pushNow();
  tdb.cluster!.pause();
  try {
    // new usage and a late, better copy of an older call while the database is away
    write(join(aliceLogs.claude, 'projects', '-home-dev-src-app', 'while-away.jsonl'),
      claudeAssistant({ id: 'msg_11_100', ts: new Date(NOW - 50 * DAY + 100 * 2 * 3600_000 + 20_000).toISOString(), usage: { input: 4321, output: 65_432 }, cwd: '/home/dev/src/app' }) +
      claudeAssistant({ id: 'msg_away', ts: new Date(NOW - 600_000).toISOString(), usage: { input: 7, output: 777 }, cwd: '/home/dev/src/app' }));
    await laptop.refresh();
    await assert.rejects(sync.pushNow(), /unreachable/);
    assert.equal(sync.state.failures, 1);
    assert.match(sync.state.lastError!, /unreachable/);
    assert.notEqual(sync.state.lastSuccessMs, null, 'the last success is kept for the tooltip');
  } finally {
    tdb.cluster!.resume();
  }
  await sync.pushNow();
  assert.equal(sync.state.failures, 0);
  assert.equal(sync.state.lastError, null);
  const conn = await openTeamConnection({ url: aliceUrl });
  try {
    const remote = (await readTeamFacts(conn, { scope: 'me-all', member: ALICE })).filter((f) => f.machine === 'laptop');
    assert.deepEqual(days(remote), days(await laptop.loadFacts()), 'nothing lost or doubled');
    assert.ok(remote.some((f) => f.output === 777 || f.output >= 777));
  } finally {
    await conn.close();
  }
});
