/**
 * `npm run bench -- --team-view` (scripts/bench/team.mjs runs this bundled): a lead's dashboard over a large team.
 * Fills a throwaway PostgreSQL with N members' pushed buckets over D days (working hours 09:00-18:00 UTC, four rows a
 * bucket: two projects' worth of branches, Claude and Codex, two machines a member), then times the index worker's
 * team snapshot (TeamWorker, the shipped code) for a lead: 30 days cold (new worker: role, all-time groups, the
 * summed facts), a filter change, the range switched to All, and the same through every pushed row (the read before
 * viewFacts.ts) for comparison. Prints wall times, rows read and the process's peak RSS.
 */
import { performance } from 'node:perf_hooks';
import { initTeamDatabase, openTeamConnection, readTeamFacts } from '../../src/app/team/api';
import { readTeamHistory, readTeamViewFacts } from '../../src/app/team/viewFacts';
import { TeamWorker } from '../../src/app/indexWorker/teamWorker';
import { teamDashboardData, teamSnapshotFrom } from '../../src/app/dashboard/teamView';
import { parseSettings } from '../../src/app/settingsParse';
import { createPriceTable, priceTableDate } from '../../src/core/pricing/priceTable';
import { DEFAULT_FILTERS, type DashboardFilters } from '../../src/shared/protocol';
import { loadTeamActivityFacts } from '../../src/core/team/activityRead';

export interface TeamViewOptions {
  adminUrl: string;
  members: number;
  days: number;
  out(line: string): void;
}

const DAY = 86_400_000;
const MiB = 2 ** 20;

