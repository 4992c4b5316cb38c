import { loadTeamActivityFacts } from '../../core/team/activityRead';
import { ACTIVITY_SCHEMA_VERSION } from '../../core/team/push';
import type { Fact } from '../../core/types';
import { loadBudgets, loadMachines, loadTeamFacts, loadTeamRole } from '../../core/team/read';
import type { MachineFreshness, TeamBudget, TeamFact, TeamRole, TeamScope } from '../../core/team/types';
import type { TeamConnection } from './connect';
import { TeamError } from './errors';

/**
 * The team's facts for a scope: `me-all` = `member`'s rows from all its machines; `team` = every row the login may
 * read (a lead: everyone's; a member: row-level security leaves its own). Bucket starts in [sinceMs, untilMs).
 * They are `Fact`s (session '') plus member and machine: group them with core/report/group.ts, priced locally.
 */
export interface TeamFactQuery {
  scope: TeamScope;
  /** required for `me-all` */
  member?: string;
  sinceMs?: number;
  untilMs?: number;
}

export async function readTeamFacts(conn: TeamConnection, q: TeamFactQuery): Promise<TeamFact[]> {
  if (q.scope === 'me-all' && !q.member) throw new Error('readTeamFacts: me-all needs the member');
  return loadTeamFacts(conn.client, { sinceMs: q.sinceMs, untilMs: q.untilMs, member: q.scope === 'me-all' ? q.member : undefined });
}

/**
 * The team's cost by activity for a scope (activity_hours), summed on the server per (source, model, tier, activity)
 * over the UTC hours of [sinceMs, untilMs) — facts as the local `loadActivityFacts` gives them. A database not yet
 * migrated to schema 2 has none: TeamError('not-initialised') saying to run `team init`.
 */
export async function readTeamActivityFacts(conn: TeamConnection, q: TeamFactQuery): Promise<Fact[]> {
  if (q.scope === 'me-all' && !q.member) throw new Error('readTeamActivityFacts: me-all needs the member');
  if (!hasTeamActivity(conn)) {
    throw new TeamError('not-initialised', `team database ${conn.identity} has schema version ${conn.schemaVersion}, without cost by ` +
      'activity: run agentmeter team init --postgres URL (an admin) to migrate it');
  }
  return loadTeamActivityFacts(conn.client, { sinceMs: q.sinceMs, untilMs: q.untilMs, member: q.scope === 'me-all' ? q.member : undefined });
}

/** Whether the database has the activity_hours table (team schema 2 or later). */
export function hasTeamActivity(conn: TeamConnection): boolean {
  return conn.schemaVersion >= ACTIVITY_SCHEMA_VERSION;
}

/** Each machine's last push (freshness) the login may read. */
export function readMachines(conn: TeamConnection): Promise<MachineFreshness[]> {
  return loadMachines(conn.client);
}

/** The budgets the login may read (a member: the team's and its own; a lead: all). */
export function readBudgets(conn: TeamConnection): Promise<TeamBudget[]> {
  return loadBudgets(conn.client);
}

export function readTeamRole(conn: TeamConnection): Promise<TeamRole> {
  return loadTeamRole(conn.client);
}
