import type { Database, Statement } from 'sql.js';
import type { LogFile } from '../discovery';
import { addCounters, type Counters } from '../store/counters';
import { DimCache } from '../store/dims';
import { FileKeys } from '../store/fileDirs';
import { packState } from '../store/fileStates';
import { UsageDeltas } from '../store/usageDeltas';
import { SOURCE_DEFS } from '../sources/registry';
import type { ApplyContext, SourceApplier } from './applyContext';
import type { ParseResult } from './records';
import { TimeSlicer } from '../store/timeSlice';

/**
 * Applies parse results of one refresh to the store (main thread, inside the caller's transaction): each source's
 * applier counts its records (its own de-dup rules: sources/<id>/), usage rows are collected here and written at
 * each flush, then the projects, file state and counters.
 */
export class IngestRun {
  readonly counters: Counters = { malformedLines: 0, duplicateLines: 0, codexFallbackModelEvents: 0 };
  records = 0;
  private readonly usage = new UsageDeltas();
  private readonly dims: DimCache;
  /** the `files` keys of paths (schema 13: directory id, name); also the indexer's, for the rows it marks */
  readonly fileKeys: FileKeys;
  private readonly appliers = new Map<string, SourceApplier>();
  /** sources whose applier finished before the end of the run (finishSource) */
  private readonly finished = new Set<string>();
  private readonly projectsSeen = new Set<string>();
  private readonly stmts: Record<'putProject' | 'putFile', Statement>;

  /**
   * @param slicer bounds each synchronous stretch of apply/flush work (the host thread must stay responsive);
   *   everything still happens inside the caller's one transaction.
   * @param maxCallsInMemory bound of the Claude calls the de-dup holds in memory after a flush (claudeDedup.ts)
   * @param discardedAfterRun the index is dropped after this refresh (ApplyContext.discardedAfterRun)
   */
  constructor(
    private readonly db: Database,
    nowMs: number,
    private readonly slicer: TimeSlicer = new TimeSlicer(),
    maxCallsInMemory?: number,
    discardedAfterRun = false,
  ) {
    this.dims = new DimCache(db);
    this.fileKeys = new FileKeys(db);
    this.stmts = {
      putProject: db.prepare('INSERT OR IGNORE INTO projects (project, source, display_path) VALUES (?, ?, ?)'),
      putFile: db.prepare(`INSERT INTO files (dir, name, source_id, dev, ino, size, mtime_ms, offset, fp, state, missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
        ON CONFLICT (dir, name) DO UPDATE SET source_id = excluded.source_id, dev = excluded.dev, ino = excluded.ino, size = excluded.size,
        mtime_ms = excluded.mtime_ms, offset = excluded.offset, fp = excluded.fp, state = excluded.state, missing = 0`),
    };
    const ctx: ApplyContext = {
      db,
      usage: this.usage,
      dims: this.dims,
      slicer,
      counters: this.counters,
      nowMs,
      maxCallsInMemory,
      discardedAfterRun,
      putProject: (source, project, displayPath) => this.putProject(source, project, displayPath),
      counted: () => this.records++,
    };
    // every source's applier, also of sources with nothing new: some keep their state tidy at the end (claudeDedup)
    for (const s of SOURCE_DEFS) this.appliers.set(s.id, s.createApplier(ctx));
  }

  /**
   * Applies one file's parse result and records the file's new offset and state. Gives the event loop a turn
   * whenever the slicer's budget is used up (changes stay in memory until flush(), so readers see nothing half done).
   */
  async applyFile(file: LogFile, r: ParseResult): Promise<void> {
    this.counters.malformedLines += r.malformed;
    this.counters.duplicateLines += r.duplicates;
    const applier = this.appliers.get(file.source);
    if (applier) await applier.applyFile(file, r);
    if (!r.error) {
      // the source and the state's key lists interned in strs (store/fileRows.ts)
      const st = packState(JSON.stringify(r.state), (k) => this.dims.textId(k));
      this.stmts.putFile.run([...this.fileKeys.keyOf(file.path), this.dims.textId(file.source), file.dev, file.ino, file.size, file.mtimeMs, r.offset, st.fp, st.state]);
    }
  }

  private putProject(source: string, project: string, displayPath: string): void {
    const key = `${source}\u0000${project}`;
    if (this.projectsSeen.has(key)) return;
    this.projectsSeen.add(key);
    this.stmts.putProject.run([project, source, displayPath]); // first seen wins (INSERT OR IGNORE)
  }

  /** True when the de-dup state held in memory has outgrown its bound: flush() writes it out and trims it. */
  get wantsFlush(): boolean {
    for (const a of this.appliers.values()) if (a.wantsFlush) return true;
    return false;
  }

  /** The most Claude calls held in memory at once in this run. */
  get peakCallsInMemory(): number {
    let peak = 0;
    for (const a of this.appliers.values()) peak = Math.max(peak, a.peakCallsInMemory ?? 0);
    return peak;
  }

  /**
   * Writes what was applied so far: each source's de-dup state, then the usage rows, all at once (usageDeltas.ts).
   * Called during a long refresh too, so readers of the same database (uncommitted, same connection) see the newest
   * files early, and so that memory is bounded by the work between flushes, not by the whole refresh.
   */
  async flush(): Promise<void> {
    for (const a of this.appliers.values()) await a.flush();
    await this.usage.flush(this.db, this.slicer);
  }

  /**
   * The end of the run for one source whose last file of this run was applied: its applier's flush and finish now
   * (its de-dup state written to its lasting tables and let go of: the Claude de-dup's columns and spilled calls, a
   * plug-in source's held keys) instead of with every other source's at finish(), so it is not held while the other
   * sources' files are applied. What it writes is what finish() would write: no file of the source comes after.
   * The usage rows stay with the run's next flush. Later calls for the same source do nothing.
   */
  async finishSource(source: string): Promise<void> {
    const a = this.appliers.get(source);
    if (!a || this.finished.has(source)) return;
    this.finished.add(source);
    await a.flush();
    await a.finish();
  }

  /** Final flush, each source's end of run (the Claude de-dup state moved to its lasting tables), the counters. */
  async finish(): Promise<void> {
    await this.flush();
    for (const [source, a] of this.appliers) if (!this.finished.has(source)) await a.finish();
    addCounters(this.db, this.counters);
  }

  free(): void {
    this.dims.free();
    this.fileKeys.free();
    for (const a of this.appliers.values()) a.free();
    for (const s of Object.values(this.stmts)) s.free();
  }
}
