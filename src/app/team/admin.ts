import { bindMember, saveBudget, UnknownLoginError } from '../../core/team/admin';
import { migrateTeamSchema, TeamSchemaNewerError } from '../../core/team/schema';
import type { BudgetPeriod } from '../../core/team/types';
import { newerSchema, type TeamConnection } from './connect';
import { TeamError, toTeamError } from './errors';
import { checkTeamName } from './names';

/** `agentmeter team init` / `add-member` and the lead's budgets. Connect with `checkSchema: false` for init. */
export interface InitResult {
  /** schema version before and after */
  from: number;
  to: number;
}

export async function initTeamDatabase(conn: TeamConnection): Promise<InitResult> {
  try {
    return await migrateTeamSchema(conn.client);
  } catch (e) {
    if (e instanceof TeamSchemaNewerError) throw newerSchema(conn.identity, e.found);
    throw toTeamError(e, conn.identity);
  }
}

/**
 * Lets `login` push (and read) `member`'s rows; `lead`: and read the whole team. `createWithPassword`: create the
 * login when it does not exist yet (returns whether it did).
 */
export async function addTeamMember(conn: TeamConnection, login: string, member: string, lead = false, createWithPassword?: string): Promise<{ created: boolean }> {
  checkTeamName('login', login);
  checkTeamName('member', member);
  if (createWithPassword !== undefined && createWithPassword.length < 12) throw new TeamError('bad-input', 'a new login\'s password must have at least 12 characters');
  try {
    return await bindMember(conn.client, login, member, lead, createWithPassword);
  } catch (e) {
    if (e instanceof UnknownLoginError) throw new TeamError('bad-input', `${e.message}, or let add-member create it (--create-login)`);
    throw toTeamError(e, conn.identity);
  }
}

/** Sets (usd) or removes (null) the team's (member null) or a member's budget. A lead's or the admin's. */
export async function setTeamBudget(conn: TeamConnection, member: string | null, period: BudgetPeriod, usd: number | null): Promise<void> {
  if (member !== null) checkTeamName('member', member);
  if (usd !== null && !(Number.isFinite(usd) && usd >= 0)) throw new TeamError('bad-input', 'a budget must be a number of USD ≥ 0');
  await saveBudget(conn.client, member, period, usd);
}
