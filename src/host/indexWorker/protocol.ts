/**
 * The typed RPC between the extension host and the index worker: a request names an `IndexEngine` method and its
 * arguments; the worker answers with the result or the error under the same id. Progress of a refresh and log
 * lines are events. Everything crosses as structured clones (plain data only).
 */
import type { IndexEngine } from './engine';
import type { LogWatchHost } from './logWatch';
import type { IndexUpdate, IngestProgress } from '../indexApi';

/** The engine's methods as the host sees them: the same arguments, the result as a Promise. */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** Everything the worker serves: the index, and the watcher of the log folders. */
export type WorkerApi = IndexEngine & LogWatchHost;
export type IndexBackend = Remote<WorkerApi>;
export type EngineMethod = keyof WorkerApi;

/** Every method the worker serves (checked against the engine's type). */
export const ENGINE_METHODS = [
  'hasDatabase', 'openWritable', 'openReadOnly', 'close', 'save', 'startIndexer', 'stopIndexer', 'refresh', 'isEmpty',
  'loadFacts', 'loadProjects', 'loadLatestRateLimits', 'loadRateLimitSamples', 'loadLimitResets', 'loadCounters',
  'sessionLogPath', 'statusSummary', 'configureStatus', 'publishStatus', 'dashboardSnapshot', 'exportText', 'dispose',
] as const satisfies readonly (keyof IndexEngine)[];
export const WATCH_METHODS = ['watchLogs', 'unwatchLogs'] as const satisfies readonly (keyof LogWatchHost)[];

/**
 * `refresh`'s callback does not cross: the client sends the arguments after it, and the worker sends `progress`
 * events with the request's id instead.
 */
export interface RequestMessage {
  id: number;
  method: EngineMethod;
  args: unknown[];
}

export type WorkerMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string; stack?: string }
  | { type: 'progress'; id: number; progress: IngestProgress }
  | { type: 'log'; level: 'info' | 'warn' | 'error' | 'debug'; message: string }
  /** a burst of `*.jsonl` changes in the watched log folders: these files (undefined = look at every file) */
  | { type: 'logsChanged'; paths?: string[] }
  /** the data changed (a commit, a load) or the status summary was asked for: the new version and summary */
  | { type: 'update'; update: IndexUpdate };

/** Data the host passes when it starts the worker. */
export interface WorkerInit {
  wasmPath: string;
  ingestWorkerScript: string;
  /** tests: every status summary takes this much longer (busy wait), to check the throttle during a first index */
  statusExtraCostMs?: number;
}
