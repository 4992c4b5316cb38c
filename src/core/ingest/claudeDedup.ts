import type { Database } from 'sql.js';
import { bucketOf } from '../types';
import type { ClaudeCallRecord } from './records';
import { isBetterCopy, isEqualCopy } from './keepRule';
import type { UsageDeltas } from '../store/usageDeltas';
import { ClaudePacks, ridKey } from '../store/claudePacks';
import type { TimeSlicer } from '../store/timeSlice';
import { SpilledCalls, type KeptCopy } from './spilledCalls';
import { anySeenCalls, SeenCalls } from '../store/seenCalls';
import { ActivityKeys } from '../store/activityKeys';
import { mergeActivity } from '../activity';
import { HeldCopies } from './heldCopies';

/**
 * De-duplication of Claude API calls across lines, files and incremental runs (formats note A.4, D.2–D.3).
 *
 * One call = (message.id, requestId); a copy matches a kept call with the same message.id when the requestIds are
 * equal, when either requestId is missing, or when either copy is a sidechain copy (a subagent/side-question file
 * replaying the parent's message with a new requestId is the same call).
 * Of all copies keep the non-sidechain one, then the one with the largest input+output+cache writes+cache reads
 * (streaming copies carry a placeholder output_tokens), then of equal copies in different files (a resumed or
 * branched conversation's copied history) the one of the first (project, session) in path order, whatever order the
 * files are read in; the call's time is the earliest copy's. When a better copy arrives later — in the same run, in
 * another file or in a later refresh — the kept copy is subtracted from its usage row and the new one added.
 *
 * State across runs: `claude_packs` (store/claudePacks.ts) holds recent calls with the kept copy's tokens, dim and time so they can be
 * corrected. Calls older than COMPACT_AFTER_MS (by call time) are compacted to their message.id hash in
 * `claude_seen_packs` (store/seenCalls.ts): a copy of such a call arriving later is counted as a duplicate and **not**
 * corrected (see docs/DEDUP.md). This keeps the state bounded (~5.5 bytes per old call). The window ends at a UTC
 * midnight (35 to 36 days back): the packs have no time index, and their aged copies are compacted in one scan when
 * that midnight moves, once a day.
 *
 * State during a run (memory bounded by the work, not by history): the calls applied since the last flush plus the
 * most recently loaded ones, by message.id hash, as typed columns (heldCopies.ts: ~100 bytes a call, no object), at
 * most `maxCallsInMemory` after a flush. Each flush
 * spills the calls it changed, every kept copy of their message.id in order, to compact records (spilledCalls.ts:
 * ~19 bytes a copy in memory and 48 in a temp file); a copy of a call no longer in the map
 * loads it back from there
 * (exact, tokens included, whatever its age), else from claude_packs / claude_seen. On a first index (empty store)
 * a brand-new call therefore needs no SQL lookup at all.
 *
 * Activity (core/activity.ts): Claude Code writes one line per content block, so each copy of a call names only the
 * tools of its own block. A call's activity is that of all its copies (mergeActivity: the highest by precedence, main
 * agent vs subagent as the kept copy says), kept beside the kept copy (its act, an act_keys id). A copy that
 * raises it moves the kept copy's tokens to the merged activity in usage_acts (store/usageActivity.ts; its usage row
 * does not change), also when the copy itself is a duplicate; a better copy is subtracted from the activity the kept
 * copy was counted under. The store's tables are written once, by finish(): the
 * spilled calls replace their rows in claude_packs (recent) or go to claude_seen (older), then the calls that aged
 * since the last run are compacted.
 */
/** No kept copy (a call never seen): shared, never changed. */
const NONE_KEPT: readonly Kept[] = Object.freeze([]);

function blankCopy(): Kept {
  return { rid: 0, side: false, ts: 0, dim: 0, input: 0, output: 0, cw5m: 0, cw1h: 0, cacheRead: 0, webSearch: 0, act: 0 };
}

export const COMPACT_AFTER_MS = 35 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** Default bound of the calls held in memory between flushes (~100 bytes each, heldCopies.ts); tests force tiny bounds. */
export const MAX_CALLS_IN_MEMORY = 40_000;

type Kept = KeptCopy;

export type DedupOutcome = 'new' | 'replaced' | 'duplicate';


