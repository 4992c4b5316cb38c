import type { TeamQueryable } from './types';

/**
 * The team database's schema (PostgreSQL), in the schema `agentmeter`, versioned by the row
 * `agentmeter.meta('schema_version')`. Never edit a released migration: append one. Each runs in its own
 * transaction under an advisory lock, so two `team init` at once apply it once.
 *
 * usage         per (member, machine, 15-minute UTC bucket, source, model, project, branch, activity, tier): ABSOLUTE
 *               token totals and requests, first/last entry (epoch ms). A push replaces a member's machine's rows over
 *               a time range in one transaction (push.ts), so a retry or a replay never double counts.
 * machines      per (member, machine): last successful push, newest entry pushed, AgentMeter version (freshness).
 * team_members  (login, member): which member names a database login may write. The lead / admin fills it.
 * budgets       USD per period for the team (member '') or one member; leads write, members read theirs and the team's.
 * Roles (cluster-wide, NOLOGIN groups): agentmeter_member (writes and reads the rows of the member names bound to its
 * login, by row-level security), agentmeter_lead (reads everything, writes budgets and team_members).
 * activity_hours (version 2) per (member, machine, UTC hour, source, model, tier, activity): ABSOLUTE token totals and
 *               requests of the machine's cost-by-activity aggregate (its index's usage_acts, core store/usageActivity.ts),
 *               `activity` its key as stored there (`coding`, `mcp:<server>`, `delegating:<type>`, `subagent/<key>` for a
 *               subagent's call, '' unknown) and `agent` 'main' or 'subagent' (the key's prefix). No project or branch:
 *               the local aggregate has none. Replaced per machine and whole hours in the usage push's transaction.
 * Views (leads): usage_15m, daily_usage, daily_member_totals, machine_freshness, daily_activity (version 2; documented
 * in the README).
 */
