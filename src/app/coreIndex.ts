import { discoverRoots } from '../core/discovery';
import type { Logger } from '../core/types';
import type { CoreIndexApi, DiscoveredRoots } from './indexApi';
import { startIndexWorker } from './indexWorker/client';

export interface CoreIndexOptions {
  /** tests: every status summary in the worker takes this much longer */
  statusExtraCostMs?: number;
  /** dist/sql-wasm.wasm inside the extension ('' = from node_modules) */
  wasmPath: string;
  /** dist/ingest-worker.js inside the extension: parsing runs in further worker threads ('' = in the index worker) */
  workerScript: string;
  /** dist/index-worker.js inside the extension: the database and the indexer live there, off the host's event loop */
  indexWorkerScript: string;
  env: Record<string, string | undefined>;
  home: string;
  /** the extension's own globalStorage folder (other extensions' logs, e.g. Cline's, start beside it) */
  hostGlobalStorage?: string;
  logger: Logger;
}

/** The real core behind the usage service's `CoreIndexApi` seam: discovery here (cheap), the index in a worker. */
export function createCoreIndex(o: CoreIndexOptions): CoreIndexApi {
  const worker = startIndexWorker({ script: o.indexWorkerScript, wasmPath: o.wasmPath, ingestWorkerScript: o.workerScript, statusExtraCostMs: o.statusExtraCostMs, logger: o.logger });
  return {
    async discover(selection): Promise<DiscoveredRoots> {
      return discoverRoots({ env: o.env, home: o.home, dirs: selection.dirs, enabled: selection.enabled, hostGlobalStorage: o.hostGlobalStorage });
    },
    index: worker,
    onLogsChanged: (l) => worker.onLogsChanged(l),
    onIndexUpdate: (l) => worker.onUpdate(l),
    onIndexLost: (l) => worker.onWorkerLost(l),
    dispose: () => worker.terminate(),
  };
}
