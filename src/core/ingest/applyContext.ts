import type { Database } from 'sql.js';
import type { LogFile } from '../logFile';
import type { Counters } from '../store/counters';
import type { DimCache } from '../store/dims';
import type { TimeSlicer } from '../store/timeSlice';
import type { UsageDeltas } from '../store/usageDeltas';
import type { ParseResult } from './records';

/** What one refresh (apply.ts `IngestRun`) shares with the sources' appliers. All writes happen in its transaction. */
export interface ApplyContext {
  readonly db: Database;
  /** usage row changes of the refresh (written at each flush) */
  readonly usage: UsageDeltas;
  readonly dims: DimCache;
  readonly slicer: TimeSlicer;
  readonly counters: Counters;
  readonly nowMs: number;
  /** Claude calls the de-dup may hold in memory before a flush (claudeDedup.ts), when the caller bounds it */
  readonly maxCallsInMemory?: number;
  /**
   * The index is dropped after this one refresh and its report (the CLI's `--no-cache`): what only a later refresh
   * would read (Codex's replay hashes, the Claude de-dup's calls) need not be written. Usage and everything a report
   * reads are written as always.
   */
  readonly discardedAfterRun?: boolean;
  /** a project's display path (first seen wins) */
  putProject(source: string, project: string, displayPath: string): void;
  /** one new call or event counted */
  counted(): void;
}

/** A source's side of one refresh: applies its files' parse results (main thread), de-dups, writes. */
export interface SourceApplier {
  applyFile(file: LogFile, r: ParseResult): Promise<void>;
  /** writes what it holds (called during a long refresh too); usage goes through ctx.usage */
  flush(): Promise<void>;
  /** the end of the refresh, after the last flush */
  finish(): Promise<void>;
  free(): void;
  /** the de-dup state held in memory has outgrown its bound: the refresh flushes */
  readonly wantsFlush?: boolean;
  /** the most calls held in memory at once (Claude's de-dup) */
  readonly peakCallsInMemory?: number;
}
