import type { Database, Statement } from 'sql.js';
import type { LogFile } from '../discovery';
import { addCounters, type Counters } from '../store/counters';
import { DimCache } from '../store/dims';
import { UsageDeltas } from '../store/usageDeltas';
import { bucketOf, type RateLimitSnapshot } from '../types';
import { ClaudeDedup } from './claudeDedup';
import type { ClaudeCallRecord, CodexUsageRecord, ParseResult } from './records';
import { insertRowsSliced } from '../store/batchInsert';
import { TimeSlicer } from '../store/timeSlice';
import { HashFilter } from './hashFilter';

/**
 * Applies parse results of one refresh to the store (main thread, inside the caller's transaction):
 * Claude call de-dup and corrections, Codex replay de-dup (`codex_events`), usage rows, projects, rate-limit samples
 * (one per 15-minute bucket, the newest in it), limit resets, file state and counters.
 */
export class IngestRun {
  readonly counters: Counters = { malformedLines: 0, duplicateLines: 0, codexFallbackModelEvents: 0 };
  records = 0;
  private readonly usage = new UsageDeltas();
  private readonly dims: DimCache;
  private readonly claude: ClaudeDedup;
  /** Codex event hashes met since the last flush (all of them are in codex_events after it) */
  private readonly codexSeen = new Set<number>();
  /** hashes this run inserted into codex_events: only these need a lookup when the store had none at the start */
  private readonly codexFlushed = new HashFilter();
  private readonly codexUseDb: boolean;
  private readonly rateLimits = new Map<number, RateLimitSnapshot>();
  /** counted Codex event hashes, inserted at flush() */
  private readonly newEvents: number[] = [];
  private readonly projectsSeen = new Set<string>();
  /**
   * Events counted in this run from a replay (earlier than their file's session start) and where: when the
   * original (same hash, in its own session) is applied later in the run, the usage moves to the original's dims.
   */
  private readonly provisional = new Map<number, { dim: number }>();
  private readonly stmts: Record<'selEvent' | 'putProject' | 'putReset' | 'putFile', Statement>;

  /**
   * @param slicer bounds each synchronous stretch of apply/flush work (the host thread must stay responsive);
   *   everything still happens inside the caller's one transaction.
   * @param maxCallsInMemory bound of the Claude calls the de-dup holds in memory after a flush (claudeDedup.ts)
   */
  constructor(
    private readonly db: Database,
    private readonly nowMs: number,
    private readonly slicer: TimeSlicer = new TimeSlicer(),
    maxCallsInMemory?: number,
  ) {
    this.dims = new DimCache(db);
    this.claude = new ClaudeDedup(db, this.usage, maxCallsInMemory);
    this.codexUseDb = Number(db.exec('SELECT EXISTS (SELECT 1 FROM codex_events)')[0]?.values[0]?.[0] ?? 0) === 1;
    this.stmts = {
      selEvent: db.prepare('SELECT 1 FROM codex_events WHERE h = ?'),
      putProject: db.prepare('INSERT OR IGNORE INTO projects (project, source, display_path) VALUES (?, ?, ?)'),
      putReset: db.prepare('INSERT OR IGNORE INTO limit_resets (reset_ms, observed_ms) VALUES (?, ?)'),
      putFile: db.prepare(`INSERT INTO files (path, source, dev, ino, size, mtime_ms, offset, state, missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
        ON CONFLICT (path) DO UPDATE SET source = excluded.source, dev = excluded.dev, ino = excluded.ino, size = excluded.size,
        mtime_ms = excluded.mtime_ms, offset = excluded.offset, state = excluded.state, missing = 0`),
    };
  }

