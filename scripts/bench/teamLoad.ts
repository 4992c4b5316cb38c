/**
 * `npm run bench -- --team` (scripts/bench/team.mjs runs this bundled): N members push concurrently to one real
 * PostgreSQL for S seconds. Each member has its own index (sql.js, the real write path: DimCache + UsageDeltas, so
 * the team watermark moves as in the extension) with a few thousand 15-minute buckets over ~5 months; its first push
 * sends the whole history (one transaction per month), then it loops: new usage in the current hours and a
 * correction of an older bucket, a push (the last 3 days + the corrected bucket). A push that fails with a retryable
 * error (the server busy or gone) reconnects and retries. At the end every member's rows in the database are compared
 * with its index, token for token: its usage buckets, and its activity hours (each write names one of a few
 * activities, so the push replaces activity_hours too, team schema 2).
 */
import pg from 'pg';
import type { Database } from 'sql.js';
import { addTeamMember, initTeamDatabase, openTeamConnection, pushTeam, TeamError, type TeamConnection } from '../../src/app/team/api';
import { teamBuckets } from '../../src/app/team/push';
import { loadActivityHours } from '../../src/core/query/teamActivityRows';
import { openIndexDatabase } from '../../src/core/store/persist';
import { loadSqlJs } from '../../src/core/store/sqljs';
import { DimCache } from '../../src/core/store/dims';
import { TimeSlicer } from '../../src/core/store/timeSlice';
import { UsageDeltas } from '../../src/core/store/usageDeltas';
import type { Tier } from '../../src/core/types';

export interface TeamLoadOptions {
  adminUrl: string;
  urlAs(login: string, password: string): string;
  members: number;
  seconds: number;
  bucketsPerMember: number;
  wasm: string;
  out(line: string): void;
}

export interface TeamLoadResult {
  members: number;
  pushes: number;
  firstPushes: number;
  retries: number;
  failures: number;
  seconds: number;
  pushesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  firstP95Ms: number;
  bucketsInDatabase: number;
  activityHoursInDatabase: number;
  exact: boolean;
}

const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'gpt-5-codex'];
const PROJECTS = ['/home/dev/app', '/home/dev/api', '/home/dev/web', '/home/dev/infra'];
/** the activity of a write, by its project and model (core/activity.ts keys) */
const ACTIVITIES = ['coding', 'exploring', 'running', 'mcp:github', 'subagent/exploring', 'conversation'];

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

