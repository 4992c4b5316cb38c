import type { StatusSummary } from './status/statusSummary';

/**
 * What the index worker reports to the host, as plain data: a refresh's outcome, its progress, and the update pushed
 * after every commit (the engine produces them, the host's usage model takes them; indexApi.ts re-exports them).
 */

/** The indexer's progress during a long refresh (the core's type; the first-index notification shows it). */
export type { IngestProgress } from '../core/ingest/indexer';

export interface IngestSummary {
  filesScanned: number;
  filesChanged: number;
  bytesRead: number;
  records: number;
  malformedLines: number;
  changed: boolean;
  /** changed databases left for later (read less than 10 s ago): the writer refreshes them once that has passed */
  deferred?: string[];
}

/**
 * Pushed by the index worker after every commit (a refresh that changed data, a partial batch of a long refresh), every
 * load or open of the database, a change of the status settings, and when the host asks (the 30 s tick).
 */
export interface IndexUpdate {
  /** one per worker: versions of different workers (after a restart) are not comparable */
  epoch: number;
  /** the data version: bumped by every commit and every (re)load of the database */
  version: number;
  /** the status bar's summary as of this version; null before the host sent the status settings */
  summary: StatusSummary | null;
  /** what computing the summary cost in the worker (ms) */
  summaryMs: number;
  reason: 'ingest' | 'batch' | 'open' | 'load' | 'settings' | 'asked';
}

