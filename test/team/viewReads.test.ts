/**
 * The team view's reads (app/team/viewFacts.ts): the team database summed on the server to local days before the
 * last week and to hours (15-minute buckets in a :30 zone) within it. Every day's, hour's and the all-time sums equal
 * those of the rows as pushed, in a whole-hour zone, a :30 zone and across a DST change; the dashboard's team
 * snapshot through the index worker's code equals the snapshot over every pushed row in its cards, daily chart and
 * per-member table; the view reads far fewer rows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { initTeamDatabase, openTeamConnection, readTeamFacts, type TeamConnection } from '../../src/app/team/api';
import { readTeamHistory, readTeamViewFacts, TEAM_DETAIL_DAYS } from '../../src/app/team/viewFacts';
import { teamDashboardData, teamSnapshotFrom } from '../../src/app/dashboard/teamView';
import { rng } from '../unit/rng';
import { TeamWorker } from '../../src/app/indexWorker/teamWorker';
import { parseSettings } from '../../src/app/settingsParse';
import { bucketDayKeyer, zoneClock } from '../../src/core/report/tz';
import { createPriceTable, priceTableDate } from '../../src/core/pricing/priceTable';
import type { TeamFact } from '../../src/core/team/types';
import { DEFAULT_FILTERS, type DashboardFilters, type DashboardSnapshot } from '../../src/shared/protocol';
import { openTestDb, type TestDb } from './pgTestDb';

const DAY = 86_400_000;
const Q = 900_000;
// after New York's DST end (2026-11-01): 120 days back cross it
const NOW = Date.parse('2026-11-10T15:07:00Z');
const MEMBERS = ['ana@example.com', "O'Brien", 'wei@example.cn'];

let tdb: TestDb;
let conn: TeamConnection;

before(async () => {
  tdb = await openTestDb();
  const admin = await openTeamConnection({ url: tdb.adminUrl }, { checkSchema: false });
  await initTeamDatabase(admin);
  await admin.close();
  // 120 days of pushed buckets: 3 members, 2 machines each, two projects, branches and activities splitting rows
  const r = rng(7);
  const rows: unknown[][] = [];
  for (let b = Math.floor((NOW - 120 * DAY) / Q) * Q; b <= NOW - Q; b += Q) {
    const day = Math.floor(b / DAY);
    for (const [m, member] of MEMBERS.entries()) {
      if (r() > 0.4) continue;
      // a member works on one machine a day, one project a week; now and then Codex
      const machine = (day + m) % 3 === 0 ? 'desktop' : 'laptop';
      const source = r() < 0.85 ? 'claude' : 'codex';
      const model = source === 'claude' ? (r() < 0.6 ? 'claude-sonnet-4-5-20250929' : 'claude-opus-4-1-20250805') : 'gpt-5-codex';
      for (const branch of r() < 0.5 ? ['main'] : ['main', 'feature/x']) {
        const input = Math.floor(r() * 5000);
        const output = Math.floor(r() * 20_000);
        rows.push([member, machine, b, source, model, Math.floor(day / 7 + m) % 2 ? 'app' : 'api', branch, r() < 0.5 ? '' : 'coding', 'standard',
          input, output, Math.floor(r() * 30_000), 0, Math.floor(r() * 400_000), source === 'codex' ? Math.floor(output / 3) : 0, 0,
          1 + Math.floor(r() * 6), b + 1000, b + Q - 1000]);
      }
    }
  }
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk.map((_, j) => `(${Array.from({ length: 19 }, (_x, k) => `$${j * 19 + k + 1}`).join(', ')})`).join(', ');
    await tdb.admin(`INSERT INTO agentmeter.usage (member, machine, bucket_ms, source, model, project, branch, activity, tier, input, output,
      cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms, last_ms) VALUES ${values}`, chunk.flat());
  }
  conn = await openTeamConnection({ url: tdb.adminUrl });
});

after(async () => {
  await conn?.close();
  await tdb?.close();
});

/** Sums per key (exact integers), as "tokens/requests" strings. */
function sums(facts: readonly TeamFact[], key: (f: TeamFact) => string): Map<string, string> {
  const by = new Map<string, number[]>();
  for (const f of facts) {
    const k = key(f);
    const v = by.get(k) ?? [0, 0, 0, 0, 0, 0, 0, 0];
    const add = [f.input, f.output, f.cacheWrite5m, f.cacheWrite1h, f.cacheRead, f.reasoning, f.webSearch, f.requests];
    for (let i = 0; i < 8; i++) v[i]! += add[i]!;
    by.set(k, v);
  }
  return new Map([...by].map(([k, v]) => [k, v.join('/')]));
}

