/**
 * The entry of an in-process bench child (inprocess.ts, yearEngine.ts, bundled to one .cjs each): reads its
 * arguments (JSON in argv[2]), runs `work` — in a worker thread with the index worker's heap limits (threadLimits.ts),
 * as the extension indexes, unless `inThread` says otherwise — and prints `BENCH_RESULT <json>` on stdout.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { INDEX_THREAD_LIMITS } from '../../src/core/ingest/threadLimits';

export function benchChildMain<A>(work: (a: A) => unknown, inThread: (a: A) => boolean = () => true): void {
  main(work, inThread).catch((e: unknown) => {
    process.stderr.write(`bench child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

async function main<A>(work: (a: A) => unknown, inThread: (a: A) => boolean): Promise<void> {
  const a = (isMainThread ? JSON.parse(process.argv[2] ?? '{}') : workerData) as A;
  if (isMainThread && inThread(a)) {
    // __filename is the bundle's own file: the worker runs this same entry with the arguments as workerData
    const out = await new Promise<unknown>((resolve, reject) => {
      const w = new Worker(__filename, { workerData: a, resourceLimits: { ...INDEX_THREAD_LIMITS } });
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`bench worker exited (code ${code}) without a result`)));
    });
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
    process.exit(0); // the worker may still be shutting down; its result is in
  }
  const out = await work(a);
  if (isMainThread) process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
  else parentPort!.postMessage(out);
}
