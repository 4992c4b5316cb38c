import { Worker } from 'node:worker_threads';
import { parseFile } from './parseFile';
import type { ParseJob, ParseResult } from './records';

interface Task {
  job: ParseJob;
  resolve: (r: ParseResult) => void;
}

/**
 * Jobs handed to one worker before its current one is done: the next job is already queued in the worker when it
 * posts a result, so it never waits for this thread (busy applying results) to hand it work.
 */
const IN_FLIGHT_PER_WORKER = 8;

/**
 * A small pool of parse workers (worker_threads running dist/ingest-worker.js). Jobs are queued and handed to the
 * worker with the fewest outstanding jobs (at most IN_FLIGHT_PER_WORKER each; a worker parses its jobs one after
 * another, worker.ts). If a worker dies, its outstanding jobs are parsed in-process instead and the worker is replaced.
 */
export class ParsePool {
  private readonly all = new Set<Worker>();
  private readonly queue: Task[] = [];
  /** outstanding jobs per worker, by message id */
  private readonly outstanding = new Map<Worker, Map<number, Task>>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly script: string,
    readonly size: number,
  ) {}

  run(job: ParseJob): Promise<ParseResult> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  /** Starts all workers now (they take ~100 ms to boot), before any job is known. */
  prestart(): void {
    while (this.all.size < this.size && !this.closed) {
      try {
        this.spawn();
      } catch {
        return; // run() falls back to in-process parsing
      }
    }
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let w = this.leastBusy();
      if (!w || (this.outstanding.get(w)!.size > 0 && this.all.size < this.size)) {
        try {
          w = this.spawn();
        } catch {
          // the worker script cannot be started (missing bundle): use the running workers, else parse in-process
          if (!w) {
            const t = this.queue.shift()!;
            void parseFile(t.job).then(t.resolve);
            continue;
          }
        }
      }
      const jobs = this.outstanding.get(w)!;
      if (jobs.size >= IN_FLIGHT_PER_WORKER) return;
      const task = this.queue.shift()!;
      const id = this.nextId++;
      jobs.set(id, task);
      w.ref(); // keep the process alive while a job is out
      w.postMessage({ id, job: task.job });
    }
  }

  private leastBusy(): Worker | undefined {
    let best: Worker | undefined;
    for (const w of this.all) if (!best || this.outstanding.get(w)!.size < this.outstanding.get(best)!.size) best = w;
    return best;
  }

  private spawn(): Worker {
    // bounded worker heaps (parse garbage is short-lived; keeps peak RSS down). A worker that runs out of memory
    // (a pathological line) fails, and its files are then parsed in-process (see fail below).
    const w = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 4 } });
    const jobs = new Map<number, Task>();
    this.all.add(w);
    this.outstanding.set(w, jobs);
    w.on('message', (msg: { id: number; result: ParseResult }) => {
      const t = jobs.get(msg.id);
      if (!t) return;
      jobs.delete(msg.id);
      if (jobs.size === 0) w.unref();
      t.resolve(msg.result);
      this.pump();
    });
    const fail = () => {
      if (!this.all.delete(w)) return;
      this.outstanding.delete(w);
      for (const t of jobs.values()) void parseFile(t.job).then(t.resolve);
      jobs.clear();
      this.pump();
    };
    w.on('error', fail);
    w.on('exit', fail);
    w.unref();
    return w;
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = [...this.all];
    this.all.clear();
    this.outstanding.clear();
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
