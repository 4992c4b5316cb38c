/**
 * The protocol between the extension host and the index worker, over the shared typed channel (src/shared/channel.ts):
 * the worker serves one request per `IndexEngine` / `LogWatchHost` method (the same arguments as a tuple, the result
 * as plain data) and emits log lines, changed log files and pushed updates as events. `refresh`'s progress callback
 * does not cross: it is the request's progress. Everything crosses as structured clones (plain data only).
 */
import type { Side, None } from '../../shared/channel';
import type { IndexEngine } from './engine';
import type { LogWatchHost } from './logWatch';
import type { TeamWorker } from './teamWorker';
import type { TeamPushProgress } from './teamRequests';
import type { IndexUpdate, IngestProgress, IngestSummary } from '../indexUpdates';

/** The engine's methods as the host sees them: the same arguments, the result as a Promise. */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** Everything the worker serves: the index, the watcher of the log folders, and the team database's requests. */
export type WorkerApi = Omit<IndexEngine, 'writerDatabase'> & Omit<LogWatchHost, 'beforeFullPass'> & TeamWorker;
export type IndexBackend = Remote<WorkerApi>;

type Call<F> = F extends (...args: infer A) => infer R ? { params: A; result: Awaited<R> } : never;
type RefreshOptions = Parameters<IndexEngine['refresh']>[1];
type TeamPush = TeamWorker['teamPush'];

/** The worker's requests: one per method, its arguments as a tuple; `refresh` and `teamPush` report their progress. */
export type WorkerRequests = { [K in Exclude<keyof WorkerApi, 'refresh' | 'teamPush'>]: Call<WorkerApi[K]> } & {
  refresh: { params: [opts?: RefreshOptions]; result: IngestSummary | null; progress: IngestProgress };
  teamPush: { params: [req: Parameters<TeamPush>[0]]; result: Awaited<ReturnType<TeamPush>>; progress: TeamPushProgress };
};

export type WorkerEvents = {
  log: { level: 'info' | 'warn' | 'error' | 'debug'; message: string };
  /** a burst of `*.jsonl` changes in the watched log folders: these files (undefined = look at every file) */
  logsChanged: { paths?: string[] };
  /** the data changed (a commit, a load) or the status summary was asked for: the new version and summary */
  update: IndexUpdate;
};

/** The index worker's side: serves the requests, emits the events. */
export type WorkerSide = Side<WorkerRequests, WorkerEvents>;
/** The host's side: serves nothing, emits nothing (it only asks). */
export type HostSide = Side<None, None>;

/** Data the host passes when it starts the worker. */
export interface WorkerInit {
  wasmPath: string;
  ingestWorkerScript: string;
  /** tests: every status summary takes this much longer (busy wait), to check the throttle during a first index */
  statusExtraCostMs?: number;
}