export class ClaudeDedup {
  /** kept copies by message.id hash, in the order they were first kept (the order matching tries them), and which changed since the last flush */
  private readonly calls = new HeldCopies();
  /** message.id hashes found only in claude_seen since the last flush */
  private readonly compacted = new Set<number>();
  /** calls spilled out of the map in this run */
  private spilled = new SpilledCalls();
  /** the store held de-dup state when the run started (else only the spilled calls can know a call) */
  private readonly useDb: boolean;
  private readonly maxInMemory: number;
  private peak = 0;
  private readonly packs: ClaudePacks;
  private readonly seen: SeenCalls;
  private readonly acts: ActivityKeys;

  constructor(
    private readonly db: Database,
    private readonly usage: UsageDeltas,
    maxCallsInMemory = MAX_CALLS_IN_MEMORY,
    /** the path-order key of a dims row (project, session), for equal copies in different files */
    private readonly placeOf: (dim: number) => string = String,
  ) {
    this.acts = new ActivityKeys(db);
    this.packs = new ClaudePacks(db);
    this.useDb = this.packs.any() || anySeenCalls(db);
    this.seen = new SeenCalls(db);
    this.maxInMemory = Math.max(0, maxCallsInMemory);
  }

  /** Calls held in memory now. */
  get inMemory(): number {
    return this.calls.size;
  }

  /** The most calls held in memory at once in this run. */
  get peakInMemory(): number {
    return this.peak;
  }

  /** True when the calls held in memory exceed the bound: the caller should flush (which trims them). */
  get overBudget(): boolean {
    return this.calls.size > this.maxInMemory;
  }

  /** scratch copies (filled, read and dropped within one apply: the held copies are typed columns) */
  private readonly cand: Kept = blankCopy();
  private readonly kept: Kept = blankCopy();
  private readonly one: Kept[] = [blankCopy()];
  private readonly list: Kept[] = [];

  /**
   * Applies one copy of a call; `dim` is the dims id the copy would be counted under. `r` is only read during the
   * call (the caller may reuse one object for every copy).
   */
  apply(r: ClaudeCallRecord, dim: number): DedupOutcome {
    let call = this.calls.find(r.mid);
    if (call < 0) {
      const loaded = this.load(r.mid);
      if (loaded === undefined) return 'duplicate';
      call = this.calls.addCall(r.mid);
      for (const k of loaded) this.calls.addCopy(call, k);
      if (this.calls.size > this.peak) this.peak = this.calls.size;
    }
    const held = this.calls;
    // the copy it matches: the same requestId, else one without a requestId or a sidechain copy on either side (kept
    // copies hold the requestId's key, store/claudePacks.ts ridKey)
    const rid = ridKey(r.rid);
    let k = -1;
    for (let row = held.first(call); row >= 0; row = held.after(row)) {
      if (held.rid(row) === rid) {
        k = row;
        break;
      }
    }
    if (k < 0) {
      for (let row = held.first(call); row >= 0; row = held.after(row)) {
        if (held.rid(row) === 0 || rid === 0 || held.side(row) || r.sidechain) {
          k = row;
          break;
        }
      }
    }
    const activity = r.activity ?? '';
    if (k < 0) {
      held.addCopy(call, this.candidate(r, r.ts, dim, this.acts.idOf(activity)));
      held.markDirty(call);
      this.usage.add(bucketOf(r.ts), dim, r, r.ts, 1, 1, activity);
      return 'new';
    }
    const kept = held.read(k, this.kept);
    const keptActivity = this.acts.nameOf(kept.act);
    const better =
      isBetterCopy(r, r.sidechain, kept, kept.side) ||
      (dim !== kept.dim && isEqualCopy(r, r.sidechain, kept, kept.side) && this.placeOf(dim) < this.placeOf(kept.dim));
    if (!better) {
      const merged = mergeActivity(keptActivity, activity);
      if (merged !== keptActivity) {
        // the same tokens under the merged activity (the usage row stays)
        this.usage.moveActivity(bucketOf(kept.ts), kept.dim, kept, 1, keptActivity, merged);
        held.setAct(k, this.acts.idOf(merged));
        held.markDirty(call);
      }
      return 'duplicate';
    }
    const merged = mergeActivity(activity, keptActivity);
    // the call keeps the earliest timestamp of its copies (when the response started)
    const ts = Math.min(kept.ts, r.ts);
    this.usage.add(bucketOf(kept.ts), kept.dim, kept, kept.ts, -1, 1, keptActivity);
    this.usage.add(bucketOf(ts), dim, r, ts, 1, 1, merged);
    held.write(k, this.candidate(r, ts, dim, this.acts.idOf(merged)));
    held.markDirty(call);
    return 'replaced';
  }

