import { Worker } from 'node:worker_threads';
import { parseFile } from './parseFile';
import type { ParseJob, ParseResult } from './records';
import { PARSE_WORKER_LIMITS } from './threadLimits';
import { CLAIMED_BY_CALLER, workerMark, type ClaimMessage, type WorkerReply } from './claims';

/**
 * The parse jobs of one refresh, shared between the indexing thread and the parse workers. Every job is claimed
 * once (an atomic compare-and-swap on a shared Int32Array, see claims.ts): the workers claim from the back on
 * their own, without waiting for this thread (which is busy applying results and only reads worker messages when
 * it yields); `result(i)` claims job i from the front, or returns the result of the worker that claimed it.
 * Results are asked for in job order (i = 0, 1, 2, …), so the two sides meet in the middle.
 */
export interface SharedJobs {
  result(i: number): Promise<ParseResult>;
}

interface Batch {
  jobs: ParseJob[];
  claims: Int32Array;
  /** results posted by workers that this thread has not asked for yet */
  ready: Map<number, ParseResult>;
  /** jobs this thread waits for, claimed by a worker that is still parsing them */
  waiting: Map<number, (r: ParseResult) => void>;
}

/**
 * A small pool of parse workers (worker_threads running dist/ingest-worker.js) sharing the jobs of one refresh.
 * A worker that dies (it cannot start, or runs out of memory on a pathological line) is dropped; the jobs it had
 * claimed and not delivered are parsed in this thread instead.
 */
export class ParsePool {
  private readonly workers = new Map<Worker, number>(); // worker → its claim mark
  private nextMark = 0;
  private batch: Batch | undefined;
  private batchId = 0;
  private closed = false;

  constructor(
    private readonly script: string,
    readonly size: number,
  ) {}

  /** Starts all workers now (they take ~100 ms to boot), before any job is known. */
  prestart(): void {
    while (this.workers.size < this.size && !this.closed) {
      try {
        this.spawn();
      } catch {
        return; // share() then leaves every job to this thread
      }
    }
  }

  /** Hands the jobs to the workers (one batch at a time; a new batch replaces an unfinished one's sharing). */
  share(jobs: ParseJob[]): SharedJobs {
    this.prestart();
    const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, jobs.length)));
    const batch: Batch = { jobs, claims, ready: new Map(), waiting: new Map() };
    this.batch = batch;
    const id = ++this.batchId;
    for (const [w, mark] of this.workers) {
      const msg: ClaimMessage = { batch: id, jobs, claims, mark };
      w.ref(); // keep the process alive while the worker claims jobs
      w.postMessage(msg);
    }
    return {
      result: (i) => {
        if (Atomics.compareExchange(claims, i, 0, CLAIMED_BY_CALLER) === 0) return parseFile(jobs[i]);
        const r = batch.ready.get(i);
        if (r) {
          batch.ready.delete(i);
          return Promise.resolve(r);
        }
        if (!this.isAlive(Atomics.load(claims, i))) return parseFile(jobs[i]); // its worker died before delivering
        return new Promise((resolve) => batch.waiting.set(i, resolve));
      },
    };
  }

  /** Workers running (started and not dead). */
  get running(): number {
    return this.workers.size;
  }

  private isAlive(mark: number): boolean {
    for (const m of this.workers.values()) if (m === mark) return true;
    return false;
  }

  private spawn(): Worker {
    // bounded worker heaps (threadLimits.ts); a worker that runs out of memory fails (see fail below)
    const w = new Worker(this.script, { resourceLimits: { ...PARSE_WORKER_LIMITS } });
    const mark = workerMark(this.nextMark++);
    this.workers.set(w, mark);
    w.on('message', (msg: WorkerReply) => {
      const b = this.batch;
      if (!b || msg.batch !== this.batchId) return; // a reply to an earlier refresh
      if (msg.type === 'done') {
        w.unref();
        return;
      }
      const waiter = b.waiting.get(msg.index);
      if (waiter) {
        b.waiting.delete(msg.index);
        waiter(msg.result);
      } else b.ready.set(msg.index, msg.result);
    });
    const fail = () => {
      if (!this.workers.delete(w)) return;
      const b = this.batch;
      if (!b) return;
      // its claimed jobs that this thread is already waiting for are parsed here now; the others when asked for
      for (const [i, resolve] of b.waiting) {
        if (Atomics.load(b.claims, i) !== mark) continue;
        b.waiting.delete(i);
        void parseFile(b.jobs[i]).then(resolve);
      }
    };
    w.on('error', fail);
    w.on('exit', fail);
    w.unref();
    return w;
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = [...this.workers.keys()];
    this.workers.clear();
    this.batch = undefined;
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
