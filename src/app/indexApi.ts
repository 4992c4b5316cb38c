import type { IndexBackend } from './indexWorker/protocol';
import type { SourceRoot } from '../core/discovery';
import type { SourceSelection } from './settings';

/**
 * What the usage service needs from the core index, as one small interface. `coreIndex.ts` implements it
 * with the real core modules (discovery; indexer, persist and sql.js in the index worker); keeping the service behind this seam
 * means the lock/refresh/reload logic does not depend on the core's internals. The database and the indexer
 * live in a worker thread (indexWorker/), so nothing heavy runs on the extension host's event loop.
 */
export interface DiscoveredRoots {
  /** the folders each source lists its logs under (what the indexer and the watcher are given) */
  roots: SourceRoot[];
  notes: string[];
  /** every folder looked in per source id (for the empty state), found or not */
  searched: Record<string, string[]>;
}

export type { IndexUpdate, IngestProgress, IngestSummary } from './indexUpdates';
import type { IndexUpdate } from './indexUpdates';

export interface CoreIndexApi {
  discover(selection: SourceSelection): Promise<DiscoveredRoots>;
  /** This window's index (database + indexer), living in the index worker: every call is async plain data. */
  index: IndexBackend;
  /**
   * Called once per burst of log file changes while `index.watchLogs` watches (the watcher runs in the worker), with
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