async function write(db: Database, rows: Array<{ ts: number; model: number; project: number; tokens: number[] }>): Promise<void> {
  const dims = new DimCache(db);
  const deltas = new UsageDeltas();
  for (const r of rows) {
    const model = MODELS[r.model];
    const dim = dims.idOf({ source: model.startsWith('gpt') ? 'codex' : 'claude', model, project: PROJECTS[r.project], session: 's', branch: 'main', tier: 'standard' as Tier });
    const [input, output, cw5m, cacheRead] = r.tokens;
    const activity = ACTIVITIES[(r.project * 3 + r.model + (r.ts % 7)) % ACTIVITIES.length];
    deltas.add(Math.floor(r.ts / 900_000) * 900_000, dim, { input, output, cw5m, cw1h: 0, cacheRead, webSearch: 0 }, r.ts, 1, 1, activity);
  }
  db.run('BEGIN');
  await deltas.flush(db, new TimeSlicer());
  db.run('COMMIT');
  dims.free();
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

export async function runTeamLoad(o: TeamLoadOptions): Promise<TeamLoadResult> {
  const SQL = await loadSqlJs(o.wasm);
  const admin = await openTeamConnection({ url: o.adminUrl }, { checkSchema: false });
  await initTeamDatabase(admin);
  const suffix = Date.now().toString(36);
  const logins: string[] = [];
  const raw = new pg.Client(o.adminUrl);
  await raw.connect();
  for (let i = 0; i < o.members; i++) {
    const login = `bench_${suffix}_${i}`;
    await raw.query(`CREATE ROLE ${login} LOGIN PASSWORD 'pw'`);
    await addTeamMember(admin, login, `member${i}@example.com`);
    logins.push(login);
  }
  await admin.close();

  // each member's index: a few thousand buckets over ~5 months, ending now
  const now = Date.now();
  const span = 150 * 86_400_000;
  const dbs: Database[] = [];
  for (let i = 0; i < o.members; i++) {
    const r = rng(i + 1);
    const db = openIndexDatabase(SQL, undefined).db;
    const rows = Array.from({ length: o.bucketsPerMember }, (_, k) => ({
      ts: now - span + Math.floor((k / o.bucketsPerMember) * span) + r(600_000),
      model: r(3), project: r(4), tokens: [r(5000), r(20_000), r(30_000), r(400_000)],
    }));
    await write(db, rows);
    dbs.push(db);
  }
  o.out(`${o.members} members, ${o.bucketsPerMember} usage rows each over 150 days; pushing for ${o.seconds} s`);

  const latencies: number[] = [];
  const firstLatencies: number[] = [];
  let retries = 0;
  let failures = 0;
  const t0 = performance.now();
  const deadline = t0 + o.seconds * 1000;
  await Promise.all(dbs.map(async (db, i) => {
    const r = rng(1000 + i);
    const opts = { member: `member${i}@example.com`, machine: 'bench', version: 'bench' };
    let conn: TeamConnection | undefined;
    let first = true;
    while (performance.now() < deadline || first) {
      if (!first) {
        // new usage now, and a correction of a bucket a few weeks old (a de-dup correction)
        await write(db, [
          { ts: Date.now() - r(3_600_000), model: r(3), project: r(4), tokens: [r(5000), r(20_000), r(30_000), r(400_000)] },
          { ts: Date.now() - (14 + r(20)) * 86_400_000, model: r(3), project: r(4), tokens: [r(50), r(200), 0, r(4000)] },
        ]);
      }
      const start = performance.now();
      for (let attempt = 0; ; attempt++) {
        try {
          conn ??= await openTeamConnection({ url: o.urlAs(logins[i], 'pw') }, { connectTimeoutMs: 30_000 });
          await pushTeam(db, conn, opts);
          break;
        } catch (e) {
          await conn?.close();
          conn = undefined;
          if (!(e instanceof TeamError && e.retryable) || attempt >= 5) {
            failures++;
            o.out(`member ${i}: push failed: ${(e as Error).message}`);
            break;
          }
          retries++;
          await new Promise((res) => setTimeout(res, 200 * 2 ** attempt));
        }
      }
      (first ? firstLatencies : latencies).push(performance.now() - start);
      first = false;
    }
    await conn?.close();
  }));
  const seconds = (performance.now() - t0) / 1000;

  // exactness: every member's rows equal its index
  let exact = true;
  let bucketsInDatabase = 0;
  let activityHoursInDatabase = 0;
  for (let i = 0; i < o.members; i++) {
    const local = teamBuckets(dbs[i], Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'folder', '');
    const rows = (await raw.query(
      `SELECT count(*)::int AS n, sum(input)::float8 AS input, sum(output)::float8 AS output, sum(cw5m)::float8 AS cw5m,
         sum(cache_read)::float8 AS cache_read, sum(requests)::float8 AS requests FROM agentmeter.usage WHERE member = $1`, [`member${i}@example.com`])).rows[0];
    const sum = (f: (b: (typeof local)[number]) => number) => local.reduce((s, b) => s + f(b), 0);
    const ok = rows.n === local.length && rows.input === sum((b) => b.input) && rows.output === sum((b) => b.output) &&
      rows.cw5m === sum((b) => b.cacheWrite5m) && rows.cache_read === sum((b) => b.cacheRead) && rows.requests === sum((b) => b.requests);
    if (!ok) {
      exact = false;
      o.out(`member ${i}: database ${JSON.stringify(rows)} != index (${local.length} buckets)`);
    }
    bucketsInDatabase += rows.n;
    const hours = loadActivityHours(dbs[i], Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const acts = (await raw.query(
      `SELECT count(*)::int AS n, sum(input)::float8 AS input, sum(output)::float8 AS output, sum(cache_read)::float8 AS cache_read,
         sum(requests)::float8 AS requests FROM agentmeter.activity_hours WHERE member = $1`, [`member${i}@example.com`])).rows[0];
    const hsum = (f: (h: (typeof hours)[number]) => number) => hours.reduce((s, h) => s + f(h), 0);
    if (!(acts.n === hours.length && acts.input === hsum((h) => h.input) && acts.output === hsum((h) => h.output) &&
      acts.cache_read === hsum((h) => h.cacheRead) && acts.requests === hsum((h) => h.requests))) {
      exact = false;
      o.out(`member ${i}: activity hours ${JSON.stringify(acts)} != index (${hours.length} hours)`);
    }
    activityHoursInDatabase += acts.n;
  }
  await raw.end();
  latencies.sort((a, b) => a - b);
  firstLatencies.sort((a, b) => a - b);
  const pushes = latencies.length + firstLatencies.length;
  return {
    members: o.members, pushes, firstPushes: firstLatencies.length, retries, failures, seconds,
    pushesPerSecond: pushes / seconds, p50Ms: pct(latencies, 50), p95Ms: pct(latencies, 95), firstP95Ms: pct(firstLatencies, 95),
    bucketsInDatabase, activityHoursInDatabase, exact,
  };
}
