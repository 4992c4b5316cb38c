import type { Database, SqlValue } from 'sql.js';
import { emptyUsage, noteEmptiedUsage, updateAggregates } from './aggregates';
import { insertRowsSliced } from './batchInsert';
import { markClaudeBlocksDirty } from './claudeBlocks';
import { markIdleGapsDirty } from './idleGaps';
import { lowerTeamDirty, markTeamDirty } from './teamWatermark';
import type { TimeSlicer } from './timeSlice';
import { ActivityRowKeys, addActivityRows } from './usageActivity';

/** Token amounts of one API call as stored (Claude: no reasoning; Codex: no cache writes; missing = 0). */
export interface CallTokens {
  input: number;
  output: number;
  cw5m: number;
  cw1h: number;
  cacheRead: number;
  reasoning?: number;
  webSearch: number;
}

interface Delta extends Required<CallTokens> {
  bucket: number;
  dim: number;
  requests: number;
  first: number;
  last: number;
}

/** A change to usage_acts (store/usageActivity.ts): sums per (UTC hour, dims row, activity key). */
interface ActivityDelta extends Required<CallTokens> {
  hour: number;
  dim: number;
  /** the activity key's index in UsageDeltas.actNames */
  act: number;
  requests: number;
}

const HOUR_MS = 3_600_000;

/** The token sums and requests a usage row and an activity row both keep. */
interface Sums {
  input: number; output: number; cw5m: number; cw1h: number; cacheRead: number; reasoning: number; webSearch: number; requests: number;
}

/** Adds (sign 1) or takes back (-1) a call's tokens and requests. */
function addSums(d: Sums, t: CallTokens, sign: 1 | -1, requests: number): void {
  d.input += sign * t.input;
  d.output += sign * t.output;
  d.cw5m += sign * t.cw5m;
  d.cw1h += sign * t.cw1h;
  d.cacheRead += sign * t.cacheRead;
  if (t.reasoning) d.reasoning += sign * t.reasoning;
  d.webSearch += sign * t.webSearch;
  d.requests += sign * requests;
}

/**
 * Changes to `usage` rows collected during one refresh and written at the end in one pass.
 * A correction (a better copy of a Claude call) is a subtraction of the old copy plus an addition of the new one.
 * first_ms/last_ms only widen (a subtraction does not narrow them); a row left with no request and no token is deleted.
 */
export class UsageDeltas {
  private readonly map = new Map<number | string, Delta>();
  /**
   * activity deltas by (hour index × 2^20 + dim) × 256 + the activity's index in actNames — one number, no string and
   * no map per (hour, dim) — or a string for huge ids
   */
  private readonly acts = new Map<number | string, ActivityDelta>();
  /** the activity keys met, by index (a few dozen), and their indexes */
  private readonly actNames: string[] = [];
  private readonly actIndex = new Map<string, number>();
  /** the usage_acts key ids of dims rows and activity names, kept across the flushes of one database */
  private rowKeys: { db: Database; keys: ActivityRowKeys } | undefined;
  /** the oldest bucket of a call whose activity moved without its usage changing (moveActivity), for the team push */
  private movedFrom = Number.POSITIVE_INFINITY;
  /**
   * The delta of each map the last change went to: a file's consecutive calls nearly always fall in the same
   * 15-minute bucket and hour of the same dims row and activity (a year's first index: 1.5 M calls into 123k usage
   * rows), so most changes skip computing a key and a Map lookup. Cleared with the maps.
   */
  private lastRow: Delta | undefined;
  private lastAct: ActivityDelta | undefined;

