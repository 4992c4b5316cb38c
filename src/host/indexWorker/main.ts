/**
 * Index worker entry (bundled to dist/index-worker.js): owns this window's `IndexEngine` and serves the host's
 * requests one message at a time. Requests may interleave while a refresh awaits its parse workers, as they did
 * on the host thread; each synchronous engine call runs to completion before the next starts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../../core/types';
import { IndexEngine } from './engine';
import { ENGINE_METHODS, type RequestMessage, type WorkerInit, type WorkerMessage } from './protocol';

const port = parentPort;
if (!port) throw new Error('index worker: started outside a worker thread');
const post = (m: WorkerMessage) => port.postMessage(m);
const log = (level: 'info' | 'warn' | 'error' | 'debug') => (message: string) => post({ type: 'log', level, message });
const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };
const init = workerData as WorkerInit;
const engine = new IndexEngine({ wasmPath: init.wasmPath, ingestWorkerScript: init.ingestWorkerScript, logger });
const served = new Set<string>(ENGINE_METHODS);

port.on('message', (m: RequestMessage) => void serve(m));

async function serve(m: RequestMessage): Promise<void> {
  try {
    if (!served.has(m.method)) throw new Error(`index worker: unknown method ${String(m.method)}`);
    const args = m.method === 'refresh' ? [(progress: import('../indexApi').IngestProgress) => post({ type: 'progress', id: m.id, progress })] : m.args;
    const fn = engine[m.method] as (...a: unknown[]) => unknown;
    const value = await fn.apply(engine, args);
    post({ type: 'result', id: m.id, value });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'error', id: m.id, message: err.message, stack: err.stack });
  }
}
