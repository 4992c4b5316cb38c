import type { IndexBackend } from './indexWorker/protocol';
import type { StatusSummary } from './status/statusSummary';

/**
 * What the usage service needs from the core index, as one small interface. `coreIndex.ts` implements it
 * with the real core modules (discovery; indexer, persist and sql.js in the index worker); keeping the service behind this seam
 * means the lock/refresh/reload logic does not depend on the core's internals. The database and the indexer
 * live in a worker thread (indexWorker/), so nothing heavy runs on the extension host's event loop.
 */
export interface DiscoveredRoots {
  /** folders to watch for Claude logs (each a `projects/` folder) */
  claudeDirs: string[];
  /** folders to watch for Codex logs (`sessions/`, `archived_sessions/`) */
  codexDirs: string[];
  notes: string[];
  /** every folder looked in (for the empty state), found or not */
  searched: { claude: string[]; codex: string[] };
  /** opaque: what the indexer was given */
  raw: unknown;
}

/** The indexer's progress during a long refresh (the core's type; the first-index notification shows it). */
export type { IngestProgress } from '../core/ingest/indexer';

export interface IngestSummary {
  filesScanned: number;
  filesChanged: number;
  bytesRead: number;
  records: number;
  malformedLines: number;
  changed: boolean;
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

export interface CoreIndexApi {
  discover(claudeDirs: string[], codexDirs: string[]): Promise<DiscoveredRoots>;
  /** This window's index (database + indexer), living in the index worker: every call is async plain data. */
  index: IndexBackend;
  /**
   * Called once per burst of `*.jsonl` changes while `index.watchLogs` watches (the watcher runs in the worker), with
   * the files that changed (undefined: look at every file).
   */
  onLogsChanged(listener: (paths?: string[]) => void): { dispose(): void };
  /** Called with each update the index worker pushes (see IndexUpdate). */
  onIndexUpdate(listener: (u: IndexUpdate) => void): { dispose(): void };
  /** Called when the index worker stopped unexpectedly: the index must be opened again. */
  onIndexLost(listener: () => void): { dispose(): void };
  /** Stops the index worker. */
  dispose(): Promise<void>;
}
