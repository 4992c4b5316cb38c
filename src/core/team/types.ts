import type { Fact, Source, Tier, TokenCounts } from '../types';

/**
 * The team database's row shapes (PostgreSQL, schema `agentmeter`; see schema.ts). Pure data.
 * Cost is never stored: every reader prices the tokens with its own price table (the one pricing rule).
 */

/**
 * The minimal PostgreSQL client the core needs: `pg.Client` and `pg.PoolClient` satisfy it. Core never opens a
 * socket; connections are opened in src/app/team/connect.ts.
 */
export interface TeamQueryable {
  /**
   * `R`: a result row's shape as the caller's SELECT gives it (bigint and numeric columns come back as strings). Not
   * checked at run time, as with pg's own `query<R>`: the caller states what its SQL returns.
   */
  query<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** One pushed 15-minute bucket: absolute totals of a (source, model, project, branch, activity, tier) of one member's machine. */
export interface TeamBucket extends TokenCounts {
  bucketStartMs: number;
  source: Source;
  model: string;
  /** as the machine chose to send it: folder name, full path, or a salted hash (projectKey.ts) */
  project: string;
  branch: string;
  /** always '': activity is pushed per hour apart, in activity_hours (TeamActivityHour; the column is kept) */
  activity: string;
  tier: Tier;
  firstMs: number;
  lastMs: number;
}

/**
 * One pushed hour of cost by activity (schema version 2): absolute totals of a (source, model, tier, activity) of one
 * member's machine, its index's usage_acts row (core store/usageActivity.ts).
 */
export interface TeamActivityHour extends TokenCounts {
  hourMs: number;
  source: string;
  model: string;
  tier: Tier;
  /** the activity key as the machine stores it (core/activity.ts): `subagent/…` for a subagent's call, '' unknown */
  activity: string;
}

/** A team fact: a `Fact` (session '') of one member's machine, read back from the team database. */
export interface TeamFact extends Fact {
  member: string;
  machine: string;
  activity: string;
}

/** Whose facts to read: the connected member's own, from all its machines; or the whole team (leads; RLS decides). */
export type TeamScope = 'me-all' | 'team';

/** A machine's freshness: when it last pushed, with which AgentMeter version. */
export interface MachineFreshness {
  member: string;
  machine: string;
  /** epoch ms of the last successful push */
  lastPushMs: number;
  /** newest usage entry the machine has pushed (epoch ms), null when it pushed nothing yet */
  lastEntryMs: number | null;
  version: string;
}

export type BudgetPeriod = 'daily' | 'weekly' | 'monthly';

/** A budget set by a lead: for the whole team (`member` null) or one member, in USD per period. */
export interface TeamBudget {
  member: string | null;
  period: BudgetPeriod;
  usd: number;
}

/** What the connected login may do: `lead` reads the team; `member` pushes and reads its own rows; `none` neither. */
export type TeamRole = 'lead' | 'member' | 'none';

/** How projects are sent: the folder name (default), the full path, or a salted hash of the full path. */
export type ProjectMode = 'folder' | 'path' | 'hash';
export const PROJECT_MODES: readonly ProjectMode[] = ['folder', 'path', 'hash'];