const dims = (f: TeamFact) => `${f.member}|${f.machine}|${f.source}|${f.model}|${f.project}|${f.tier}`;

for (const timeZone of ['Asia/Shanghai', 'Asia/Kolkata', 'America/New_York']) {
  test(`${timeZone}: every local day and every local hour of the detail equal the pushed rows'; far fewer rows`, async () => {
    const all = await readTeamFacts(conn, { scope: 'team' });
    const view = await readTeamViewFacts(conn, { sinceMs: NOW - 100 * DAY, nowMs: NOW, timeZone });
    assert.ok(view.sinceMs <= NOW - 100 * DAY && view.sinceMs > NOW - 102 * DAY);
    const dayOf = bucketDayKeyer(timeZone);
    const from = all.filter((f) => f.bucketStartMs >= view.sinceMs);
    assert.deepEqual(sums(view.facts, (f) => `${dayOf(f.bucketStartMs)}|${dims(f)}`), sums(from, (f) => `${dayOf(f.bucketStartMs)}|${dims(f)}`));
    // the detail: today and the 7 days before, by local hour (a :30 zone keeps the 15-minute buckets)
    const clock = zoneClock(timeZone);
    assert.equal(clock(view.detailFromMs).day, clock(NOW - (TEAM_DETAIL_DAYS - 1) * DAY).day);
    assert.equal(clock(view.detailFromMs).hour, 0);
    const hourOf = (f: TeamFact) => { const c = clock(f.bucketStartMs); return `${c.day} ${c.hour}`; };
    const detail = (fs: readonly TeamFact[]) => fs.filter((f) => f.bucketStartMs >= view.detailFromMs);
    assert.deepEqual(sums(detail(view.facts), (f) => `${hourOf(f)}|${dims(f)}`), sums(detail(from), (f) => `${hourOf(f)}|${dims(f)}`));
    const quarterStarts = detail(view.facts).filter((f) => f.bucketStartMs % 3_600_000 !== 0).length;
    if (timeZone === 'Asia/Kolkata') assert.ok(quarterStarts > 0, 'a :30 zone reads the 15-minute buckets');
    else assert.equal(quarterStarts, 0, 'a whole-hour zone reads hours');
    // days before the detail are one row per day and dims, at the local day's start
    for (const f of view.facts.filter((x) => x.bucketStartMs < view.detailFromMs)) assert.equal(clock(f.bucketStartMs).hour * 60 + clock(f.bucketStartMs).minute, 0);
    assert.ok(view.facts.length * 4 < from.length, `${view.facts.length} rows read instead of ${from.length}`);
    for (let i = 1; i < view.facts.length; i++) assert.ok(view.facts[i - 1]!.bucketStartMs <= view.facts[i]!.bucketStartMs, 'ordered by bucket');
    // the all-time groups
    const history = await readTeamHistory(conn);
    const groups = new Map(history.map((h) => [`${h.source}|${h.project}|${h.model}|${h.tier}`, h]));
    const expected = sums(all, (f) => `${f.source}|${f.project}|${f.model}|${f.tier}`);
    assert.equal(groups.size, expected.size);
    for (const [k, v] of expected) {
      const h = groups.get(k)!;
      assert.equal([h.input, h.output, h.cacheWrite5m, h.cacheWrite1h, h.cacheRead, h.reasoning, h.webSearch, h.requests].join('/'), v, k);
      assert.equal(h.firstBucketMs, Math.min(...all.filter((f) => `${f.source}|${f.project}|${f.model}|${f.tier}` === k).map((f) => f.bucketStartMs)));
    }
  });
}

