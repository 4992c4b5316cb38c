import { Worker } from 'node:worker_threads';
import { parseFile } from './parseFile';
import type { ParseJob, ParseResult } from './records';

/**
 * A small pool of parse workers (worker_threads running dist/ingest-worker.js). Jobs are queued and handed to
 * the first idle worker. If a worker dies, its job is parsed in-process instead and the worker is replaced.
 */
export class ParsePool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly queue: { job: ParseJob; resolve: (r: ParseResult) => void }[] = [];
  private readonly busy = new Map<Worker, { id: number; job: ParseJob; resolve: (r: ParseResult) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly script: string, private readonly size: number) {}

  run(job: ParseJob): Promise<ParseResult> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let w = this.idle.pop();
      if (!w) {
        if (this.all.size >= this.size) return;
        try {
          w = this.spawn();
        } catch {
          // the worker script cannot be started (missing bundle): parse in-process instead
          const t = this.queue.shift()!;
          void parseFile(t.job).then(t.resolve);
          continue;
        }
      }
      const task = this.queue.shift()!;
      const id = this.nextId++;
      this.busy.set(w, { id, ...task });
      w.ref(); // keep the process alive while a job is out
      w.postMessage({ id, job: task.job });
    }
  }

  private spawn(): Worker {
    // small young generation: parse garbage is short-lived; keeps the pool's RSS down (issue 2: peak ≤ 150 MB)
    // bounded worker heaps (parse garbage is short-lived; keeps peak RSS down). A worker that runs out of memory
    // (a pathological line) fails, and its file is then parsed in-process (see fail below).
    const w = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 } });
    this.all.add(w);
    w.on('message', (msg: { id: number; result: ParseResult }) => {
      const t = this.busy.get(w);
      if (!t || t.id !== msg.id) return;
      this.busy.delete(w);
      this.idle.push(w);
      w.unref();
      t.resolve(msg.result);
      this.pump();
    });
    const fail = () => {
      const t = this.busy.get(w);
      this.busy.delete(w);
      this.all.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      if (t) void parseFile(t.job).then(t.resolve);
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
    this.idle.length = 0;
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
