import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Database } from 'sql.js';
import {
  addTeamMember, initTeamDatabase, openTeamConnection, pushTeam, readTeamFacts, readMachines, type PushProgress, type TeamBucket,
  type TeamConnection,
} from '../../src/app/team/api';
import { teamBuckets } from '../../src/app/team/push';
import { groupFacts } from '../../src/core/report/group';
import { totals } from '../../src/core/report/rows';
import { claudeAssistant, cleanup, tmpDir, write } from '../unit/ingest/helpers';
import { indexMachine, localDays, prices, writeMachineLogs, type MachineLogs } from './machineLogs';
import { LOGIN_PASSWORD, openTestDb, type TestDb } from './pgTestDb';
import { machineRows, usageRows } from './usageTable';

const DAY = 86_400_000;
const NOW = Math.floor(Date.now() / 900_000) * 900_000;
const MEMBER = 'alice@example.com';

let tdb: TestDb;
let conn: TeamConnection;
let dir: string;
let laptopLogs: MachineLogs;
let laptop: Database;
let desktop: Database;

before(async () => {
  tdb = await openTestDb();
  const adminConn = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  await initTeamDatabase(adminConn);
  const login = await tdb.createLogin('alice');
  await addTeamMember(adminConn, login, MEMBER);
  await adminConn.close();
  conn = await openTeamConnection({ url: tdb.urlAs(login, LOGIN_PASSWORD) });
  dir = tmpDir('agentmeter-team-push-');
  // ~80 days on the laptop (Claude + Codex), ~30 on the desktop
  laptopLogs = writeMachineLogs(join(dir, 'laptop'), { seed: 1, startMs: NOW - 80 * DAY, stepMs: 2 * 3600_000, calls: 900, sessions: 12 });
  laptop = await indexMachine(laptopLogs);
  desktop = await indexMachine(writeMachineLogs(join(dir, 'desktop'), { seed: 2, startMs: NOW - 30 * DAY, stepMs: 90 * 60_000, calls: 450, sessions: 4 }));
});

after(async () => {
  await conn?.close();
  await tdb?.close();
  cleanup(dir);
});

/** The figures compared per bucket (a TeamBucket pushed and a TeamFact read back both have them). */
type BucketTotals = Pick<TeamBucket,
  'input' | 'output' | 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead' | 'reasoning' | 'webSearch' | 'requests' | 'firstMs' | 'lastMs'>;

/** The machine's rows in the team database equal what its index gives, bucket by bucket. */
async function assertMatchesIndex(db: Database, machine: string): Promise<void> {
  const local = teamBuckets(db, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'folder', '');
  const remote = (await readTeamFacts(conn, { scope: 'me-all', member: MEMBER })).filter((f) => f.machine === machine);
  const key = (b: { bucketStartMs: number; source: string; model: string; project: string; branch: string; tier: string }) =>
    `${b.bucketStartMs}|${b.source}|${b.model}|${b.project}|${b.branch}|${b.tier}`;
  const pick = (b: BucketTotals) => [b.input, b.output, b.cacheWrite5m, b.cacheWrite1h, b.cacheRead, b.reasoning, b.webSearch, b.requests, b.firstMs, b.lastMs];
  assert.deepEqual(
    new Map(remote.map((b) => [key(b), pick(b)])),
    new Map(local.map((b) => [key(b), pick(b)])),
  );
}

test('first push sends the whole history month by month; pushing again changes nothing', async () => {
  const progress: PushProgress[] = [];
  const first = await pushTeam(laptop, conn, { member: MEMBER, machine: 'laptop', version: '0.1.0', nowMs: NOW }, (p) => progress.push(p));
  assert.equal(first.full, true);
  assert.ok(first.batches >= 3, `one transaction per month (${first.batches})`);
  assert.deepEqual(progress.map((p) => p.batch), Array.from({ length: first.batches }, (_, i) => i + 1));
  assert.equal(progress.at(-1)!.buckets, first.buckets);
  assert.ok(first.buckets > 500);
  await assertMatchesIndex(laptop, 'laptop');
  const tables = [await usageRows(tdb), await machineRows(tdb)];

  const again = await pushTeam(laptop, conn, { member: MEMBER, machine: 'laptop', version: '0.1.0', nowMs: NOW });
  assert.equal(again.full, false);
  assert.equal(again.batches, 1);
  assert.equal(again.fromMs, NOW - 3 * DAY, 'only the last 3 days again');
  assert.deepEqual([await usageRows(tdb), await machineRows(tdb)], tables);
});