export const TEAM_MIGRATIONS: readonly string[] = [
  // 1
  `
  CREATE SCHEMA IF NOT EXISTS agentmeter;
  CREATE TABLE agentmeter.usage (
    member text NOT NULL, machine text NOT NULL, bucket_ms bigint NOT NULL,
    source text NOT NULL, model text NOT NULL, project text NOT NULL, branch text NOT NULL,
    activity text NOT NULL DEFAULT '', tier text NOT NULL,
    input bigint NOT NULL, output bigint NOT NULL, cw5m bigint NOT NULL, cw1h bigint NOT NULL,
    cache_read bigint NOT NULL, reasoning bigint NOT NULL, web_search bigint NOT NULL, requests bigint NOT NULL,
    first_ms bigint NOT NULL, last_ms bigint NOT NULL,
    CHECK (bucket_ms % 900000 = 0),
    PRIMARY KEY (member, machine, bucket_ms, source, model, project, branch, activity, tier)
  );
  CREATE INDEX usage_bucket ON agentmeter.usage (bucket_ms);
  CREATE TABLE agentmeter.machines (
    member text NOT NULL, machine text NOT NULL,
    last_push_ms bigint NOT NULL, last_entry_ms bigint, version text NOT NULL,
    PRIMARY KEY (member, machine)
  );
  CREATE TABLE agentmeter.team_members (login name NOT NULL, member text NOT NULL, PRIMARY KEY (login, member));
  CREATE TABLE agentmeter.budgets (
    member text NOT NULL DEFAULT '', period text NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly')),
    usd numeric NOT NULL CHECK (usd >= 0),
    PRIMARY KEY (member, period)
  );
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentmeter_member') THEN CREATE ROLE agentmeter_member NOLOGIN; END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another database of the cluster made them at the same time
  END $$;
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentmeter_lead') THEN CREATE ROLE agentmeter_lead NOLOGIN; END IF;
  END $$;
  GRANT USAGE ON SCHEMA agentmeter TO agentmeter_member, agentmeter_lead;
  GRANT SELECT ON agentmeter.meta TO agentmeter_member, agentmeter_lead;
  GRANT SELECT, INSERT, UPDATE, DELETE ON agentmeter.usage, agentmeter.machines TO agentmeter_member;
  GRANT SELECT ON agentmeter.usage, agentmeter.machines TO agentmeter_lead;
  GRANT SELECT ON agentmeter.team_members, agentmeter.budgets TO agentmeter_member;
  GRANT SELECT, INSERT, UPDATE, DELETE ON agentmeter.team_members, agentmeter.budgets TO agentmeter_lead;

  ALTER TABLE agentmeter.usage ENABLE ROW LEVEL SECURITY;
  ALTER TABLE agentmeter.machines ENABLE ROW LEVEL SECURITY;
  ALTER TABLE agentmeter.team_members ENABLE ROW LEVEL SECURITY;
  ALTER TABLE agentmeter.budgets ENABLE ROW LEVEL SECURITY;
  CREATE POLICY own_rows ON agentmeter.usage FOR ALL TO agentmeter_member
    USING (EXISTS (SELECT 1 FROM agentmeter.team_members t WHERE t.login = current_user AND t.member = usage.member))
    WITH CHECK (EXISTS (SELECT 1 FROM agentmeter.team_members t WHERE t.login = current_user AND t.member = usage.member));
  CREATE POLICY lead_reads ON agentmeter.usage FOR SELECT TO agentmeter_lead USING (true);
  CREATE POLICY own_rows ON agentmeter.machines FOR ALL TO agentmeter_member
    USING (EXISTS (SELECT 1 FROM agentmeter.team_members t WHERE t.login = current_user AND t.member = machines.member))
    WITH CHECK (EXISTS (SELECT 1 FROM agentmeter.team_members t WHERE t.login = current_user AND t.member = machines.member));
  CREATE POLICY lead_reads ON agentmeter.machines FOR SELECT TO agentmeter_lead USING (true);
  CREATE POLICY own_binding ON agentmeter.team_members FOR SELECT TO agentmeter_member USING (login = current_user);
  CREATE POLICY lead_all ON agentmeter.team_members FOR ALL TO agentmeter_lead USING (true) WITH CHECK (true);
  CREATE POLICY team_or_own ON agentmeter.budgets FOR SELECT TO agentmeter_member
    USING (member = '' OR EXISTS (SELECT 1 FROM agentmeter.team_members t WHERE t.login = current_user AND t.member = budgets.member));
  CREATE POLICY lead_all ON agentmeter.budgets FOR ALL TO agentmeter_lead USING (true) WITH CHECK (true);

  CREATE VIEW agentmeter.usage_15m AS
    SELECT timestamptz 'epoch' + bucket_ms * interval '1 millisecond' AS bucket, member, machine, source, model, project,
      branch, activity, tier, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests,
      input + output + cw5m + cw1h + cache_read AS total_tokens
    FROM agentmeter.usage;
  CREATE VIEW agentmeter.daily_usage AS
    SELECT (timestamptz 'epoch' + (bucket_ms - bucket_ms % 86400000) * interval '1 millisecond') AS day, member, machine,
      source, model, tier, sum(input) AS input, sum(output) AS output, sum(cw5m) AS cw5m, sum(cw1h) AS cw1h,
      sum(cache_read) AS cache_read, sum(reasoning) AS reasoning, sum(web_search) AS web_search,
      sum(requests) AS requests, sum(input + output + cw5m + cw1h + cache_read) AS total_tokens
    FROM agentmeter.usage GROUP BY 1, 2, 3, 4, 5, 6;
  CREATE VIEW agentmeter.daily_member_totals AS
    SELECT day, member, sum(input) AS input, sum(output) AS output, sum(cw5m) AS cw5m, sum(cw1h) AS cw1h,
      sum(cache_read) AS cache_read, sum(requests) AS requests, sum(total_tokens) AS total_tokens
    FROM agentmeter.daily_usage GROUP BY 1, 2;
  CREATE VIEW agentmeter.machine_freshness AS
    SELECT member, machine, timestamptz 'epoch' + last_push_ms * interval '1 millisecond' AS last_push,
      timestamptz 'epoch' + last_entry_ms * interval '1 millisecond' AS last_entry, version
    FROM agentmeter.machines;
  GRANT SELECT ON agentmeter.usage_15m, agentmeter.daily_usage, agentmeter.daily_member_totals,
    agentmeter.machine_freshness TO agentmeter_lead;
  `,
  // 2: cost by activity per hour (issue 15 §5 in the team database)
  `
  CREATE TABLE agentmeter.activity_hours (
    member text NOT NULL, machine text NOT NULL, hour_ms bigint NOT NULL,
    source text NOT NULL, model text NOT NULL, tier text NOT NULL, activity text NOT NULL,
    agent text NOT NULL CHECK (agent IN ('main', 'subagent')),
    input bigint NOT NULL, output bigint NOT NULL, cw5m bigint NOT NULL, cw1h bigint NOT NULL,
    cache_read bigint NOT NULL, reasoning bigint NOT NULL, web_search bigint NOT NULL, requests bigint NOT NULL,
    CHECK (hour_ms % 3600000 = 0),
    CHECK ((agent = 'subagent') = (activity LIKE 'subagent/%')),
    PRIMARY KEY (member, machine, hour_ms, source, model, tier, activity)
  );
  CREATE INDEX activity_hours_hour ON agentmeter.activity_hours (hour_ms);
  GRANT SELECT, INSERT, UPDATE, DELETE ON agentmeter.activity_hours TO agentmeter_member;
  GRANT SELECT ON agentmeter.activity_hours TO agentmeter_lead;
  ALTER TABLE agentmeter.activity_hours ENABLE ROW LEVEL SECURITY;
  CREATE POLICY own_rows ON agentmeter.activity_hours FOR ALL TO agentmeter_member
    USING (EXISTS (SELECT 1 FROM agentmeter.team_members t WHERE t.login = current_user AND t.member = activity_hours.member))
    WITH CHECK (EXISTS (SELECT 1 FROM agentmeter.team_members t WHERE t.login = current_user AND t.member = activity_hours.member));
  CREATE POLICY lead_reads ON agentmeter.activity_hours FOR SELECT TO agentmeter_lead USING (true);
  CREATE VIEW agentmeter.daily_activity AS
    SELECT (timestamptz 'epoch' + (hour_ms - hour_ms % 86400000) * interval '1 millisecond') AS day, member, machine,
      source, model, tier, activity, agent,
      CASE WHEN agent = 'subagent' THEN substr(activity, 10) ELSE activity END AS work,
      sum(input) AS input, sum(output) AS output, sum(cw5m) AS cw5m, sum(cw1h) AS cw1h,
      sum(cache_read) AS cache_read, sum(reasoning) AS reasoning, sum(web_search) AS web_search,
      sum(requests) AS requests, sum(input + output + cw5m + cw1h + cache_read) AS total_tokens
    FROM agentmeter.activity_hours GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
  GRANT SELECT ON agentmeter.daily_activity TO agentmeter_lead;
  `,
];

