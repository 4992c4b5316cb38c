import type { Database } from 'sql.js';
import { inTransaction } from '../../core/query/inTransaction';
import { hourOf } from '../../core/query/activityFacts';
import { loadActivityHours } from '../../core/query/teamActivityRows';
import { lastUsageEntryMs, loadTeamRows, usageBucketSpan } from '../../core/query/teamBuckets';
import { readTeamPushState, takeTeamDirty, writeTeamPushState } from '../../core/store/teamWatermark';
import { teamProjectKey } from '../../core/team/projectKey';
import { ACTIVITY_SCHEMA_VERSION, replaceMachineBuckets, type ActivityReplace } from '../../core/team/push';
import { TeamSchemaNewerError } from '../../core/team/schema';
import type { ProjectMode, TeamBucket } from '../../core/team/types';
import { newerSchema, type TeamConnection } from './connect';
import { TeamError, toTeamError } from './errors';
import { checkTeamName } from './names';

/**
 * One push of this machine's usage to the team database (issue 16). What is sent: per 15-minute bucket and (source,
 * model, project as chosen, git branch, activity '', pricing tier) the absolute token totals, requests and the first/
 * last entry time — never prompts, file contents, sessions or cost. And per UTC hour and (source, model, tier,
 * activity key) the cost-by-activity aggregate's token totals and requests (team schema 2: activity_hours): the
 * activity keys name classes, MCP servers (`mcp:<server>`) and subagent types (`delegating:<type>`), never a tool's input.
 *
 * Range: never pushed to this (database, member, machine; and once more when the database gains activity_hours) →
 * the whole history, one UTC month per transaction, oldest first (an interrupted first push resumes at the month that
 * failed); afterwards from the oldest bucket any usage write touched since (store/teamWatermark.ts), and the last
 * `replayMs` (3 days) again. Each transaction replaces the
 * machine's rows over its range (core/team/push.ts), so nothing is lost or counted twice whatever fails when. The
 * activity hours are replaced over the range widened to whole UTC hours (the local aggregate's grain), in the same
 * transaction. They share the usage's watermark: the flush that changes them lowers `teamDirtyFrom` to the oldest
 * changed bucket, also when only an activity moved (a later copy of a Claude call naming a tool; store/usageDeltas.ts).
 *
 * The index's rows are read synchronously outside any open write transaction (a refresh's batches may roll back):
 * called during one, it throws TeamError('busy'). It writes the push state to the index's `meta` (save it after).
 */
export interface PushOptions {
  member: string;
  machine: string;
  /** what is sent as the project (default folder name) */
  projects?: ProjectMode;
  /** salt of the `hash` project mode */
  salt?: string;
  /** AgentMeter's version, recorded with the machine */
  version: string;
  /** now (epoch ms; tests) */
  nowMs?: number;
  /** how much of the recent history is sent again on every push (default 3 days) */
  replayMs?: number;
}

export interface PushProgress {
  /** batches done and in all */
  batch: number;
  batches: number;
  /** buckets sent so far */
  buckets: number;
  /** the range being pushed */
  fromMs: number;
  toMs: number;
}

export interface PushResult {
  /** buckets sent */
  buckets: number;
  /** the range's start (bucket start, epoch ms); null when the index has no usage in it */
  fromMs: number | null;
  /** transactions */
  batches: number;
  /** whether this was the first push of this machine to this database under this member */
  full: boolean;
}

export const DEFAULT_REPLAY_MS = 3 * 86_400_000;
/** "to the end of time": the last batch's range end (the largest Date) */
const END_MS = 8_640_000_000_000_000;

