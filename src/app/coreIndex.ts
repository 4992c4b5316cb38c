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
  logger: Logger;
}

/** The real core behind the usage service's `CoreIndexApi` seam: discovery here (cheap), the index in a worker. */
export function createCoreIndex(o: CoreIndexOptions): CoreIndexApi {
  const worker = startIndexWorker({ script: o.indexWorkerScript, wasmPath: o.wasmPath, ingestWorkerScript: o.workerScript, statusExtraCostMs: o.statusExtraCostMs, logger: o.logger });
  return {
    async discover(claudeDirs, codexDirs): Promise<DiscoveredRoots> {
      const roots = discoverRoots({ env: o.env, home: o.home, claudeDirs, codexDirs });
      return {
        claudeDirs: roots.claude.map((r) => r.projectsDir),
        codexDirs: roots.codex.flatMap((r) => [r.sessionsDir, r.archivedDir].filter((d): d is string => !!d)),
        notes: roots.notes,
        searched: roots.searched,
        raw: { claude: roots.claude, codex: roots.codex },
      };
    },
    index: worker,
    onLogsChanged: (l) => worker.onLogsChanged(l),
    onIndexUpdate: (l) => worker.onUpdate(l),
    onIndexLost: (l) => worker.onWorkerLost(l),
    dispose: () => worker.terminate(),
  };
}
