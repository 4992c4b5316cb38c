import { availableParallelism, cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PARSE_WORKER_LIMITS } from './threadLimits';

/**
 * Parse workers besides the indexing thread (which parses too, see the Indexer's parseScheduler): one from 2 cores
 * up, none on one core (a worker would only take turns with the indexing thread on it, and cost its memory).
 * Never more than one, whatever the cores: each worker adds its own isolate, read buffer and heap to the peak memory
 * of a first index (the 150 MB goal), and a second one can only take over the part of the parsing the indexing thread
 * still does from the front; the indexing thread applies every result (de-dup, SQL) in any case. On the 2-core bench
 * machine (1.06 GB cold, both parts in one process, `npm run bench`) no / 1 / 2 workers measured 1.53 / 1.46 / 1.60 s
 * and 142 / 153 / 170 MB peak RSS (code bcb79ea), 139 / 148 / 161 MB (code 2091d5f, a busy machine): one worker at
 * the edge of the goal, two past it (and slower than one on 2 cores). No machine with more cores was measured.
 * Workers run only for a refresh of two files or more and are stopped after it (dispose); the CLI uses them only for
 * a refresh of 256 MiB or more (cli/openIndex.ts CLI_PARSE_WORKERS_FROM_BYTES: below, a worker costs it more than it gives).
 * (Workers were off by default while a pool bug lost about 2 CLI results in 100 under load: a worker's last 'done'
 * read after close() unref'd the terminating worker; fixed in pool.ts.)
 */
export function defaultParseWorkers(cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length): number {
  return cores >= 2 ? 1 : 0;
}

/** A parse worker running `script` (dist/ingest-worker.js), with the bounded heap of threadLimits.ts. */
export function spawnParseWorker(script: string): Worker {
  return new Worker(script, { resourceLimits: { ...PARSE_WORKER_LIMITS } });
}
