/**
 * The index worker's team database requests (issue 16): the connection test, the push (from the writer's database:
 * `pushTeam` reads its rows outside any write transaction, between refreshes) and the team view's reads. Each request
 * opens its own connection and closes it. Errors are the team API's one-line TeamErrors. No `vscode` import.
 */
import type { Database } from 'sql.js';
import type { TeamConnection } from '../team/api';
import { loadOwnMembers } from '../../core/team/read';
import { priceTableDate } from '../../core/pricing/priceTable';
import type { DashboardSnapshot } from '../../shared/protocol';
import { PriceTableCache } from '../prices';
import { teamDashboardData, teamHistory, teamSnapshotFrom, type TeamReads } from '../dashboard/teamView';
import { factsSinceMs, firstDayOf, type SnapshotHistory } from '../dashboard/history';
import { zoneCalendar, zoneClock } from '../../core/report/tz';
import { readTeamHistory, readTeamViewFacts, teamDetailFrom, teamHistoryCut, withRecentGroups, type TeamViewFacts } from '../team/viewFacts';
import type { TeamHistoryRow } from '../../core/team/viewRead';
import type { Fact } from '../../core/types';
import { activityViewOf } from '../dashboard/activityView';
import type { DashboardData } from '../dashboard/fromDatabase';
import type { SnapshotQuery } from './engine';
import { createTeamReportFile, type ReportQuery, type ReportWritten } from '../reports/createReportFile';
import type { TeamCheckResult, TeamPushOutcome, TeamPushProgress, TeamPushRequest, TeamTargetRequest } from './teamRequests';

/** A team dashboard snapshot: the usual query, the database, and whose usage. */
export interface TeamSnapshotQuery extends SnapshotQuery {
  target: TeamTargetRequest;
  scope: 'me-all' | 'team';
  /** this machine's member name (the `me-all` scope's) */
  member: string;
  /** read the team database again now (the dashboard's Refresh) */
  fresh?: boolean;
}

/** A report file from the team database (AgentMeter: Create Report… with the Team or Me, all machines scope). */
export interface TeamReportQuery extends ReportQuery {
  target: TeamTargetRequest;
  teamScope: 'me-all' | 'team';
  /** this machine's member name (the `me-all` scope's) */
  member: string;
}

/** The team API, loaded on first use: `pg` costs ~0.1 s to load, and most windows never connect a team database. */
type TeamApi = typeof import('../team/api');
let teamApiLoad: Promise<TeamApi> | undefined;
const teamApi = (): Promise<TeamApi> => {
  teamApiLoad ??= import('../team/api');
  return teamApiLoad;
};

/**
 * The team's facts are read again after this long, or when the host says the data changed (`reload`: this machine's
 * usage, pushed soon after) but not more often than every TEAM_RELOAD_MIN_MS: a streaming agent changes the local data
 * every second, and a team's facts are a large read.
 */
const TEAM_READ_TTL_MS = 60_000;
const TEAM_RELOAD_MIN_MS = 10_000;
/** The groups of buckets older than ~70 days (teamHistoryCut) are scanned again after this long at the latest. */
const TEAM_OLD_HISTORY_TTL_MS = 3_600_000;

export interface TeamWorkerDeps {
  /** the writer's database once no refresh runs (engine.writerDatabase) */
  writerDatabase(): Promise<Database>;
}

export async function withTeamConnection<T>(t: TeamTargetRequest, use: (c: TeamConnection) => Promise<T>): Promise<T> {
  const { openTeamConnection } = await teamApi();
  const conn = await openTeamConnection({ url: t.url }, { caFile: t.caFile ?? undefined });
  try {
    return await use(conn);
  } finally {
    await conn.close();
  }
}

export class TeamWorker {
  private readonly prices: PriceTableCache;
  private cached: { key: string; atMs: number; reads: TeamReads; history: SnapshotHistory; view: TeamViewFacts; data: DashboardData } | undefined;
  /** the groups of the buckets before `cutMs` (a scan of most of the team's rows, kept up to an hour) */
  private old: { key: string; cutMs: number; machines: string; atMs: number; rows: TeamHistoryRow[] } | undefined;
  /** the activity facts of the last snapshot's range, read with the facts of `atMs` (null: a schema 1 database) */
  private acts: { key: string; atMs: number; sinceMs: number; untilMs: number; facts: Fact[] | null } | undefined;