export async function pushTeam(
  db: Database, conn: TeamConnection, opts: PushOptions, onProgress?: (p: PushProgress) => void,
): Promise<PushResult> {
  const member = checkTeamName('member', opts.member);
  const machine = checkTeamName('machine', opts.machine);
  const nowMs = opts.nowMs ?? Date.now();
  const replayMs = opts.replayMs ?? DEFAULT_REPLAY_MS;
  const mode = opts.projects ?? 'folder';
  // a changed project mode (or salt) is a new target: its first push replaces the whole history
  const modeKey = mode === 'hash' ? `hash:${teamProjectKey('', 'hash', opts.salt ?? '')}` : mode;
  // a database with activity_hours (team schema 2) is a new target too: a database migrated after this machine's
  // pushes gets the whole history's activity hours once (the usage rows again with them: a replace, harmless)
  const acts = conn.schemaVersion >= ACTIVITY_SCHEMA_VERSION ? '\u0000activity' : '';
  const target = `${conn.identity}\u0000${member}\u0000${machine}\u0000${modeKey}${acts}`;
  ensureNotWriting(db);
  takeTeamDirty(db);
  const state = readTeamPushState(db, target);
  const span = usageBucketSpan(db);
  const replayFrom = Math.floor((nowMs - replayMs) / 900_000) * 900_000;
  let fromMs = !state ? (span ? Math.min(span.minMs, replayFrom) : replayFrom) : Math.min(state.dirtyFrom ?? Infinity, replayFrom);
  fromMs = Math.max(fromMs, -END_MS);
  const ranges = pushRanges(fromMs, nowMs, span?.minMs ?? nowMs);
  let buckets = 0;
  let done = 0;
  for (const [a, b] of ranges) {
    ensureNotWriting(db);
    const rows = teamBuckets(db, a, b, mode, opts.salt ?? '');
    const lastEntryMs = lastUsageEntryMs(db);
    const activity = activityHours(db, a, b);
    try {
      await replaceMachineBuckets(conn.client, { member, machine }, a, b, rows, { nowMs, version: opts.version, lastEntryMs }, activity);
    } catch (e) {
      // resume here next time (the months before are in the database); a state never lowered is kept as it was
      const dirty = state?.dirtyFrom ?? null;
      writeTeamPushState(db, target, { dirtyFrom: dirty === null ? a : Math.min(dirty, a), lastPushMs: state?.lastPushMs ?? 0 });
      const err = e instanceof TeamSchemaNewerError ? newerSchema(conn.identity, e.found) : toTeamError(e, conn.identity);
      if (err.kind === 'forbidden') {
        throw new TeamError('forbidden', `login ${conn.login} may not write the rows of member ${JSON.stringify(member)} ` +
          `(the team's admin binds them: agentmeter team add-member --login ${conn.login} --member NAME)`, e);
      }
      throw err;
    }
    buckets += rows.length;
    done++;
    onProgress?.({ batch: done, batches: ranges.length, buckets, fromMs: a, toMs: b });
  }
  // usage written during the push lowered teamDirtyFrom again: the next push takes it
  writeTeamPushState(db, target, { dirtyFrom: null, lastPushMs: nowMs });
  return { buckets, fromMs: span ? Math.max(fromMs, span.minMs) : null, batches: ranges.length, full: !state };
}

function ensureNotWriting(db: Database): void {
  if (inTransaction(db)) throw new TeamError('busy', 'the usage index is being written: push again after the refresh');
}

/**
 * The activity hours sent with the buckets of [fromMs, toMs): the whole UTC hours that hold them (a bound inside an
 * hour moves to its start; the ranges' inner bounds are month starts, whole hours, so no hour is in two ranges).
 */
export function activityHours(db: Database, fromMs: number, toMs: number): ActivityReplace {
  const fromHourMs = hourOf(fromMs);
  const toHourMs = toMs >= END_MS ? END_MS : hourOf(toMs) === toMs ? toMs : hourOf(toMs) + 3_600_000;
  return { fromHourMs, toHourMs, hours: loadActivityHours(db, fromHourMs, toHourMs) };
}

/**
 * The transactions of a push from `fromMs`: one when it starts within the last 35 days; else one per UTC month, the
 * first holding everything before the month of the first data (`firstDataMs`), the last open-ended.
 */
export function pushRanges(fromMs: number, nowMs: number, firstDataMs: number): Array<[number, number]> {
  if (nowMs - fromMs <= 35 * 86_400_000) return [[fromMs, END_MS]];
  const out: Array<[number, number]> = [];
  let a = fromMs;
  let cursor = Math.max(fromMs, Math.min(firstDataMs, nowMs));
  for (;;) {
    const d = new Date(cursor);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    if (next > nowMs) {
      out.push([a, END_MS]);
      return out;
    }
    out.push([a, next]);
    a = cursor = next;
  }
}

/** The index's rows of [fromMs, toMs) as sent: projects mapped, rows that map to one key summed. */
export function teamBuckets(db: Database, fromMs: number, toMs: number, mode: ProjectMode, salt: string): TeamBucket[] {
  const byKey = new Map<string, TeamBucket>();
  for (const r of loadTeamRows(db, fromMs, toMs)) {
    const project = teamProjectKey(r.displayPath, mode, salt);
    const key = `${r.bucketStartMs}\u0000${r.source}\u0000${r.model}\u0000${project}\u0000${r.branch}\u0000${r.tier}`;
    const b = byKey.get(key);
    if (!b) {
      byKey.set(key, {
        bucketStartMs: r.bucketStartMs, source: r.source, model: r.model, project, branch: r.branch, activity: '',
        tier: r.tier, input: r.input, output: r.output, cacheWrite5m: r.cacheWrite5m, cacheWrite1h: r.cacheWrite1h,
        cacheRead: r.cacheRead, reasoning: r.reasoning, webSearch: r.webSearch, requests: r.requests,
        firstMs: r.firstMs, lastMs: r.lastMs,
      });
      continue;
    }
    b.input += r.input;
    b.output += r.output;
    b.cacheWrite5m += r.cacheWrite5m;
    b.cacheWrite1h += r.cacheWrite1h;
    b.cacheRead += r.cacheRead;
    b.reasoning += r.reasoning;
    b.webSearch += r.webSearch;
    b.requests += r.requests;
    b.firstMs = Math.min(b.firstMs, r.firstMs);
    b.lastMs = Math.max(b.lastMs, r.lastMs);
  }
  return [...byKey.values()];
}
