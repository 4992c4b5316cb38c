/**
 * Host side of the index worker: starts `dist/index-worker.js` and talks to it over the typed channel
 * (src/shared/channel.ts): each `IndexBackend` method is one request, resolved with the worker's answer (errors are
 * re-thrown here with the worker's message). The worker only keeps the process alive while a request is pending.
 * If the worker dies, its pending requests fail, `onWorkerLost` listeners are told, and the next request starts a
 * new one (with no database open: the usage service opens it again).
 */
import { Worker } from 'node:worker_threads';
import { INDEX_THREAD_LIMITS } from '../../core/ingest/threadLimits';
import type { Logger } from '../../core/types';
import type { IndexUpdate } from '../indexApi';
import { MessageHandler } from '../../shared/channel';
import type { HostSide, IndexBackend, WorkerInit, WorkerRequests, WorkerSide } from './protocol';

export interface IndexWorkerOptions extends WorkerInit {
  /** path of the built dist/index-worker.js */
  script: string;
  logger: Logger;
}

export interface IndexWorkerClient extends IndexBackend {
  /** Called once per burst of log changes reported by the worker's watcher, with the changed files (undefined = all). */
  onLogsChanged(listener: (paths?: string[]) => void): { dispose(): void };
  /** Called with each update the worker pushes (after a commit or a load, on new status settings, when asked). */
  onUpdate(listener: (u: IndexUpdate) => void): { dispose(): void };
  /**
   * Called when the worker stopped without `terminate()` (a crash, running out of memory): its database is gone, and
   * the next request starts a new worker with none open.
   */
  onWorkerLost(listener: () => void): { dispose(): void };
  /** Stops the worker at once (pending requests fail). */
  terminate(): Promise<void>;
}

type Channel = MessageHandler<HostSide, WorkerSide>;

/** One running worker thread and its end of the channel (a stopped worker's exit fails only its own requests). */
interface Running {
  worker: Worker;
  channel: Channel;
}

export function startIndexWorker(o: IndexWorkerOptions): IndexWorkerClient {
  let current: Running | undefined;
  const logListeners = new Set<(paths?: string[]) => void>();
  const updateListeners = new Set<(u: IndexUpdate) => void>();
  const lostListeners = new Set<() => void>();
  /** workers stopped on purpose (their exit is not a loss) */
  const stopped = new WeakSet<Worker>();

  const spawn = (): Running => {
    const worker = new Worker(o.script, {
      workerData: { wasmPath: o.wasmPath, ingestWorkerScript: o.ingestWorkerScript, statusExtraCostMs: o.statusExtraCostMs } satisfies WorkerInit,
      resourceLimits: { ...INDEX_THREAD_LIMITS }, // a capped young generation: lower peak RSS, same speed
    });
    worker.unref();
    const channel: Channel = new MessageHandler<HostSide, WorkerSide>({ transport: worker });
    const running: Running = { worker, channel };
    channel.on('log', (m) => o.logger[m.level](m.message));
    channel.on('logsChanged', (m) => {
      for (const l of [...logListeners]) l(m.paths);
    });
    channel.on('update', (u) => {
      if (current === running) for (const l of [...updateListeners]) l(u);
    });
    worker.on('message', (m: unknown) => {
      channel.handle(m);
      // a worker being stopped stays referenced: `terminate()` awaits its exit, and an answer that arrives meanwhile
      // must not leave that wait with nothing keeping the process alive
      if (channel.pendingCount === 0 && !stopped.has(worker)) worker.unref();
    });
    worker.on('error', (e) => {
      o.logger.error(`index worker failed: ${e.message}`);
      channel.close(e);
    });
    worker.on('exit', (code) => {
      if (current === running) current = undefined;
      channel.close(new Error(`index worker exited (code ${code})`));
      if (stopped.has(worker)) return;
      o.logger.error(`the index worker stopped unexpectedly (exit code ${code})`);
      for (const l of [...lostListeners]) l();
    });
    return running;
  };

  /** Sends one request to the worker (started on demand), keeping the process alive until it is answered. */
  const request = <K extends keyof WorkerRequests & string>(method: K, params: WorkerRequests[K]['params'], onProgress?: (p: WorkerRequests[K] extends { progress: infer P } ? P : never) => void) => {
    current ??= spawn();
    const { worker, channel } = current;
    worker.ref();
    return channel.request(method, params, onProgress);
  };
  /** The method of `IndexBackend` that sends request `method` with its arguments. */
  const call = <K extends Exclude<keyof WorkerRequests, 'refresh' | 'teamPush'> & string>(method: K) =>
    (...args: WorkerRequests[K]['params']) => request(method, args);

  return {
    hasDatabase: call('hasDatabase'),
    prepareOpen: call('prepareOpen'),
    openWritable: call('openWritable'),
    openReadOnly: call('openReadOnly'),
    close: call('close'),
    save: call('save'),
    startIndexer: call('startIndexer'),
    stopIndexer: call('stopIndexer'),
    refresh: (onProgress, opts) => request('refresh', [opts], onProgress),
    isEmpty: call('isEmpty'),
    loadFacts: call('loadFacts'),
    loadProjects: call('loadProjects'),
    loadLatestRateLimits: call('loadLatestRateLimits'),
    loadRateLimitSamples: call('loadRateLimitSamples'),
    loadLimitResets: call('loadLimitResets'),
    loadCounters: call('loadCounters'),
    sessionLogPath: call('sessionLogPath'),
    statusSummary: call('statusSummary'),
    configureStatus: call('configureStatus'),
    publishStatus: call('publishStatus'),
    dashboardSnapshot: call('dashboardSnapshot'),
    dashboardSessions: call('dashboardSessions'),
    dashboardPrepare: call('dashboardPrepare'),
    dashboardWarm: call('dashboardWarm'),
    exportText: call('exportText'),
    applyRetention: call('applyRetention'),
    writeReport: call('writeReport'),
    dispose: call('dispose'),
    watchLogs: call('watchLogs'),
    unwatchLogs: call('unwatchLogs'),
    teamCheck: call('teamCheck'),
    teamSnapshot: call('teamSnapshot'),
    teamWriteReport: call('teamWriteReport'),
    teamPush: (req, onProgress) => request('teamPush', [req], onProgress),
    onLogsChanged(listener) {
      logListeners.add(listener);
      return { dispose: () => logListeners.delete(listener) };
    },
    onUpdate(listener) {
      updateListeners.add(listener);
      return { dispose: () => updateListeners.delete(listener) };
    },
    onWorkerLost(listener) {
      lostListeners.add(listener);
      return { dispose: () => lostListeners.delete(listener) };
    },
    async terminate() {
      const r = current;
      current = undefined;
      if (!r) return;
      stopped.add(r.worker);
      r.worker.ref();
      r.channel.close(new Error('index worker stopped'));
      await r.worker.terminate();
    },
  };
}
