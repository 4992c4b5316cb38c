import { parentPort } from 'node:worker_threads';
import { claimFromBack, type ClaimMessage } from './claims';
import { parseFile } from './parseFile';
import { packedTransfer } from './packedCalls';
import { readDatabasesWithOwnSqlJs } from '../sources/keyed/keyedParse';

/**
 * Worker entry (bundled to dist/ingest-worker.js): parses files, never touches the database. For each batch of jobs
 * it claims jobs from the back until it meets the indexing thread (claims.ts); batches are handled in arrival order.
 */
const queue: ClaimMessage[] = [];
// an agent's database (OpenCode's: read first in a first index, by whichever thread claims it) is read with a sql.js
// loaded for it and let go after (keyedParse.ts): nothing of it is held while this worker parses the other logs
readDatabasesWithOwnSqlJs();
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