test("two machines of one member: 'me-all' equals the sum of both local reports, to the token and the cent", async () => {
  await pushTeam(desktop, conn, { member: MEMBER, machine: 'desktop', version: '0.1.0', nowMs: NOW });
  const facts = await readTeamFacts(conn, { scope: 'me-all', member: MEMBER });
  assert.deepEqual([...new Set(facts.map((f) => f.machine))].sort(), ['desktop', 'laptop']);
  const teamDays = groupFacts(facts, 'day', { timeZone: 'UTC', prices });
  const expected = new Map<string, { tokens: number; requests: number; cost: number; output: number; cacheRead: number }>();
  for (const r of [...localDays(laptop), ...localDays(desktop)]) {
    const e = expected.get(r.key) ?? { tokens: 0, requests: 0, cost: 0, output: 0, cacheRead: 0 };
    e.tokens += r.totalTokens;
    e.requests += r.requests;
    e.cost += r.costUSD!;
    e.output += r.outputTokens;
    e.cacheRead += r.cacheReadTokens;
    expected.set(r.key, e);
  }
  assert.equal(teamDays.length, expected.size);
  for (const r of teamDays) {
    const e = expected.get(r.key)!;
    assert.deepEqual([r.totalTokens, r.requests, r.outputTokens, r.cacheReadTokens], [e.tokens, e.requests, e.output, e.cacheRead], r.key);
    assert.equal(Math.round(r.costUSD! * 100), Math.round(e.cost * 100), `cost of ${r.key}`);
  }
  const all = totals(teamDays);
  const local = totals([...localDays(laptop), ...localDays(desktop)]);
  assert.equal(all.totalTokens, local.totalTokens);
  assert.equal(Math.round(all.costUSD! * 100), Math.round(local.costUSD! * 100));
  assert.deepEqual((await readMachines(conn)).map((m) => [m.machine, m.lastPushMs, m.version]), [['desktop', NOW, '0.1.0'], ['laptop', NOW, '0.1.0']]);
});

test('a correction of a 10-day-old bucket (a better copy of a call) and new usage: the next push makes the database exact again', async () => {
  const before = (await readTeamFacts(conn, { scope: 'me-all', member: MEMBER })).filter((f) => f.machine === 'laptop');
  // call 800 of the laptop is ~13 days old: a later, larger copy of it (streaming finished) in another file
  const old = NOW - 80 * DAY + 800 * 2 * 3600_000;
  write(join(laptopLogs.claude, 'projects', '-home-dev-src-app', 'late.jsonl'),
    claudeAssistant({ id: 'msg_1_800', ts: new Date(old + 30_000).toISOString(), usage: { input: 999, output: 77_777 }, cwd: '/home/dev/src/app' }) +
    claudeAssistant({ id: 'msg_new', ts: new Date(NOW - 3600_000).toISOString(), usage: { input: 5, output: 555 }, cwd: '/home/dev/src/app' }));
  await indexMachine(laptopLogs, laptop);
  const r = await pushTeam(laptop, conn, { member: MEMBER, machine: 'laptop', version: '0.1.0', nowMs: NOW });
  assert.equal(r.batches, 1);
  assert.ok(r.fromMs! <= old && r.fromMs! > old - 900_000, 'from the corrected bucket, found by the watermark');
  await assertMatchesIndex(laptop, 'laptop');
  const after = (await readTeamFacts(conn, { scope: 'me-all', member: MEMBER })).filter((f) => f.machine === 'laptop');
  assert.ok(after.reduce((s, f) => s + f.output, 0) > before.reduce((s, f) => s + f.output, 0));
  // the desktop's rows were not touched
  await assertMatchesIndex(desktop, 'desktop');
});

test('projects are sent as folder names by default, as salted hashes on request (a new mode sends everything again)', async () => {
  const folder = await readTeamFacts(conn, { scope: 'me-all', member: MEMBER });
  assert.deepEqual([...new Set(folder.map((f) => f.project))].sort(), ['api', 'app', 'tool', 'web']);
  const r = await pushTeam(desktop, conn, { member: MEMBER, machine: 'desktop', version: '0.1.0', nowMs: NOW, projects: 'hash', salt: 's3cret' });
  assert.equal(r.full, true);
  const hashed = (await readTeamFacts(conn, { scope: 'me-all', member: MEMBER })).filter((f) => f.machine === 'desktop');
  assert.ok(hashed.length > 0);
  for (const f of hashed) assert.match(f.project, /^h:[0-9a-f]{16}$/);
  assert.equal(new Set(hashed.map((f) => f.project)).size, 4, 'app, web, api (Claude) and app, tool (Codex): one hash per path');
});

test('two windows pushing the same machine at once (two connections): both succeed, the rows are exact, nothing doubled', async () => {
  const other = await openTeamConnection({ url: tdb.urlAs(conn.login, LOGIN_PASSWORD) });
  try {
    // a fresh target (new machine label) makes both first pushes of the whole history, month by month, interleaved
    const opts = { member: MEMBER, machine: 'twin', version: '0.1.0', nowMs: NOW };
    const copy = await indexMachine(laptopLogs);
    const [a, b] = await Promise.all([pushTeam(laptop, conn, opts), pushTeam(copy, other, opts)]);
    assert.equal(a.buckets, b.buckets);
    await assertMatchesIndex(laptop, 'twin');
  } finally {
    await other.close();
  }
});
