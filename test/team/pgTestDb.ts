/**
 * A fresh PostgreSQL database per test file on the cluster `npm run test:team` started (AGENTMETER_TEST_PG_URL, the
 * superuser's URL), or on a cluster of the file's own when run alone (`node --import tsx --test test/team/x.test.ts`).
 * Login roles are cluster-wide: each file's get a random suffix.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startCluster, type PgCluster } from '../../scripts/pg/cluster.mjs';

export interface TestDb {
  /** the superuser's URL of this file's database */
  adminUrl: string;
  /** a URL of this file's database as another login */
  urlAs(login: string, password: string): string;
  /** creates a login role (password auth) named `<name>_<suffix>`; returns its name */
  createLogin(name: string, password?: string): Promise<string>;
  /** runs SQL as the superuser in this database */
  admin<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** the cluster when this file started its own (pause/resume) */
  cluster?: PgCluster;
  close(): Promise<void>;
}

export const LOGIN_PASSWORD = 'pw-of-a-member';

export async function openTestDb(opts: { ownCluster?: boolean } = {}): Promise<TestDb> {
  let cluster: PgCluster | undefined;
  let rootUrl = opts.ownCluster ? undefined : process.env.AGENTMETER_TEST_PG_URL;
  if (!rootUrl) {
    cluster = await startCluster();
    rootUrl = cluster.url();
  }
  const suffix = randomBytes(4).toString('hex');
  const dbName = `agentmeter_t_${suffix}`;
  const root = new pg.Client(rootUrl);
  await root.connect();
  await root.query(`CREATE DATABASE ${dbName}`);
  await root.end();
  const u = new URL(rootUrl);
  u.pathname = `/${dbName}`;
  const adminUrl = u.toString();
  const logins: string[] = [];
  const admin = async <R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]> => {
    const c = new pg.Client(adminUrl);
    await c.connect();
    try {
      return (await c.query<R>(text, params)).rows;
    } finally {
      await c.end();
    }
  };
  return {
    adminUrl,
    cluster,
    urlAs(login, password) {
      const v = new URL(adminUrl);
      v.username = encodeURIComponent(login);
      v.password = encodeURIComponent(password);
      return v.toString();
    },
    async createLogin(name, password = LOGIN_PASSWORD) {
      const login = `${name}_${suffix}`;
      await admin(`CREATE ROLE ${login} LOGIN PASSWORD '${password}'`);
      logins.push(login);
      return login;
    },
    admin,
    async close() {
      if (cluster) {
        cluster.stop();
        return;
      }
      const c = new pg.Client(rootUrl);
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        for (const l of logins) await c.query(`DROP ROLE IF EXISTS ${l}`);
      } finally {
        await c.end();
      }
    },
  };
}
