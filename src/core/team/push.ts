import { TEAM_SCHEMA_VERSION, TeamSchemaNewerError, teamSchemaVersion } from './schema';
import { SUBAGENT_PREFIX } from '../activity';
import type { TeamActivityHour, TeamBucket, TeamQueryable } from './types';

/**
 * The push's statements. `replaceMachineBuckets` replaces one member's machine's buckets over [fromMs, toMs) in ONE
 * transaction: delete its rows in the range, insert the new ones, record the machine's push — so a retry, a crash, two
 * windows or a replay never double count, and a bucket that lost usage (a de-dup correction) is corrected.
 * Pushes of one (member, machine) are serialised by an advisory lock (two windows at once: the second waits, then
 * replaces). Row-level security refuses rows of a member the login is not bound to: the whole transaction rolls back.
 */
export interface MachineKey {
  member: string;
  machine: string;
}

/** Rows per INSERT statement (arrays through unnest: one round trip per chunk). */
const CHUNK = 5000;

export interface ActivityReplace {
  fromHourMs: number;
  toHourMs: number;
  hours: readonly TeamActivityHour[];
}

/** The first team schema version with activity_hours. */
export const ACTIVITY_SCHEMA_VERSION = 2;

export async function replaceMachineBuckets(
  c: TeamQueryable, key: MachineKey, fromMs: number, toMs: number, buckets: readonly TeamBucket[],
  machineInfo: { nowMs: number; version: string; lastEntryMs: number | null }, activity?: ActivityReplace,
): Promise<void> {
  await c.query('BEGIN');
  try {
    await c.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [key.member, key.machine]);
    // a newer AgentMeter may have migrated the database since this connection was opened
    const version = await teamSchemaVersion(c);
    if (version > TEAM_SCHEMA_VERSION) throw new TeamSchemaNewerError(version);
    await c.query(
      'DELETE FROM agentmeter.usage WHERE member = $1 AND machine = $2 AND bucket_ms >= $3 AND bucket_ms < $4',
      [key.member, key.machine, fromMs, toMs],
    );
    for (let i = 0; i < buckets.length; i += CHUNK) await insertChunk(c, key, buckets.slice(i, i + CHUNK));
    if (activity && version >= ACTIVITY_SCHEMA_VERSION) {
      await c.query(
        'DELETE FROM agentmeter.activity_hours WHERE member = $1 AND machine = $2 AND hour_ms >= $3 AND hour_ms < $4',
        [key.member, key.machine, activity.fromHourMs, activity.toHourMs],
      );
      for (let i = 0; i < activity.hours.length; i += CHUNK) await insertActivityChunk(c, key, activity.hours.slice(i, i + CHUNK));
    }
    await c.query(
      `INSERT INTO agentmeter.machines (member, machine, last_push_ms, last_entry_ms, version) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (member, machine) DO UPDATE SET last_push_ms = excluded.last_push_ms,
         last_entry_ms = greatest(agentmeter.machines.last_entry_ms, excluded.last_entry_ms), version = excluded.version`,
      [key.member, key.machine, machineInfo.nowMs, machineInfo.lastEntryMs, machineInfo.version],
    );
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

async function insertChunk(c: TeamQueryable, key: MachineKey, rows: readonly TeamBucket[]): Promise<void> {
  const cols: unknown[][] = Array.from({ length: 17 }, () => []);
  for (const b of rows) {
    const v = [b.bucketStartMs, b.source, b.model, b.project, b.branch, b.activity, b.tier, b.input, b.output,
      b.cacheWrite5m, b.cacheWrite1h, b.cacheRead, b.reasoning, b.webSearch, b.requests, b.firstMs, b.lastMs];
    for (let i = 0; i < v.length; i++) cols[i].push(v[i]);
  }
  await c.query(
    `INSERT INTO agentmeter.usage (member, machine, bucket_ms, source, model, project, branch, activity, tier, input,
       output, cw5m, cw1h, cache_read, reasoning, web_search, requests, first_ms, last_ms)
     SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
       $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[],
       $17::bigint[], $18::bigint[], $19::bigint[])`,
    [key.member, key.machine, ...cols],
  );
}

async function insertActivityChunk(c: TeamQueryable, key: MachineKey, rows: readonly TeamActivityHour[]): Promise<void> {
  const cols: unknown[][] = Array.from({ length: 14 }, () => []);
  for (const h of rows) {
    const agent = h.activity.startsWith(SUBAGENT_PREFIX) ? 'subagent' : 'main';
    const v = [h.hourMs, h.source, h.model, h.tier, h.activity, agent, h.input, h.output, h.cacheWrite5m, h.cacheWrite1h,
      h.cacheRead, h.reasoning, h.webSearch, h.requests];
    for (let i = 0; i < v.length; i++) cols[i].push(v[i]);
  }
  await c.query(
    `INSERT INTO agentmeter.activity_hours (member, machine, hour_ms, source, model, tier, activity, agent, input, output,
       cw5m, cw1h, cache_read, reasoning, web_search, requests)
     SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[],
       $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[])`,
    [key.member, key.machine, ...cols],
  );
}
