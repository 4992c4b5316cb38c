import { parentPort } from 'node:worker_threads';
import { parseFile } from './parseFile';
import type { ParseJob } from './records';

/**
 * Worker entry (bundled to dist/ingest-worker.js): parses files, never touches the database. Jobs are parsed one
 * after another in arrival order (the pool keeps the next one queued here, see pool.ts).
 */
const queue: { id: number; job: ParseJob }[] = [];
let running = false;

parentPort?.on('message', (msg: { id: number; job: ParseJob }) => {
  queue.push(msg);
  if (!running) void drain();
});

async function drain(): Promise<void> {
  running = true;
  for (let m = queue.shift(); m; m = queue.shift()) {
    const result = await parseFile(m.job);
    parentPort?.postMessage({ id: m.id, result });
  }
  running = false;
}