  /**
   * `requests`: how many API requests `t` is (1 for a call; 0 for tokens without a request, e.g. Cline's
   * deleted_api_reqs). `activity`: the call's activity key (core/activity.ts; '' unknown) — the same change goes to
   * usage_acts under it, so a subtraction must name the activity its addition was made under.
   */
  add(bucket: number, dim: number, t: CallTokens, ts: number, sign: 1 | -1, requests = 1, activity = ''): void {
    this.addActivity(bucket, dim, t, sign, requests, activity);
    let d = this.lastRow;
    if (d === undefined || d.bucket !== bucket || d.dim !== dim) {
      // numeric key (15-minute bucket index × 2^20 + dim) is exact far below 2^53; a string for huge dim ids
      const k = dim < 1048576 ? (bucket / 900_000) * 1048576 + dim : `${bucket}:${dim}`;
      d = this.map.get(k);
      if (!d) {
        d = { bucket, dim, input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0, first: Number.MAX_SAFE_INTEGER, last: 0 };
        this.map.set(k, d);
      }
      this.lastRow = d;
    }
    addSums(d, t, sign, requests);
    if (sign > 0) {
      if (ts < d.first) d.first = ts;
      if (ts > d.last) d.last = ts;
    }
  }

  /**
   * A call counted under `from` is counted under `to` instead (its usage row does not change): Claude's copies of one
   * call each name the tools of their own content block, and a later copy can raise the call's activity.
   */
  moveActivity(bucket: number, dim: number, t: CallTokens, requests: number, from: string, to: string): void {
    if (from === to) return;
    if (bucket < this.movedFrom) this.movedFrom = bucket;
    this.addActivity(bucket, dim, t, -1, requests, from);
    this.addActivity(bucket, dim, t, 1, requests, to);
  }

  private addActivity(bucket: number, dim: number, t: CallTokens, sign: 1 | -1, requests: number, act: string): void {
    const hour = bucket - (bucket % HOUR_MS);
    let d = this.lastAct;
    if (d === undefined || d.hour !== hour || d.dim !== dim || this.actNames[d.act] !== act) {
      let a = this.actIndex.get(act);
      if (a === undefined) {
        a = this.actNames.length;
        this.actNames.push(act);
        this.actIndex.set(act, a);
      }
      const h = hour / HOUR_MS;
      const k = dim < 1048576 && a < 256 && Math.abs(h) < 2 ** 24 ? (h * 1048576 + dim) * 256 + a : `${hour}:${dim}:${a}`;
      d = this.acts.get(k);
      if (!d) {
        d = { hour, dim, act: a, input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, reasoning: 0, webSearch: 0, requests: 0 };
        this.acts.set(k, d);
      }
      this.lastAct = d;
    }
    addSums(d, t, sign, requests);
  }

  get size(): number {
    return this.map.size;
  }