/** Deep equality where numbers may differ in the last bits (costs summed in another order), far below a cent. */
function assertClose(actual: unknown, expected: unknown, path: string): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${path}: ${actual} vs ${expected}`);
    return;
  }
  if (actual === null || expected === null || typeof actual !== 'object' || typeof expected !== 'object') {
    assert.deepEqual(actual, expected, path);
    return;
  }
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), path);
  for (const k of Object.keys(expected)) assertClose((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
}

test('the team snapshot from the summed reads equals the one over every pushed row: cards, daily chart, sources, per member and machine', async () => {
  const timeZone = 'Asia/Shanghai';
  const settings = parseSettings((k) => (k === 'timeZone' ? timeZone : undefined)).settings;
  const status = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };
  const table = createPriceTable();
  const all = await readTeamFacts(conn, { scope: 'team' });
  const worker = new TeamWorker({ writerDatabase: () => Promise.reject(new Error('not used')) });
  const pick = (s: DashboardSnapshot) => ({ cards: s.cards, daily: s.daily, bySource: s.bySource, models: s.models, projects: s.projects,
    members: s.team?.members, machines: s.team?.machines, range: [s.rangeFromDay, s.rangeToDay], options: s.filterOptions });
  for (const range of ['7d', '30d', 'all'] as const) {
    for (const extra of [{}, { source: 'codex' }, { project: 'api' }] as Partial<DashboardFilters>[]) {
      const filters: DashboardFilters = { ...DEFAULT_FILTERS, range, scope: 'team', ...extra };
      const q = { filters, nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload: false };
      const got = await worker.teamSnapshot({ ...q, target: { url: tdb.adminUrl, caFile: null }, scope: 'team', member: MEMBERS[0]! });
      const ctx = { filters, nowMs: NOW, locale: 'en', settings, status, table, priceTableDate };
      const want = teamSnapshotFrom(teamDashboardData(all), { scope: 'team', role: 'none', member: MEMBERS[0]!, facts: all, machines: [], budgets: [] }, ctx);
      assertClose(pick(got), pick(want), `${range} ${JSON.stringify(extra)}`);
      if (range === '7d') assert.equal(got.detailFrom, undefined, 'a week is all detail');
      else assert.equal(got.detailFrom?.reason, 'team');
    }
  }
});

test('the all-time card: buckets older than the history cut are rescanned when a machine appears, on Refresh and hourly; newer ones at every read', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  const settings = parseSettings((k) => (k === 'timeZone' ? 'Asia/Shanghai' : undefined)).settings;
  const status = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };
  const worker = new TeamWorker({ writerDatabase: () => Promise.reject(new Error('not used')) });
  const filters: DashboardFilters = { ...DEFAULT_FILTERS, range: '30d', scope: 'team' };
  const card = async (fresh = false) => {
    const s = await worker.teamSnapshot({ filters, nowMs: NOW, locale: 'en', settings, status, priceOverrides: {}, reload: false, target: { url: tdb.adminUrl, caFile: null }, scope: 'team', member: MEMBERS[0]!, fresh });
    return s.cards.find((c) => c.id === 'all')!.tokens;
  };
  const old = Math.floor((NOW - 100 * DAY) / Q) * Q;
  const recent = Math.floor((NOW - 20 * DAY) / Q) * Q;
  const add = (machine: string, bucket: number, input: number) => tdb.admin(`INSERT INTO agentmeter.usage (member, machine, bucket_ms, source, model, project, branch, activity, tier,
    input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms, last_ms)
    VALUES ($1, $2, $3, 'claude', 'claude-sonnet-4-5-20250929', 'app', 'late', '', 'standard', $4, 0, 0, 0, 0, 0, 0, 1, $3, $3)`, [MEMBERS[0], machine, bucket, input]);
  try {
    const a = await card();
    await add('laptop', recent, 11);
    await add('laptop', old, 100);
    t.mock.timers.tick(61_000);
    assert.equal(await card(), a + 11, 'a minute later: the newer bucket counts; the old one waits for the next scan');
    await tdb.admin(`INSERT INTO agentmeter.machines (member, machine, last_push_ms, last_entry_ms, version) VALUES ($1, 'old-box', $2, $2, 'x')`, [MEMBERS[0], NOW]);
    await add('old-box', old, 1000);
    t.mock.timers.tick(61_000);
    assert.equal(await card(), a + 11 + 100 + 1000, 'a new machine: the old buckets are scanned again');
    await add('laptop', old - Q, 10_000);
    assert.equal(await card(true), a + 11 + 100 + 1000 + 10_000, 'Refresh reads everything again');
    await add('laptop', old - 2 * Q, 100_000);
    t.mock.timers.tick(61_000);
    assert.equal(await card(), a + 11_111, 'within the hour the old part stays');
    t.mock.timers.tick(3_600_000);
    assert.equal(await card(), a + 111_111, 'after an hour it is scanned again');
  } finally {
    await tdb.admin(`DELETE FROM agentmeter.usage WHERE branch = 'late' OR machine = 'old-box'`);
    await tdb.admin(`DELETE FROM agentmeter.machines WHERE machine = 'old-box'`);
  }
});
