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
 * Workers run only for a refresh of two files or more and are stopped after it (dispose).
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

/**
 * Parse workers started before the code that uses them is loaded: the CLI's loader (bin.ts) starts them as its first
 * step of a run that reads every log (`report --no-cache`), while V8 loads the CLI's bundle, and the bundle's
 * ParsePool takes them (`takeEarlyParseWorker`) instead of starting its own. A worker takes ~0.1 s to boot (~0.3 s
 * under load), which the pool's own start, once the bundle is loaded and the run has listed its logs, left on the
 * way of a cold run's parsing. The loader and the bundle are separate bundles, each with its own copy of this module:
 * the workers are handed over on the process's global object.
 */
const EARLY = Symbol.for('agentmeter.earlyParseWorkers');

interface EarlyWorkers {
  script: string;
  workers: Worker[];
}

const held = (): EarlyWorkers | undefined => (globalThis as { [EARLY]?: EarlyWorkers })[EARLY];

/** Starts `defaultParseWorkers()` workers of `script` to be taken by a ParsePool later; unreferenced until then. */
export function startEarlyParseWorkers(script: string, workers = defaultParseWorkers()): void {
  const started: Worker[] = [];
  for (let i = 0; i < workers; i++) {
    try {
      const w = spawnParseWorker(script);
      w.on('error', () => {}); // one that fails before it is taken is not taken (its pool starts its own)
      w.unref(); // a run that takes none (nothing to read, a usage error) exits without waiting for it
      started.push(w);
    } catch {
      break;
    }
  }
  (globalThis as { [EARLY]?: EarlyWorkers })[EARLY] = { script, workers: started };
}

/** An early worker of `script` that is still running, taken (each is taken once); undefined when none is left. */
export function takeEarlyParseWorker(script: string): Worker | undefined {
  const early = held();
  if (!early || early.script !== script) return undefined;
  for (let w = early.workers.shift(); w; w = early.workers.shift()) {
    if (w.threadId !== -1) return w; // -1: it exited
  }
  return undefined;
}