export const TEAM_SCHEMA_VERSION = TEAM_MIGRATIONS.length;

/** Serialises migrations (and `team init`s) across connections: pg_advisory_xact_lock's key. */
const MIGRATION_LOCK = 0x61676d31; // 'agm1'

/** The database's team schema version: 0 when `team init` never ran (no agentmeter.meta). */
export async function teamSchemaVersion(c: TeamQueryable): Promise<number> {
  const exists = await c.query(`SELECT to_regclass('agentmeter.meta') IS NOT NULL AS ok`);
  if (!exists.rows[0]?.ok) return 0;
  const r = await c.query(`SELECT value FROM agentmeter.meta WHERE key = 'schema_version'`);
  return r.rows.length ? Number(r.rows[0].value) : 0;
}

export class TeamSchemaNewerError extends Error {
  constructor(readonly found: number) {
    super(`the team database has schema version ${found}, newer than this AgentMeter understands (${TEAM_SCHEMA_VERSION}): update AgentMeter`);
  }
}

/**
 * Applies the missing migrations, each in its own transaction (idempotent: a database at the current version is left
 * as it is). Throws TeamSchemaNewerError, writing nothing, for a newer database. Returns [from, to] versions.
 * `upTo` stops at an older version (tests: a database as an older AgentMeter left it).
 */
export async function migrateTeamSchema(c: TeamQueryable, upTo = TEAM_SCHEMA_VERSION): Promise<{ from: number; to: number }> {
  let from = -1;
  for (;;) {
    await c.query('BEGIN');
    try {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS agentmeter`);
      await c.query(`CREATE TABLE IF NOT EXISTS agentmeter.meta (key text PRIMARY KEY, value text NOT NULL)`);
      const v = await teamSchemaVersion(c);
      if (from < 0) from = v;
      if (v > TEAM_SCHEMA_VERSION) throw new TeamSchemaNewerError(v);
      if (v >= upTo) {
        await c.query('COMMIT');
        return { from, to: v };
      }
      await c.query(TEAM_MIGRATIONS[v]);
      await c.query(
        `INSERT INTO agentmeter.meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(v + 1)]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
}
