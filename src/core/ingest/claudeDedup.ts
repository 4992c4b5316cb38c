import type { Database, Statement } from 'sql.js';
import { bucketOf } from '../types';
import type { ClaudeCallRecord, ClaudeCallTokens } from './records';
import { isBetterCopy } from './keepRule';
import type { UsageDeltas } from '../store/usageDeltas';
import { insertRowsSliced } from '../store/batchInsert';
import type { TimeSlicer } from '../store/timeSlice';

/**
 * De-duplication of Claude API calls across lines, files and incremental runs (formats note A.4, D.2–D.3).
 *
 * One call = (message.id, requestId); a copy matches a kept call with the same message.id when the requestIds are
 * equal, when either requestId is missing, or when either copy is a sidechain copy (a subagent/side-question file
 * replaying the parent's message with a new requestId is the same call).
 * Of all copies keep the non-sidechain one, then the one with the largest input+output+cache writes+cache reads
 * (streaming copies carry a placeholder output_tokens); the call's time is the earliest copy's. When a better copy arrives later — in the same run, in
 * another file or in a later refresh — the kept copy is subtracted from its usage row and the new one added.
 *
 * State: during a run an in-memory Map by message.id hash; across runs `claude_calls` holds recent calls with the
 * kept copy's tokens, dim and time so they can be corrected. Calls older than COMPACT_AFTER_MS (by call time) are
 * compacted to their message.id hash in `claude_seen`: a copy of such a call arriving later is counted as a
 * duplicate and **not** corrected (see docs/DEDUP.md). This keeps the state bounded (~12 bytes per old call).
 */
export const COMPACT_AFTER_MS = 35 * 24 * 3600 * 1000;

interface Kept extends ClaudeCallTokens {
  rid: number;
  side: boolean;
  ts: number;
  dim: number;
  /** requestId hash of the row in claude_calls, null when not stored there */
  storedRid: number | null;
  dirty: boolean;
}

export type DedupOutcome = 'new' | 'replaced' | 'duplicate';

export class ClaudeDedup {
  private readonly calls = new Map<number, Kept[]>();
  private readonly compacted = new Set<number>();
  /** message.id hashes with a changed kept copy since the last flush */
  private readonly dirty = new Set<number>();
  private readonly useDb: boolean;
  private selCalls: Statement | undefined;
  private selSeen: Statement | undefined;

  constructor(private readonly db: Database, private readonly usage: UsageDeltas) {
    const r = db.exec('SELECT EXISTS (SELECT 1 FROM claude_calls) OR EXISTS (SELECT 1 FROM claude_seen)');
    this.useDb = Number(r[0]?.values[0]?.[0] ?? 0) === 1;
  }

  /** Applies one copy of a call; `dim` is the dims id the copy would be counted under. */
  apply(r: ClaudeCallRecord, dim: number): DedupOutcome {
    let list = this.calls.get(r.mid);
    if (list === undefined) {
      if (this.compacted.has(r.mid)) return 'duplicate';
      if (this.useDb) {
        list = this.loadFromDb(r.mid);
        if (list === undefined) {
          this.compacted.add(r.mid);
          return 'duplicate';
        }
      } else list = [];
      this.calls.set(r.mid, list);
    }
    const k = list.find((c) => c.rid === r.rid) ?? list.find((c) => c.rid === 0 || r.rid === 0 || c.side || r.sidechain);
    if (!k) {
      list.push({ rid: r.rid, side: r.sidechain, ts: r.ts, dim, input: r.input, output: r.output, cw5m: r.cw5m, cw1h: r.cw1h, cacheRead: r.cacheRead, webSearch: r.webSearch, storedRid: null, dirty: true });
      this.dirty.add(r.mid);
      this.usage.add(bucketOf(r.ts), dim, r, r.ts, 1);
      return 'new';
    }
    if (!isBetterCopy(r, r.sidechain, k, k.side)) return 'duplicate';
    // the call keeps the earliest timestamp of its copies (when the response started)
    const ts = Math.min(k.ts, r.ts);
    this.usage.add(bucketOf(k.ts), k.dim, k, k.ts, -1);
    this.usage.add(bucketOf(ts), dim, r, ts, 1);
    Object.assign(k, { rid: r.rid, side: r.sidechain, ts, dim, input: r.input, output: r.output, cw5m: r.cw5m, cw1h: r.cw1h, cacheRead: r.cacheRead, webSearch: r.webSearch, dirty: true });
    this.dirty.add(r.mid);
    return 'replaced';
  }

