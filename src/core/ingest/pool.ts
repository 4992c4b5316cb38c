import type { Worker } from 'node:worker_threads';
import { parseFile } from './parseFile';
import type { ParseJob, ParseResult } from './records';
import { spawnParseWorker } from './parseWorkers';
import { CLAIMED_BY_CALLER, workerMark, type ClaimMessage, type WorkerReply } from './claims';

/**
 * A batch of parse jobs of one refresh, shared between the indexing thread and the parse workers. Every job is claimed
 * once (an atomic compare-and-swap on a shared Int32Array, see claims.ts): the workers claim from the back on
 * their own, without waiting for this thread (which is busy applying results and only reads worker messages when
 * it yields); `result(i)` claims job i from the front, or returns the result of the worker that claimed it.
 * Results are asked for in job order (i = 0, 1, 2, …), so the two sides meet in the middle. `parseNext` claims
 * from the front too, ahead of the results asked for (the claims stay a prefix from the front).
 */
export interface SharedJobs {
  result(i: number): Promise<ParseResult>;
  /** Job i (not asked for yet) is being parsed by a live worker and its result has not arrived: asking for it now would wait. */
  pending(i: number): boolean;
  /**
   * Claims the next job from the front that this thread has not asked for and parses it now, ahead of `result`
   * (which then returns it): work for a thread that would otherwise wait for a worker. Undefined when a worker
   * has claimed that job (and so every job after it) or none is left.
   */
  parseNext(): Promise<ParseResult> | undefined;
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
 * The jobs may be shared in several batches (windows of a long refresh, indexer.ts): the batches still being
 * delivered stay open at once, each worker claims in them in the order they were shared.
 * A worker that dies (it cannot start, or runs out of memory on a pathological line) is dropped; the jobs it had
 * claimed and not delivered are parsed in this thread instead.
 */
export class ParsePool {
  private readonly workers = new Map<Worker, number>(); // worker → its claim mark
  /** batches shared to each worker that it has not finished claiming in (it is kept referenced while > 0) */
  private readonly claiming = new Map<Worker, number>();
  private nextMark = 0;
  /** batches with results not yet delivered, by id */
  private readonly batches = new Map<number, Batch>();
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

  /** Hands a batch of jobs to the workers; it stays open until each of its results has been delivered. */
  share(jobs: ParseJob[]): SharedJobs {
    this.prestart();
    const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, jobs.length)));
    const batch: Batch = { jobs, claims, ready: new Map(), waiting: new Map() };
    const id = ++this.batchId;
    this.batches.set(id, batch);
    for (const [w, mark] of this.workers) {
      const msg: ClaimMessage = { batch: id, jobs, claims, mark };
      this.claiming.set(w, (this.claiming.get(w) ?? 0) + 1);
      w.ref(); // keep the process alive while the worker claims jobs
      w.postMessage(msg);
    }
    let left = jobs.length;
    const delivered = (r: ParseResult) => {
      if (--left === 0) this.batches.delete(id);
      return r;
    };
    /** jobs this thread claimed and parsed ahead (parseNext), until asked for */
    const ahead = new Map<number, Promise<ParseResult>>();
    /** the first job this thread has neither asked for nor parsed ahead */
    let front = 0;
    const result = (i: number): Promise<ParseResult> => {
      front = Math.max(front, i + 1);
      const parsed = ahead.get(i);
      if (parsed) {
        ahead.delete(i);
        return parsed;
      }
      if (Atomics.compareExchange(claims, i, 0, CLAIMED_BY_CALLER) === 0) return parseFile(jobs[i]);
      const r = batch.ready.get(i);
      if (r) {
        batch.ready.delete(i);
        return Promise.resolve(r);
      }
      if (!this.isAlive(Atomics.load(claims, i))) return parseFile(jobs[i]); // its worker died before delivering
      return new Promise((resolve) => batch.waiting.set(i, resolve));
    };
    const pending = (i: number): boolean => {
      const mark = Atomics.load(claims, i);
      return mark !== 0 && mark !== CLAIMED_BY_CALLER && !batch.ready.has(i) && this.isAlive(mark);
    };
    const parseNext = (): Promise<ParseResult> | undefined => {
      if (front >= jobs.length || Atomics.compareExchange(claims, front, 0, CLAIMED_BY_CALLER) !== 0) return undefined;
      const p = parseFile(jobs[front]);
      ahead.set(front++, p);
      return p;
    };
    return { result: (i) => result(i).then(delivered), pending, parseNext };
  }

  /** Workers running (started and not dead). */
  get running(): number {
    return this.workers.size;
  }

  /** Batches shared and not fully delivered yet. */
  get openBatches(): number {
    return this.batches.size;
  }

  private isAlive(mark: number): boolean {
    for (const m of this.workers.values()) if (m === mark) return true;
    return false;
  }

  private spawn(): Worker {
    // bounded worker heaps (threadLimits.ts); a worker that runs out of memory fails (see fail below)
    const w = spawnParseWorker(this.script);
    const mark = workerMark(this.nextMark++);
    this.workers.set(w, mark);
    w.on('message', (msg: WorkerReply) => {
      // A worker closed or dropped is no longer counted: close() leaves it to terminate(), which keeps it referenced
      // until it has stopped; a 'done' read after close() must not unref it again (the process would exit with the
      // awaited close() unsettled: the CLI's lost result).
      if (!this.workers.has(w)) return;
      if (msg.type === 'done') {
        const n = (this.claiming.get(w) ?? 1) - 1;
        this.claiming.set(w, n);
        if (n <= 0) w.unref();
        return;
      }
      const b = this.batches.get(msg.batch);
      if (!b) return; // a reply to an earlier refresh
      const waiter = b.waiting.get(msg.index);
      if (waiter) {
        b.waiting.delete(msg.index);
        waiter(msg.result);
      } else b.ready.set(msg.index, msg.result);
    });
    const fail = () => {
      if (!this.workers.delete(w)) return;
      this.claiming.delete(w);
      // its claimed jobs that this thread is already waiting for are parsed here now; the others when asked for
      for (const b of this.batches.values()) {
        for (const [i, resolve] of b.waiting) {
          if (Atomics.load(b.claims, i) !== mark) continue;
          b.waiting.delete(i);
          void parseFile(b.jobs[i]).then(resolve);
        }
      }
    };
    w.on('error', fail);
    w.on('exit', fail);
    w.unref();
    return w;
  }

  /**
   * Stops the workers. worker.terminate() refs each until it has stopped (its 'exit'); messages still read after this
   * (a late 'done' or result) are ignored and leave that ref alone.
   */
  async close(): Promise<void> {
    this.closed = true;
    const ws = [...this.workers.keys()];
    this.workers.clear();
    this.claiming.clear();
    this.batches.clear();
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
