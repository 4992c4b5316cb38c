import type { BudgetPeriod, TeamQueryable } from './types';

/** The lead's / admin's writes: which member names a login may write, its role, and budgets. */

export class UnknownLoginError extends Error {
  constructor(readonly login: string) {
    super(`no database login ${JSON.stringify(login)}: create it first (CREATE ROLE … LOGIN PASSWORD …)`);
  }
}

/**
 * Binds `member` to the database login `login` (it may then push and read that member's rows) and grants it the
 * member role, or the lead role too with `lead`. Idempotent. With `createWithPassword` a missing login is created
 * first (LOGIN, that password; an existing one is left as it is); returns whether it was created. Names and the
 * password travel as parameters; the statements are built by PostgreSQL's own format('%I', '%L').
 */
export async function bindMember(c: TeamQueryable, login: string, member: string, lead = false, createWithPassword?: string): Promise<{ created: boolean }> {
  await c.query('BEGIN');
  let created = false;
  try {
    const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login]);
    if (!exists.rows.length) {
      if (createWithPassword === undefined) throw new UnknownLoginError(login);
      const q = await c.query<{ sql: string }>(`SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS sql`, [login, createWithPassword]);
      await c.query(q.rows[0]!.sql);
      created = true;
    }
    await c.query(
      'INSERT INTO agentmeter.team_members (login, member) VALUES ($1, $2) ON CONFLICT DO NOTHING', [login, member]);
    for (const role of lead ? ['agentmeter_member', 'agentmeter_lead'] : ['agentmeter_member']) {
      const g = await c.query<{ sql: string }>(`SELECT format('GRANT %I TO %I', $1::text, $2::text) AS sql`, [role, login]);
      await c.query(g.rows[0].sql);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return { created };
}

/** Sets (usd) or removes (null) the team's (member null) or a member's budget for a period. */
export async function saveBudget(c: TeamQueryable, member: string | null, period: BudgetPeriod, usd: number | null): Promise<void> {
  if (usd === null) {
    await c.query('DELETE FROM agentmeter.budgets WHERE member = $1 AND period = $2', [member ?? '', period]);
    return;
  }
  await c.query(
    `INSERT INTO agentmeter.budgets (member, period, usd) VALUES ($1, $2, $3)
     ON CONFLICT (member, period) DO UPDATE SET usd = excluded.usd`, [member ?? '', period, usd]);
}