  /** Kept calls from claude_calls, [] when unknown, undefined when compacted (seen long ago). */
  private loadFromDb(mid: number): Kept[] | undefined {
    this.selCalls ??= this.db.prepare('SELECT rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search FROM claude_calls WHERE mid = ?');
    const out: Kept[] = [];
    this.selCalls.bind([mid]);
    while (this.selCalls.step()) {
      const [rid, side, ts, dim, input, output, cw5m, cw1h, cacheRead, webSearch] = this.selCalls.get() as number[];
      out.push({ rid, side: side === 1, ts, dim, input, output, cw5m, cw1h, cacheRead, webSearch, storedRid: rid, dirty: false });
    }
    this.selCalls.reset();
    if (out.length > 0) return out;
    this.selSeen ??= this.db.prepare('SELECT 1 FROM claude_seen WHERE mid = ?');
    this.selSeen.bind([mid]);
    const seen = this.selSeen.step();
    this.selSeen.reset();
    return seen ? undefined : out;
  }

  /** Writes changed calls: recent ones to claude_calls, old ones straight to claude_seen; then compacts. May run several times per refresh. */
  async flush(nowMs: number, slicer: TimeSlicer): Promise<void> {
    const cutoff = nowMs - COMPACT_AFTER_MS;
    const gone: number[] = []; // (mid, rid) rows to delete
    const recent: number[] = [];
    const old: number[] = [];
    // sorted by key: B-tree appends instead of random inserts
    const mids = [...this.dirty].sort((a, b) => a - b);
    this.dirty.clear();
    for (const mid of mids) {
      for (const k of this.calls.get(mid)!) {
        if (!k.dirty) continue;
        if (k.storedRid !== null && (k.storedRid !== k.rid || k.ts < cutoff)) gone.push(mid, k.storedRid);
        if (k.ts >= cutoff) recent.push(mid, k.rid, k.side ? 1 : 0, k.ts, k.dim, k.input, k.output, k.cw5m, k.cw1h, k.cacheRead, k.webSearch);
        else old.push(mid);
        k.storedRid = k.ts >= cutoff ? k.rid : null;
        k.dirty = false;
      }
    }
    if (gone.length > 0) {
      const del = this.db.prepare('DELETE FROM claude_calls WHERE mid = ? AND rid = ?');
      try {
        for (let i = 0; i < gone.length; i += 2) {
          del.run([gone[i], gone[i + 1]]);
          const turn = slicer.tick();
          if (turn) await turn;
        }
      } finally {
        del.free();
      }
    }
    await insertRowsSliced(this.db, 'INSERT OR REPLACE INTO claude_calls (mid, rid, sidechain, ts, dim, input, output, cw5m, cw1h, cache_read, web_search)', 11, recent, slicer);
    await insertRowsSliced(this.db, 'INSERT OR IGNORE INTO claude_seen (mid)', 1, old, slicer);
    this.db.run('INSERT OR IGNORE INTO claude_seen (mid) SELECT mid FROM claude_calls WHERE ts < ?', [cutoff]);
    this.db.run('DELETE FROM claude_calls WHERE ts < ?', [cutoff]);
  }

  free(): void {
    this.selCalls?.free();
    this.selSeen?.free();
    this.selCalls = this.selSeen = undefined;
  }
}
