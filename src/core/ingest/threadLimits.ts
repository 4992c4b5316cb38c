/**
 * V8 heap limits (worker_threads `resourceLimits`) of the threads that index.
 *
 * The thread that runs a refresh (the extension's index worker) caps its young generation at 12 MB (two 4 MB
 * semi-spaces). Left to itself, V8 grows the young generation of a thread that parses a gigabyte of logs to its
 * maximum (two 16 MB semi-spaces here) and keeps it. Measured on the 2-core bench machine, both parts of the bench
 * corpus in one process with no parse worker (`node --max-semi-space-size=4`, the same cap for the main thread):
 * peak RSS 116-119 MB instead of 131-135 MB, with the same CPU time (4 interleaved runs each).
 */
export const INDEX_THREAD_LIMITS = { maxYoungGenerationSizeMb: 12 } as const;

/**
 * Parse workers: parse garbage is short-lived, so a small young generation; a worker that runs out of memory on a
 * pathological line fails, and its files are parsed by the indexing thread instead (pool.ts).
 */
export const PARSE_WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 4 } as const;
