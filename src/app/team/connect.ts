import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { TeamSchemaNewerError, teamSchemaVersion, TEAM_SCHEMA_VERSION } from '../../core/team/schema';
import { loadLogin } from '../../core/team/read';
import type { TeamQueryable } from '../../core/team/types';
import { TeamError, toTeamError } from './errors';

/**
 * Opening the team database: the URL from the caller (`--postgres`, the editor's SecretStorage), else
 * `AGENTMETER_POSTGRES_URL`, else the standard `PG*` variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD,
 * PGSSLMODE, …, read by `pg` itself). TLS: the URL's `sslmode` (`require`, `verify-ca`, `verify-full`; `sslrootcert`
 * a CA file), or `caFile` here (then the server's certificate must chain to it). Every failure is a TeamError with
 * one line.
 */
export interface TeamTarget {
  /** postgres:// or postgresql:// URL; absent: AGENTMETER_POSTGRES_URL, then the PG* variables */
  url?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ConnectOptions {
  /** a PEM CA bundle the server's certificate must chain to (TLS on, verified) */
  caFile?: string;
  /** connect timeout (default 10 s) */
  connectTimeoutMs?: number;
  /** per-statement timeout on the server (default 120 s) */
  statementTimeoutMs?: number;
  /** also check the team schema: not initialised / newer → TeamError (default true) */
  checkSchema?: boolean;
}

export interface ResolvedTarget {
  config: pg.ClientConfig;
  /** user@host:port/database: which database a push state belongs to (never the password) */
  identity: string;
}

export interface TeamConnection {
  client: TeamQueryable;
  /** user@host:port/database */
  identity: string;
  /** the login connected as */
  login: string;
  /** the team schema version found (0 when checkSchema was false and it is not initialised) */
  schemaVersion: number;
  close(): Promise<void>;
}

export function resolveTeamTarget(t: TeamTarget = {}, o: ConnectOptions = {}): ResolvedTarget {
  const env = t.env ?? process.env;
  const url = (t.url ?? env.AGENTMETER_POSTGRES_URL ?? '').trim();
  const timeouts = {
    connectionTimeoutMillis: o.connectTimeoutMs ?? 10_000,
    statement_timeout: o.statementTimeoutMs ?? 120_000,
    application_name: 'agentmeter',
  };
  let config: pg.ClientConfig;
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      throw new TeamError('bad-url', 'the team database URL must start with postgres:// or postgresql://');
    }
    let parsed: ReturnType<typeof parseConnectionString>;
    try {
      new URL(url);
      parsed = parseConnectionString(url);
    } catch (e) {
      throw new TeamError('bad-url', `the team database URL cannot be read (${(e as Error).message.split('\n')[0]})`);
    }
    config = { ...(parsed as pg.ClientConfig), port: parsed.port ? Number(parsed.port) : undefined, ...timeouts };
  } else {
    // pg reads the PG* variables itself (from process.env)
    config = {
      host: env.PGHOST, port: env.PGPORT ? Number(env.PGPORT) : undefined, database: env.PGDATABASE, user: env.PGUSER,
      password: env.PGPASSWORD, ...timeouts,
    };
  }
  if (o.caFile) {
    let ca: string;
    try {
      ca = readFileSync(o.caFile, 'utf8');
    } catch (e) {
      throw new TeamError('bad-url', `cannot read the CA file ${o.caFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    config.ssl = { ...(typeof config.ssl === 'object' ? config.ssl : {}), ca, rejectUnauthorized: true };
  }
  const user = config.user ?? env.PGUSER ?? safeUserName();
  const host = config.host ?? env.PGHOST ?? 'localhost';
  const port = config.port ?? (env.PGPORT ? Number(env.PGPORT) : 5432);
  const database = config.database ?? env.PGDATABASE ?? user;
  return { config, identity: `${user}@${host}:${port}/${database}` };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/** Connects (and by default checks the team schema). Throws TeamError. */
export async function openTeamConnection(t: TeamTarget = {}, o: ConnectOptions = {}): Promise<TeamConnection> {
  const target = resolveTeamTarget(t, o);
  const where = target.identity;
  const client = new pg.Client(target.config);
  // a server going away between queries is reported on the next query; without a listener it would throw
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw toTeamError(e, where);
  }
  const close = () => client.end().catch(() => undefined);
  try {
    const login = await loadLogin(client);
    let schemaVersion = 0;
    if (o.checkSchema !== false) {
      schemaVersion = await teamSchemaVersion(client);
      if (schemaVersion === 0) {
        throw new TeamError('not-initialised', `team database ${where} is not initialised: run agentmeter team init --postgres URL`);
      }
      if (schemaVersion > TEAM_SCHEMA_VERSION) throw newerSchema(where, schemaVersion);
    }
    return { client: guarded(client, where), identity: where, login, schemaVersion, close };
  } catch (e) {
    await close();
    throw toTeamError(e, where);
  }
}

export function newerSchema(where: string, found: number): TeamError {
  return new TeamError('newer-schema',
    `team database ${where} has schema version ${found}, newer than this AgentMeter understands (${TEAM_SCHEMA_VERSION}): update AgentMeter`);
}

/** Every query's failure as a TeamError (one line, by kind). */
function guarded(client: pg.Client, where: string): TeamQueryable {
  return {
    async query<R extends object>(text: string, params?: unknown[]) {
      try {
        return await client.query<R>(text, params);
      } catch (e) {
        if (e instanceof TeamSchemaNewerError) throw newerSchema(where, e.found);
        throw toTeamError(e, where);
      }
    },
  };
}