export async function runTeamView(o: TeamViewOptions): Promise<void> {
  const { out } = o;
  const admin = await openTeamConnection({ url: o.adminUrl }, { checkSchema: false });
  await initTeamDatabase(admin);
  const nowMs = Date.now();
  const firstDay = Math.floor(nowMs / DAY) * DAY - (o.days - 1) * DAY;
  let t = performance.now();
  // member m, day d, quarter q of 09:00-18:00 UTC, row k: k 0-1 Claude on main / a feature branch, 2 another model,
  // 3 Codex; a project per member and week; token counts from a hash of the coordinates
  await admin.client.query(`
    INSERT INTO agentmeter.usage (member, machine, bucket_ms, source, model, project, branch, activity, tier, input, output,
      cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms, last_ms)
    SELECT 'member' || m || '@example.com', CASE WHEN (d + m) % 3 = 0 THEN 'desktop' ELSE 'laptop' END, b,
      CASE WHEN k = 3 THEN 'codex' ELSE 'claude' END,
      CASE k WHEN 2 THEN 'claude-opus-4-1-20250805' WHEN 3 THEN 'gpt-5-codex' ELSE 'claude-sonnet-4-5-20250929' END,
      'project-' || ((d / 7 + m) % 40), CASE k WHEN 1 THEN 'feature/x' ELSE 'main' END, '', 'standard',
      h % 5000, h % 20000, h % 30000, 0, h % 400000, CASE WHEN k = 3 THEN h % 7000 ELSE 0 END, 0, 1 + h % 9, b + 1000, b + 899000
    FROM generate_series(1, $1::int) m, generate_series(0, $2::int - 1) d, generate_series(0, 35) q, generate_series(0, 3) k,
      LATERAL (SELECT $3::bigint + d::bigint * 86400000 + 32400000 + q::bigint * 900000 AS b,
        abs(hashint4(m * 1000003 + d * 1009 + q * 31 + k))::bigint AS h) x`,
    [o.members, o.days, firstDay]);
  // cost by activity (team schema 2): per member, day, hour of 09:00-18:00 UTC, model (k as above) and 5 activities
  await admin.client.query(`
    INSERT INTO agentmeter.activity_hours (member, machine, hour_ms, source, model, tier, activity, agent, input, output,
      cw5m, cw1h, cache_read, reasoning, web_search, requests)
    SELECT 'member' || m || '@example.com', CASE WHEN (d + m) % 3 = 0 THEN 'desktop' ELSE 'laptop' END, $3::bigint + d::bigint * 86400000 + (9 + q)::bigint * 3600000,
      CASE WHEN k = 3 THEN 'codex' ELSE 'claude' END,
      CASE k WHEN 2 THEN 'claude-opus-4-1-20250805' WHEN 3 THEN 'gpt-5-codex' ELSE 'claude-sonnet-4-5-20250929' END, 'standard',
      (ARRAY['coding', 'exploring', 'running', 'conversation', 'subagent/exploring'])[a + 1], CASE a WHEN 4 THEN 'subagent' ELSE 'main' END,
      h % 5000, h % 20000, h % 30000, 0, h % 400000, CASE WHEN k = 3 THEN h % 7000 ELSE 0 END, 0, 1 + h % 9
    FROM generate_series(1, $1::int) m, generate_series(0, $2::int - 1) d, generate_series(0, 8) q, generate_series(0, 3) k, generate_series(0, 4) a,
      LATERAL (SELECT abs(hashint4(m * 1000003 + d * 1009 + q * 31 + k * 7 + a))::bigint AS h) x
    ON CONFLICT DO NOTHING`,
    [o.members, o.days, firstDay]);
  await admin.client.query('ANALYZE agentmeter.usage');
  await admin.client.query('ANALYZE agentmeter.activity_hours');
  const actRows = Number((await admin.client.query<{ n: string }>('SELECT count(*) AS n FROM agentmeter.activity_hours')).rows[0]!.n);
  out(`and ${actRows.toLocaleString('en')} activity hours`);
  const rows = Number((await admin.client.query<{ n: string }>('SELECT count(*) AS n FROM agentmeter.usage')).rows[0]!.n);
  const size = Number((await admin.client.query<{ s: string }>(`SELECT pg_total_relation_size('agentmeter.usage') AS s`)).rows[0]!.s);
  out(`${o.members} members × ${o.days} days: ${rows.toLocaleString('en')} pushed rows (${(size / MiB).toFixed(0)} MiB in PostgreSQL), filled in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const settings = parseSettings((k) => (k === 'timeZone' ? 'Asia/Shanghai' : undefined)).settings;
  const status = { indexing: false, lastUpdatedMs: null, searched: {}, notes: [], isWriter: true };
  const target = { url: o.adminUrl, caFile: null };
  const worker = new TeamWorker({ writerDatabase: () => Promise.reject(new Error('not used')) });
  const snap = async (filters: DashboardFilters, reload = false) => {
    const s = performance.now();
    const cpu = process.cpuUsage();
    const r = await worker.teamSnapshot({ filters, nowMs, locale: 'en', settings, status, priceOverrides: {}, reload, target, scope: 'team', member: 'lead@example.com' });
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - s, cpuMs: (used.user + used.system) / 1000, r };
  };
  const rss = () => `${(process.memoryUsage().rss / MiB).toFixed(0)} MiB RSS`;
  const fig = (x: { ms: number; cpuMs: number }) => `${x.ms.toFixed(0)} ms wall, ${x.cpuMs.toFixed(0)} ms CPU in this process (PostgreSQL's work and waiting for a core are the rest)`;
  const f30: DashboardFilters = { ...DEFAULT_FILTERS, range: '30d', scope: 'team' };
  // each pair right after the other: the second uses the reads cached by the first (TEAM_READ_TTL_MS 60 s)
  const cold = await snap(f30);
  const filter = await snap({ ...f30, source: 'codex' });
  out(`team snapshot, 30 days, cold (role, all-time groups, summed facts of the last ~72 days, snapshot): ${fig(cold)}; ${rss()}`);
  out(`team snapshot, 30 days, a filter change (cached reads): ${fig(filter)}`);
  await new Promise((r) => setTimeout(r, 10_500));
  const again = await snap(f30, true);
  out(`team snapshot, 30 days, read again after a data change (machines, budgets, the summed facts; the groups older than 70 days kept): ${fig(again)}`);
  const all = await snap({ ...f30, range: 'all' });
  const allAgain = await snap({ ...f30, range: 'all', source: 'claude' });
  out(`team snapshot, the range switched to all time (reads every day since the first): ${fig(all)}; ${all.r.daily.labels.length} days; ${rss()}`);
  out(`team snapshot, all time, a filter change: ${fig(allAgain)}`);
  t = performance.now();
  const history = await readTeamHistory(admin);
  out(`the all-time groups query alone (every row; the view scans those older than 70 days at most hourly): ${(performance.now() - t).toFixed(0)} ms (${history.length} groups)`);
  for (const [label, sinceMs] of [['30 days', nowMs - 30 * DAY], ['all time', undefined]] as const) {
    t = performance.now();
    const acts = await loadTeamActivityFacts(admin.client, { sinceMs, untilMs: nowMs });
    out(`the team's cost by activity alone, ${label} (summed on the server per source, model, tier and activity): ${(performance.now() - t).toFixed(0)} ms, ${acts.length} rows read`);
  }
  t = performance.now();
  const view = await readTeamViewFacts(admin, { sinceMs: nowMs - 75 * DAY, nowMs, timeZone: 'Asia/Shanghai' });
  out(`the summed facts of the last 75 days alone: ${(performance.now() - t).toFixed(0)} ms, ${view.facts.length.toLocaleString('en')} rows read`);

  // before viewFacts.ts: every pushed row read into the worker, then the snapshot over them
  t = performance.now();
  try {
    const facts = await readTeamFacts(admin, { scope: 'team' });
    const readMs = performance.now() - t;
    const table = createPriceTable();
    const s = performance.now();
    const before = teamSnapshotFrom(teamDashboardData(facts), { scope: 'team', role: 'lead', member: 'lead@example.com', facts, machines: [], budgets: [] },
      { filters: f30, nowMs, locale: 'en', settings, status, table, priceTableDate });
    out(`every pushed row (the read before): ${facts.length.toLocaleString('en')} rows in ${(readMs / 1000).toFixed(1)} s, snapshot ${(performance.now() - s).toFixed(0)} ms; ${rss()}`);
    const a = before.cards.find((c) => c.id === 'all');
    const b = cold.r.cards.find((c) => c.id === 'all');
    out(`all-time card: ${a?.tokens === b?.tokens && Math.round((a?.costUSD ?? 0) * 100) === Math.round((b?.costUSD ?? 0) * 100) ? 'equal (tokens, cost to the cent)' : `DIFFERENT: ${JSON.stringify([a, b])}`}`);
  } catch (e) {
    out(`every pushed row (the read before): failed after ${((performance.now() - t) / 1000).toFixed(1)} s: ${e instanceof Error ? e.message : String(e)}`);
  }
  out(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  await admin.close();
}
