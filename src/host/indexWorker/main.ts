/**
 * Index worker entry (bundled to dist/index-worker.js): owns this window's `IndexEngine` and the log-folder
 * watcher (`LogWatchHost`) and serves the host's requests one message at a time. Requests may interleave while a refresh awaits its parse workers, as they did
 * on the host thread; each synchronous engine call runs to completion before the next starts.
 */
import { parentPort, resourceLimits, workerData } from 'node:worker_threads';
import type { Logger } from '../../core/types';
import type { IngestProgress } from '../indexApi';
import { IndexEngine } from './engine';
import { LogWatchHost } from './logWatch';
import { ENGINE_METHODS, WATCH_METHODS, type RequestMessage, type WorkerInit, type WorkerMessage } from './protocol';

const port = parentPort;
if (!port) throw new Error('index worker: started outside a worker thread');
const post = (m: WorkerMessage) => port.postMessage(m);
const log = (level: 'info' | 'warn' | 'error' | 'debug') => (message: string) => post({ type: 'log', level, message });
const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };
const init = workerData as WorkerInit;
logger.debug(`index worker started (young generation ≤ ${resourceLimits.maxYoungGenerationSizeMb ?? 'default'} MB)`);
const engine = new IndexEngine({
  wasmPath: init.wasmPath, ingestWorkerScript: init.ingestWorkerScript, logger, statusExtraCostMs: init.statusExtraCostMs,
  onUpdate: (update) => post({ type: 'update', update }),
});
const watch = new LogWatchHost(logger, (paths) => post({ type: 'logsChanged', paths }));
const engineMethods = new Set<string>(ENGINE_METHODS);
const watchMethods = new Set<string>(WATCH_METHODS);

port.on('message', (m: RequestMessage) => void serve(m));

async function serve(m: RequestMessage): Promise<void> {
  try {
    const target = engineMethods.has(m.method) ? engine : watchMethods.has(m.method) ? watch : undefined;
    if (!target) throw new Error(`index worker: unknown method ${String(m.method)}`);
    const args = m.method === 'refresh' ? [(progress: IngestProgress) => post({ type: 'progress', id: m.id, progress }), ...m.args] : m.args;
    const fn = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[m.method]!;
    const value = await fn.apply(target, args);
    post({ type: 'result', id: m.id, value });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'error', id: m.id, message: err.message, stack: err.stack });
  }
}
