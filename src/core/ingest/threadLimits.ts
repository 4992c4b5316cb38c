/**
 * V8 heap limits (worker_threads `resourceLimits`) of the threads that index.
 *
 * The thread that runs a refresh (the extension's index worker) caps its young generation at 12 MB (two 4 MB
 * semi-spaces). Left to itself, V8 grows the young generation of a thread that parses a gigabyte of logs to its
 * maximum (two 16 MB semi-spaces here) and keeps it. Measured on the 2-core bench machine, a cold index of both
 * parts of the bench corpus with no parse worker, in a worker thread as the bench runs it: peak RSS 129-136 MB with
 * this cap, 143-159 MB without, with the same refresh time and CPU (5 interleaved runs each).
 */
export const INDEX_THREAD_LIMITS = { maxYoungGenerationSizeMb: 12 } as const;

/**
 * Parse workers: parse garbage is short-lived, so a small young generation; a worker that runs out of memory on a
 * pathological line fails, and its files are parsed by the indexing thread instead (pool.ts).
 */
export const PARSE_WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 4 } as const;
