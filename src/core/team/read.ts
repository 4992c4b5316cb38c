import type { Source, Tier } from '../types';
import type { BudgetPeriod, MachineFreshness, TeamBudget, TeamFact, TeamQueryable, TeamRole } from './types';
import { tokenCountsOf, type TokenColumns } from './sumColumns';

/**
 * The team database's reads. Row-level security decides what a login sees: a member its own member names' rows, a
 * lead everything. Numbers come back as bigint strings and are read with Number (token counts stay far below 2^53).
 */

export interface TeamFactFilter {
  /** bucket start ≥ sinceMs */
  sinceMs?: number;
  /** bucket start < untilMs */
  untilMs?: number;
  /** only this member's rows (every row the login may read when absent) */
  member?: string;
}

/** An agentmeter.usage row as pg returns it: bigint columns as strings. */
interface UsageRow extends TokenColumns {
  member: string; machine: string; bucket_ms: string; source: string; model: string; project: string; branch: string;
  activity: string; tier: string; first_ms: string; last_ms: string;
}

/** Facts ordered by bucket, then member, machine and the dims (a stable order: two reads are equal). */
export async function loadTeamFacts(c: TeamQueryable, f: TeamFactFilter = {}): Promise<TeamFact[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.sinceMs !== undefined) {
    params.push(f.sinceMs);
    where.push(`bucket_ms >= $${params.length}`);
  }
  if (f.untilMs !== undefined) {
    params.push(f.untilMs);
    where.push(`bucket_ms < $${params.length}`);
  }
  if (f.member !== undefined) {
    params.push(f.member);
    where.push(`member = $${params.length}`);
  }
  const r = await c.query<UsageRow>(
    `SELECT member, machine, bucket_ms, source, model, project, branch, activity, tier, input, output, cw5m, cw1h,
       cache_read, reasoning, web_search, requests, first_ms, last_ms
     FROM agentmeter.usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY bucket_ms, member, machine, source, model, project, branch, activity, tier`,
    params,
  );
  return r.rows.map((x) => ({
    bucketStartMs: Number(x.bucket_ms), firstMs: Number(x.first_ms), lastMs: Number(x.last_ms),
    source: x.source as Source, model: x.model, project: x.project, session: '', branch: x.branch, tier: x.tier as Tier,
    ...tokenCountsOf(x), member: x.member, machine: x.machine, activity: x.activity,
  }));
}

export async function loadMachines(c: TeamQueryable): Promise<MachineFreshness[]> {
  const r = await c.query<{ member: string; machine: string; last_push_ms: string; last_entry_ms: string | null; version: string }>(
    'SELECT member, machine, last_push_ms, last_entry_ms, version FROM agentmeter.machines ORDER BY member, machine');
  return r.rows.map((x) => ({
    member: x.member, machine: x.machine, lastPushMs: Number(x.last_push_ms),
    lastEntryMs: x.last_entry_ms === null ? null : Number(x.last_entry_ms), version: x.version,
  }));
}

export async function loadBudgets(c: TeamQueryable): Promise<TeamBudget[]> {
  const r = await c.query<{ member: string; period: string; usd: number }>(
    `SELECT member, period, usd::float8 AS usd FROM agentmeter.budgets ORDER BY member, period`);
  return r.rows.map((x) => ({ member: x.member === '' ? null : x.member, period: x.period as BudgetPeriod, usd: Number(x.usd) }));
}

/** The connected login's role, by its membership of the two group roles (a lead is a lead even if also a member). */
export async function loadTeamRole(c: TeamQueryable): Promise<TeamRole> {
  const r = await c.query<{ lead: boolean; member: boolean }>(
    `SELECT pg_has_role(current_user, 'agentmeter_lead', 'MEMBER') AS lead,
       pg_has_role(current_user, 'agentmeter_member', 'MEMBER') AS member`);
  const x = r.rows[0] ?? {};
  return x.lead ? 'lead' : x.member ? 'member' : 'none';
}

/** The member names the connected login may write (its team_members rows). */
export async function loadOwnMembers(c: TeamQueryable): Promise<string[]> {
  const r = await c.query('SELECT member FROM agentmeter.team_members WHERE login = current_user ORDER BY member');
  return r.rows.map((x) => String(x.member));
}

/** The login connected as. */
export async function loadLogin(c: TeamQueryable): Promise<string> {
  return String((await c.query('SELECT current_user AS u')).rows[0].u);
}
