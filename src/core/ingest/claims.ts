import type { ParseJob, ParseResult } from './records';

/**
 * The claim protocol between the indexing thread and the parse workers (pool.ts, worker.ts). Each job of a batch
 * has one Int32 in shared memory: 0 while free, then the mark of whoever claimed it (Atomics.compareExchange, so
 * a job is claimed exactly once). The indexing thread claims from the front in job order; each worker claims from
 * the back and stops at the first job the indexing thread has claimed (everything before it is claimed too).
 */
export const CLAIMED_BY_CALLER = 1;

/** The claim mark of the n-th worker a pool started. */
export function workerMark(n: number): number {
  return 2 + n;
}

/** Indexing thread → worker: the jobs of one refresh. */
export interface ClaimMessage {
  batch: number;
  jobs: ParseJob[];
  claims: Int32Array;
  mark: number;
}

/** Worker → indexing thread: one parsed job, or the end of its claiming for a batch. */
export type WorkerReply = { type: 'result'; batch: number; index: number; result: ParseResult } | { type: 'done'; batch: number };

/**
 * Worker side: claims free jobs from the back, parses each and hands the result to `post`, until it meets a job the
 * indexing thread claimed (or the front). Jobs claimed by another worker are passed over.
 */
export async function claimFromBack(msg: ClaimMessage, parse: (job: ParseJob) => Promise<ParseResult>, post: (r: WorkerReply) => void): Promise<void> {
  const { claims, jobs, mark, batch } = msg;
  for (let i = jobs.length - 1; i >= 0; i--) {
    const prev = Atomics.compareExchange(claims, i, 0, mark);
    if (prev === CLAIMED_BY_CALLER) break;
    if (prev !== 0) continue;
    post({ type: 'result', batch, index: i, result: await parse(jobs[i]) });
  }
  post({ type: 'done', batch });
}