  /**
   * Applies one file's parse result and records the file's new offset and state. Gives the event loop a turn
   * whenever the slicer's budget is used up (changes stay in memory until flush(), so readers see nothing half done).
   */
  async applyFile(file: LogFile, r: ParseResult): Promise<void> {
    const slicer = this.slicer;
    this.counters.malformedLines += r.malformed;
    this.counters.duplicateLines += r.duplicates;
    this.counters.codexFallbackModelEvents += r.fallbackModelEvents;
    if (file.source === 'claude') {
      if (r.state.cwd) this.putProject('claude', file.project, r.state.cwd);
      let lastDim = -1;
      let last: ClaudeCallRecord | undefined;
      for (const c of r.claude) {
        // consecutive calls of a file nearly always share their dims
        const dim =
          last && c.model === last.model && c.branch === last.branch && c.tier === last.tier
            ? lastDim
            : this.dims.idOf({ source: 'claude', model: c.model, project: file.project, session: file.session, branch: c.branch, tier: c.tier });
        last = c;
        lastDim = dim;
        const outcome = this.claude.apply(c, dim);
        if (outcome === 'new') this.records++;
        else this.counters.duplicateLines++;
        const turn = slicer.tick();
        if (turn) await turn;
      }
      for (const x of r.resets) this.stmts.putReset.run([x.resetMs, x.observedMs]);
    } else {
      let lastDim = -1;
      let last: CodexUsageRecord | undefined;
      for (const e of r.codex) {
        const tokens = { input: e.input, output: e.output, cw5m: 0, cw1h: 0, cacheRead: e.cacheRead, reasoning: e.reasoning, webSearch: 0 };
        if (this.isReplayed(e.h)) {
          this.counters.duplicateLines++; // history replayed into a fork/subagent/archived copy
          const p = this.provisional.get(e.h);
          if (p && !e.replayed) {
            // the original of an event first counted from a fork's replay (newest files first): move it home
            this.provisional.delete(e.h);
            this.usage.add(bucketOf(e.ts), p.dim, tokens, e.ts, -1);
            this.usage.add(bucketOf(e.ts), this.codexDim(file, e), tokens, e.ts, 1);
          }
          continue;
        }
        this.newEvents.push(e.h);
        // consecutive events of a file nearly always share project, model and branch
        const same = last !== undefined && e.model === last.model && e.project === last.project && e.branch === last.branch;
        if (!same) this.putProject('codex', e.project, e.project);
        const dim = same ? lastDim : this.codexDim(file, e);
        last = e;
        lastDim = dim;
        if (e.replayed) this.provisional.set(e.h, { dim });
        this.usage.add(bucketOf(e.ts), dim, tokens, e.ts, 1);
        this.records++;
        const turn = slicer.tick();
        if (turn) await turn;
      }
      for (const s of r.rateLimits) {
        const b = bucketOf(s.observedMs);
        const cur = this.rateLimits.get(b);
        if (!cur || s.observedMs > cur.observedMs) this.rateLimits.set(b, s);
      }
    }
    if (!r.error) {
      this.stmts.putFile.run([file.path, file.source, file.dev, file.ino, file.size, file.mtimeMs, r.offset, JSON.stringify(r.state)]);
    }
  }

  private codexDim(file: LogFile, e: CodexUsageRecord): number {
    return this.dims.idOf({ source: 'codex', model: e.model, project: e.project, session: file.session, branch: e.branch, tier: 'standard' });
  }

  private putProject(source: string, project: string, displayPath: string): void {
    const key = `${source}\u0000${project}`;
    if (this.projectsSeen.has(key)) return;
    this.projectsSeen.add(key);
    this.stmts.putProject.run([project, source, displayPath]); // first seen wins (INSERT OR IGNORE)
  }

  private isReplayed(h: number): boolean {
    if (this.codexSeen.has(h)) return true;
    this.codexSeen.add(h);
    if (!this.codexUseDb && !this.codexFlushed.mayHave(h)) return false;
    this.stmts.selEvent.bind([h]);
    const found = this.stmts.selEvent.step();
    this.stmts.selEvent.reset();
    return found;
  }

  /** True when the de-dup state held in memory has outgrown its bound: flush() writes it out and trims it. */
  get wantsFlush(): boolean {
    return this.claude.overBudget;
  }

  /** The most Claude calls held in memory at once in this run. */
  get peakCallsInMemory(): number {
    return this.claude.peakInMemory;
  }

  /**
   * Writes what was applied so far: usage rows, replay hashes, rate-limit samples; spills the Claude de-dup state
   * (claudeDedup.ts) and forgets the replay hashes met (they are in codex_events now). Called during a long refresh too, so readers of the same database (uncommitted, same connection) see
   * the newest files early, and so that memory is bounded by the work between flushes, not by the whole refresh.
   */
  async flush(): Promise<void> {
    const slicer = this.slicer;
    // de-dup state first (readers never look at it), the usage rows last and all at once (usageDeltas.ts)
    this.claude.flush();
    const events = this.newEvents.splice(0).sort((a, b) => a - b);
    for (const h of events) this.codexFlushed.add(h);
    this.codexSeen.clear();
    await insertRowsSliced(this.db, 'INSERT OR IGNORE INTO codex_events (h)', 1, events, slicer);
    if (this.rateLimits.size > 0) {
      const put = this.db.prepare(`INSERT INTO rate_limits (bucket, observed_ms, snapshot) VALUES (?, ?, ?)
        ON CONFLICT (bucket) DO UPDATE SET observed_ms = excluded.observed_ms, snapshot = excluded.snapshot
        WHERE excluded.observed_ms > rate_limits.observed_ms`);
      try {
        for (const [b, s] of this.rateLimits) put.run([b, s.observedMs, JSON.stringify(s)]);
      } finally {
        put.free();
      }
      this.rateLimits.clear();
    }
    await this.usage.flush(this.db, slicer);
  }

  /** Final flush, the de-dup state moved to its lasting tables, plus the counters. */
  async finish(): Promise<void> {
    await this.flush();
    await this.claude.finish(this.nowMs, this.slicer);
    addCounters(this.db, this.counters);
  }

  free(): void {
    this.dims.free();
    this.claude.free();
    for (const s of Object.values(this.stmts)) s.free();
  }
}
