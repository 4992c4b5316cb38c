/**
 * The order of a refresh's parse jobs when time does not decide it (no `newestFirst`: the CLI's and the bench's first
 * index), for the two threads that share them (indexer.ts parseScheduler: this thread parses from the front and counts
 * every result in job order, the parse workers parse from the back of the windows it shares):
 * - the files of sources that are cheap to parse and cost most where they are counted (`spread`: the plug-in sources,
 *   keyed usage) are spread evenly, by new bytes, among the others instead of following them: listed last they made
 *   the run's last seconds this thread's alone (counting them) while the worker, with little left to parse, waited —
 *   on the year bench with every source ~1 s of the worker's time idle at the end;
 * - a database comes after about `aheadBytes` of other jobs (but before any other job of its source, whose order is
 *   kept) and its window is shared at once (`early`), so a parse worker reads it while this thread counts the jobs
 *   before it; read first, this thread waited for it (the year bench's 156 MB opencode.db: ~1 s idle, the worker alone
 *   reading it, then the worker idle while this thread counted its 40k records).
 * Each source's jobs keep their order (the de-dup rules see each source's files in the listing's order), so no count
 * depends on it.
 */
export interface JobOrderOptions<T> {
  bytes(job: T): number;
  spread(job: T): boolean;
  isDatabase(job: T): boolean;
  sourceOf(job: T): string;
  /** other jobs' new bytes before a database */
  aheadBytes: number;
}

/** Reorders `jobs` in place (see above). */
export function orderJobs<T>(jobs: T[], o: JobOrderOptions<T>): void {
  const databases = jobs.filter((j) => o.isDatabase(j));
  const rest = jobs.filter((j) => !o.isDatabase(j));
  const spread = spreadAmong(rest, o);
  const at = databasePlace(spread, databases, o);
  const out = [...spread.slice(0, at), ...databases, ...spread.slice(at)];
  for (let i = 0; i < out.length; i++) jobs[i] = out[i];
}

/** The jobs of `spread` sources merged among the others by the share of their side's bytes done, each side in order. */
function spreadAmong<T>(jobs: T[], o: JobOrderOptions<T>): T[] {
  const a = jobs.filter((j) => !o.spread(j));
  const b = jobs.filter((j) => o.spread(j));
  if (a.length === 0 || b.length === 0) return jobs;
  // a job with nothing new still weighs one byte: every job has a place
  const weight = (j: T) => Math.max(1, o.bytes(j));
  const total = (xs: T[]) => xs.reduce((n, j) => n + weight(j), 0);
  const ta = total(a);
  const tb = total(b);
  const out: T[] = [];
  let i = 0;
  let k = 0;
  let da = 0;
  let db = 0;
  while (i < a.length || k < b.length) {
    if (k >= b.length || (i < a.length && da / ta <= db / tb)) {
      da += weight(a[i]);
      out.push(a[i++]);
    } else {
      db += weight(b[k]);
      out.push(b[k++]);
    }
  }
  return out;
}

/** Where the databases go among the other jobs: after `aheadBytes` of them, or before the first of their sources'. */
function databasePlace<T>(jobs: T[], databases: T[], o: JobOrderOptions<T>): number {
  if (databases.length === 0) return 0;
  const sources = new Set(databases.map((d) => o.sourceOf(d)));
  let bytes = 0;
  for (let i = 0; i < jobs.length; i++) {
    if (bytes >= o.aheadBytes || sources.has(o.sourceOf(jobs[i]))) return i;
    bytes += o.bytes(jobs[i]);
  }
  return jobs.length;
}