  constructor(private readonly deps: TeamWorkerDeps) {
    this.prices = new PriceTableCache(() => {}); // the engine's cache reports rejected overrides
  }

  /** Connects, checks the schema, and reads the login's role and the member names it may write. */
  async teamCheck(t: TeamTargetRequest): Promise<TeamCheckResult> {
    const { readTeamRole } = await teamApi();
    return withTeamConnection(t, async (c) => ({ role: await readTeamRole(c), members: await loadOwnMembers(c.client) }));
  }

  /** One push of this machine's buckets (see app/team/push.ts for what and which range). */
  async teamPush(req: TeamPushRequest, onProgress?: (p: TeamPushProgress) => void): Promise<TeamPushOutcome> {
    const db = await this.deps.writerDatabase();
    const { pushTeam } = await teamApi();
    return withTeamConnection(req, async (c) => {
      const r = await pushTeam(db, c, {
        member: req.member, machine: req.machine, projects: req.projects, salt: req.projectSalt ?? '', version: req.version,
      }, (p: { batch: number; batches: number; buckets: number }) => onProgress?.({ batch: p.batch, batches: p.batches, buckets: p.buckets }));
      this.cached = undefined; // the team view shows this push at once
      return { buckets: r.buckets, full: r.full };
    });
  }

  /**
   * A report file over the team database's facts of the period: `team` = every row the login may read (a lead:
   * everyone's; a member: row-level security leaves its own, and the document says so), `me-all` = this member's
   * from all its machines. Read fresh (never the dashboard's cache); a failed read writes nothing.
   */
  async teamWriteReport(q: TeamReportQuery): Promise<ReportWritten> {
    const { readMachines, readTeamFacts, readTeamRole } = await teamApi();
    const { target, teamScope, member, ...report } = q;
    return createTeamReportFile(
      (range) => withTeamConnection(target, async (conn) => {
        const role = await readTeamRole(conn);
        const facts = await readTeamFacts(conn, teamScope === 'team' ? { scope: 'team', ...range } : { scope: 'me-all', member, ...range });
        const machines = (await readMachines(conn)).filter((m) => teamScope === 'team' || m.member === member);
        return { facts, machines, identity: conn.identity, role, scope: teamScope, ...(teamScope === 'me-all' ? { member } : {}) };
      }),
      (o, r) => this.prices.get(o, r),
      // the editor's budgets are this member's: a team report does not hold the team's spend against them
      teamScope === 'team' ? { ...report, budgets: undefined } : report,
    );
  }

