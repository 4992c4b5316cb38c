import { parentPort } from 'node:worker_threads';
import { claimFromBack, type ClaimMessage } from './claims';
import { parseFile } from './parseFile';
import { packedTransfer } from './packedCalls';

/**
 * Worker entry (bundled to dist/ingest-worker.js): parses files, never touches the database. For each batch of jobs
 * it claims jobs from the back until it meets the indexing thread (claims.ts); batches are handled in arrival order.
 */
const queue: ClaimMessage[] = [];
let running = false;

parentPort?.on('message', (msg: ClaimMessage) => {
  queue.push(msg);
  if (!running) void drain();
});

async function drain(): Promise<void> {
  running = true;
  for (let m = queue.shift(); m; m = queue.shift()) await claimFromBack(m, parseFile, (r) => parentPort?.postMessage(r, r.type === 'result' ? packedTransfer(r.result.payload) : []));
  running = false;
}