  /**
   * Adds the collected changes to `usage`. The rows are first staged in a temp table (in slices, giving the event
   * loop turns), then applied by one INSERT … SELECT and the cleanup DELETE, back to back: a reader on this
   * connection sees all of a flush or none of it (never half a call correction).
   */
  async flush(db: Database, slicer: TimeSlicer): Promise<void> {
    if (this.map.size === 0 && this.acts.size === 0) return;
    const values: number[] = [];
    for (const d of this.map.values()) {
      values.push(d.bucket, d.dim, d.input, d.output, d.cw5m, d.cw1h, d.cacheRead, d.reasoning, d.webSearch, d.requests, d.first, d.last);
    }
    this.map.clear();
    this.lastRow = undefined;
    // temp tables do not survive sql.js export() (it reopens the database): create on demand
    db.run(`CREATE TEMP TABLE IF NOT EXISTS usage_stage (bucket INTEGER, dim INTEGER, input INTEGER, output INTEGER, cw5m INTEGER,
      cw1h INTEGER, cache_read INTEGER, reasoning INTEGER, web_search INTEGER, requests INTEGER, first_ms INTEGER, last_ms INTEGER)`);
    db.run('DELETE FROM temp.usage_stage');
    await insertRowsSliced(db, `INSERT INTO temp.usage_stage (${COLS})`, 12, values, slicer);
    db.run(
      `INSERT INTO usage (${STORED_COLS}) SELECT ${SUM_COLS}, first_ms - bucket, last_ms - bucket FROM temp.usage_stage WHERE true
      ORDER BY bucket, dim
      ON CONFLICT (bucket, dim) DO UPDATE SET
        input = input + excluded.input, output = output + excluded.output,
        cw5m = cw5m + excluded.cw5m, cw1h = cw1h + excluded.cw1h,
        cache_read = cache_read + excluded.cache_read, reasoning = reasoning + excluded.reasoning,
        web_search = web_search + excluded.web_search, requests = requests + excluded.requests,
        f = min(f, excluded.f), l = max(l, excluded.l)`,
    );
    noteEmptiedUsage(db, 'temp.usage_stage');
    // only the rows this flush touched can have reached zero (a full scan here cost ~10 ms per flush at a year)
    db.run(`DELETE FROM usage WHERE (bucket, dim) IN (SELECT bucket, dim FROM temp.usage_stage) AND ${emptyUsage('')}`);
    updateAggregates(db, 'temp.usage_stage'); // usage_hours and session_totals follow usage (store/aggregates.ts)
    markClaudeBlocksDirty(db, 'temp.usage_stage'); // stored Claude blocks from the oldest touched bucket on are stale
    markIdleGapsDirty(db, 'temp.usage_stage'); // their sessions' idle re-writes (idleGaps.ts)
    markTeamDirty(db, 'temp.usage_stage'); // the team push sends again from the oldest touched bucket (teamWatermark.ts)
    db.run('DELETE FROM temp.usage_stage');
    // the same changes by activity (store/usageActivity.ts)
    await addActivityRows(db, this.activityRows(db), slicer);
    // an activity that moved with no usage row changing: the team push sends its hour again too (teamWatermark.ts)
    if (this.movedFrom !== Number.POSITIVE_INFINITY) lowerTeamDirty(db, this.movedFrom);
    this.movedFrom = Number.POSITIVE_INFINITY;
  }

  /**
   * The collected activity deltas summed by their usage_acts key (hour, hour_keys id, act_keys id): several dims rows
   * (projects, sessions, branches) share an hour key. Empties the collection.
   */
  private activityRows(db: Database): SqlValue[] {
    if (this.rowKeys?.db !== db) this.rowKeys = { db, keys: new ActivityRowKeys(db) };
    const keys = this.rowKeys.keys;
    const dims = new Set<number>();
    for (const d of this.acts.values()) dims.add(d.dim);
    keys.resolveDims(dims);
    const actIds = this.actNames.map((name) => keys.actIdOf(name));
    const values: number[] = [];
    const at = new Map<number | string, number>();
    for (const d of this.acts.values()) {
      const key = keys.hourKeyOf(d.dim);
      if (key === undefined) continue; // not a dims row: nothing to count it under (as a join on dims would drop it)
      const act = actIds[d.act];
      const h = d.hour / HOUR_MS;
      const k = key < 1048576 && act < 256 && Math.abs(h) < 2 ** 24 ? (h * 1048576 + key) * 256 + act : `${d.hour}:${key}:${act}`;
      let i = at.get(k);
      if (i === undefined) {
        i = values.length;
        at.set(k, i);
        values.push(d.hour, key, act, 0, 0, 0, 0, 0, 0, 0, 0);
      }
      values[i + 3] += d.input;
      values[i + 4] += d.output;
      values[i + 5] += d.cw5m;
      values[i + 6] += d.cw1h;
      values[i + 7] += d.cacheRead;
      values[i + 8] += d.reasoning;
      values[i + 9] += d.webSearch;
      values[i + 10] += d.requests;
    }
    this.acts.clear();
    this.lastAct = undefined;
    return values;
  }
}

const SUM_COLS = 'bucket, dim, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests';
/** the staged rows' columns (first and last entry as epoch ms) */
const COLS = `${SUM_COLS}, first_ms, last_ms`;
/** usage's stored columns: first and last entry as offsets from the bucket (schema 16; first_ms, last_ms generated) */
const STORED_COLS = `${SUM_COLS}, f, l`;
