/**
 * Host side of the index worker: starts `dist/index-worker.js`, sends typed requests and resolves each with the
 * worker's answer (errors are re-thrown here with the worker's message). The worker only keeps the process alive
 * while a request is pending. If the worker dies, pending requests fail, `onWorkerLost` listeners are told, and the
 * next request starts a new one (with no database open: the usage service opens it again).
 */
import { Worker } from 'node:worker_threads';
import { INDEX_THREAD_LIMITS } from '../../core/ingest/threadLimits';
import type { Logger } from '../../core/types';
import type { IndexUpdate, IngestProgress } from '../indexApi';
import { ENGINE_METHODS, WATCH_METHODS, type EngineMethod, type IndexBackend, type RequestMessage, type WorkerInit, type WorkerMessage } from './protocol';

export interface IndexWorkerOptions extends WorkerInit {
  /** path of the built dist/index-worker.js */
  script: string;
  logger: Logger;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (p: IngestProgress) => void;
  /** the worker the request went to (a stopped worker's exit must not fail its successor's requests) */
  worker: Worker;
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

export function startIndexWorker(o: IndexWorkerOptions): IndexWorkerClient {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const logListeners = new Set<(paths?: string[]) => void>();
  const updateListeners = new Set<(u: IndexUpdate) => void>();
  const lostListeners = new Set<() => void>();
  /** workers stopped on purpose (their exit is not a loss) */
  const stopped = new WeakSet<Worker>();

  const failAll = (e: Error, w?: Worker) => {
    for (const [id, p] of pending) {
      if (w && p.worker !== w) continue;
      pending.delete(id);
      p.reject(e);
    }
  };

  const spawn = (): Worker => {
    const w = new Worker(o.script, {
      workerData: { wasmPath: o.wasmPath, ingestWorkerScript: o.ingestWorkerScript, statusExtraCostMs: o.statusExtraCostMs } satisfies WorkerInit,
      resourceLimits: { ...INDEX_THREAD_LIMITS }, // a capped young generation: lower peak RSS, same speed
    });
    w.unref();
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'log') {
        o.logger[m.level](m.message);
        return;
      }
      if (m.type === 'logsChanged') {
        for (const l of [...logListeners]) l(m.paths);
        return;
      }
      if (m.type === 'update') {
        if (worker === w) for (const l of [...updateListeners]) l(m.update);
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') {
        p.onProgress?.(m.progress);
        return;
      }
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if (m.type === 'result') p.resolve(m.value);
      else {
        const err = new Error(m.message);
        if (m.stack) err.stack = m.stack;
        p.reject(err);
      }
    });
    w.on('error', (e) => {
      o.logger.error(`index worker failed: ${e.message}`);
      failAll(e, w);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`index worker exited (code ${code})`), w);
      if (stopped.has(w)) return;
      o.logger.error(`the index worker stopped unexpectedly (exit code ${code})`);
      for (const l of [...lostListeners]) l();
    });
    return w;
  };

  const call = (method: EngineMethod, args: unknown[]): Promise<unknown> => {
    worker ??= spawn();
    const w = worker;
    const id = nextId++;
    let onProgress: ((p: IngestProgress) => void) | undefined;
    if (method === 'refresh') {
      onProgress = args[0] as typeof onProgress;
      args = args.slice(1);
    }
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress, worker: w });
      w.ref();
      w.postMessage({ id, method, args } satisfies RequestMessage);
    });
  };

  const api = Object.fromEntries([...ENGINE_METHODS, ...WATCH_METHODS].map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as IndexBackend;
  return {
    ...api,
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
      const w = worker;
      worker = undefined;
      if (w) stopped.add(w);
      failAll(new Error('index worker stopped'));
      await w?.terminate();
    },
  };
}