  /**
   * The dashboard in a team scope: the machines and budgets of the member (all its machines) or of everyone a lead may
   * read, read once per minute or data change; the facts the snapshot needs (from its range's baseline or the last 70
   * days on), summed on the server to days before the last week and hours within it (app/team/viewFacts.ts), read
   * again when a range reaches further back; and the all-time groups, from those facts after the history cut and a
   * scan kept up to an hour before it. Then the usual snapshot over them.
   */
  async teamSnapshot(q: TeamSnapshotQuery): Promise<DashboardSnapshot> {
    const timeZone = q.settings.timeZone;
    const key = JSON.stringify([q.target.url, q.target.caFile, q.scope, q.member, timeZone]);
    const now = Date.now();
    const member = q.scope === 'me-all' ? q.member : undefined;
    let c = this.cached;
    const stale = !c || c.key !== key || q.fresh || now - c.atMs > (q.reload ? TEAM_RELOAD_MIN_MS : TEAM_READ_TTL_MS)
      || teamDetailFrom(q.nowMs, timeZone) !== c.view.detailFromMs;
    const api = await teamApi();
    if (stale || !c) {
      c = await withTeamConnection(q.target, async (conn) => {
        const role = await api.readTeamRole(conn);
        const machines = await api.readMachines(conn);
        const budgets = await api.readBudgets(conn);
        // the groups of the buckets before the cut: scanned again hourly, when the cut moves (a new day), when a
        // machine appears (its first push brings its history) or on Refresh; the buckets after it come with the facts
        const cutMs = teamHistoryCut(q.nowMs, timeZone);
        const sig = machines.map((m) => `${m.member}\u0000${m.machine}`).join('\u0001');
        let old = this.old;
        if (!old || old.key !== key || old.cutMs !== cutMs || old.machines !== sig || q.fresh || now - old.atMs > TEAM_OLD_HISTORY_TTL_MS) {
          old = this.old = { key, cutMs, machines: sig, atMs: now, rows: await readTeamHistory(conn, member, cutMs) };
        }
        const sinceMs = Math.min(this.sinceFor(q, teamHistory(old.rows)), cutMs);
        const view = await readTeamViewFacts(conn, { member, sinceMs, nowMs: q.nowMs, timeZone });
        const history = teamHistory(withRecentGroups(old.rows, view.facts, cutMs));
        const reads: TeamReads = { scope: q.scope, role, member: q.member, facts: view.facts, machines, budgets };
        return { key, atMs: now, reads, history, view, data: teamDashboardData(view.facts, { history, detailFromMs: view.detailFromMs }) };
      });
      this.cached = c;
    } else {
      const sinceMs = this.sinceFor(q, c.history);
      if (sinceMs < c.view.sinceMs) {
        // a range further back than the facts read: read from there (the groups, machines and budgets stay)
        const view = await withTeamConnection(q.target, (conn) => readTeamViewFacts(conn, { member, sinceMs, nowMs: q.nowMs, timeZone }));
        const prev: NonNullable<typeof c> = c;
        c = this.cached = { ...prev, view, reads: { ...prev.reads, facts: view.facts }, data: teamDashboardData(view.facts, { history: prev.history, detailFromMs: view.detailFromMs }) };
      }
    }
    const { priceOverrides, reload: _reload, target: _t, scope: _s, member: _m, fresh: _f, ...ctx } = q;
    const table = this.prices.get(priceOverrides, ctx.settings.currency.rates);
    const snapshot = teamSnapshotFrom(c.data, c.reads, { ...ctx, table, priceTableDate });
    // cost by activity: the team's activity hours over the snapshot's range (core/team/activityRead.ts), summed on the
    // server per (source, model, tier, activity) and read again with the facts or when the range changes
    const { rangeFromDay: fromDay, rangeToDay: toDay } = snapshot;
    const aq = { filters: snapshot.filters, fromDay: fromDay ?? '', toDay: toDay ?? '', timeZone, prices: table };
    if (snapshot.filters.project !== null || !fromDay || !toDay) {
      snapshot.activity = activityViewOf([], aq);
      return snapshot;
    }
    const { sinceMs, untilMs } = zoneCalendar(timeZone).dayRange(fromDay, toDay);
    const range = { sinceMs: sinceMs ?? Number.MIN_SAFE_INTEGER, untilMs: untilMs ?? Number.MAX_SAFE_INTEGER };
    let acts = this.acts;
    if (!acts || acts.key !== key || acts.atMs !== c.atMs || acts.sinceMs !== range.sinceMs || acts.untilMs !== range.untilMs) {
      const facts = await withTeamConnection(q.target, async (conn) => api.hasTeamActivity(conn)
        ? api.readTeamActivityFacts(conn, member ? { scope: 'me-all', member, ...range } : { scope: 'team', ...range })
        : null);
      acts = this.acts = { key, atMs: c.atMs, ...range, facts };
    }
    // a database not yet migrated to team schema 2 has no activity: the panel stays hidden
    if (acts.facts) snapshot.activity = activityViewOf(acts.facts, aq);
    return snapshot;
  }

  /** The first bucket the snapshot of `q` reads facts from (history.ts `factsSinceMs`, the local snapshot's rule). */
  private sinceFor(q: TeamSnapshotQuery, history: SnapshotHistory): number {
    const clock = zoneClock(q.settings.timeZone);
    return factsSinceMs(q.filters, clock(q.nowMs).day, firstDayOf(history, q.filters, clock));
  }
}