  /** `r` as a kept copy (the scratch `cand`) at time `ts`, counted under `dim` and activity id `act`. */
  private candidate(r: ClaudeCallRecord, ts: number, dim: number, act: number): Kept {
    const c = this.cand;
    c.rid = ridKey(r.rid);
    c.side = r.sidechain;
    c.ts = ts;
    c.dim = dim;
    c.input = r.input;
    c.output = r.output;
    c.cw5m = r.cw5m;
    c.cw1h = r.cw1h;
    c.cacheRead = r.cacheRead;
    c.webSearch = r.webSearch;
    c.act = act;
    return c;
  }

  /**
   * The kept copies of a call not in the map: spilled in this run, else from claude_packs; [] when unknown,
   * undefined when compacted (seen long ago).
   */
  private load(mid: number): readonly Kept[] | undefined {
    const spilled = this.spilled.get(mid);
    if (spilled) return spilled;
    if (!this.useDb) return NONE_KEPT; // (a first index: nearly every call; no array made for each)
    if (this.compacted.has(mid)) return undefined;
    const stored = this.packs.get(mid);
    if (stored.length > 0) return stored;
    if (!this.seen.has(mid)) return stored;
    this.compacted.add(mid);
    return undefined;
  }

  /**
   * Spills the calls changed since the last flush and trims the map to half its bound (the calls loaded longest
   * ago go first). Writes nothing to the database (finish() does). May run several times per refresh.
   */
  flush(): void {
    const held = this.calls;
    held.takeDirty((call) => {
      // a call's copies as a list (the spill copies them: the scratch objects are reused); one copy nearly always
      let list = this.one;
      let row = held.first(call);
      if (held.after(row) < 0) held.read(row, list[0]);
      else {
        list = this.list;
        list.length = 0;
        for (; row >= 0; row = held.after(row)) list.push(held.read(row, blankCopy()));
      }
      this.spilled.put(held.midOf(call), list);
    });
    this.compacted.clear();
    if (this.calls.size > this.maxInMemory) this.calls.keepNewest(Math.floor(this.maxInMemory / 2));
  }

  /**
   * End of the run: the spilled calls replace their rows in claude_packs (recent) or go to claude_seen (older than
   * COMPACT_AFTER_MS), sorted by key (B-tree appends); then the calls that aged since the last run are compacted.
   */
  async finish(nowMs: number, slicer: TimeSlicer): Promise<void> {
    this.flush();
    // whole UTC days: the table has no time index, so its aged rows are compacted when the cutoff reaches a new day
    const cutoff = Math.floor((nowMs - COMPACT_AFTER_MS) / DAY_MS) * DAY_MS;
    // a list loaded from the packs held all of that message.id's copies: they are rewritten from the list
    let replaced: Set<number> | undefined;
    if (this.useDb) {
      replaced = new Set();
      this.spilled.forEachMid((mid) => replaced?.add(mid));
    }
    await this.packs.replace(this.spilled.since(cutoff), replaced, slicer);
    const old = this.spilled.midsBefore(cutoff);
    // the spilled calls are in the tables now: their memory (and temp file) can go before the tables grow
    this.spilled.close();
    this.spilled = new SpilledCalls();
    this.calls.clear();
    await this.seen.addAll(old, slicer);
    await this.compactDaily(cutoff, slicer);
  }

  /** The stored calls older than `day` (a UTC midnight) go to the seen packs, once per day. */
  private async compactDaily(day: number, slicer: TimeSlicer): Promise<void> {
    const done = Number(this.db.exec("SELECT value FROM meta WHERE key = 'claudeCompactedBefore'")[0]?.values[0]?.[0] ?? -Infinity);
    if (day <= done) return;
    const aged = await this.packs.compactBefore(day, slicer);
    await this.seen.addAll(aged, slicer);
    this.db.run("INSERT INTO meta (key, value) VALUES ('claudeCompactedBefore', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [String(day)]);
  }

  free(): void {
    this.spilled.close();
    this.packs.free();
    this.seen.free();
  }
}
