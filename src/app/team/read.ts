import { loadBudgets, loadMachines, loadTeamFacts, loadTeamRole } from '../../core/team/read';
import type { MachineFreshness, TeamBudget, TeamFact, TeamRole, TeamScope } from '../../core/team/types';
import type { TeamConnection } from './connect';

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
