/**
 * V8 heap limits (worker_threads `resourceLimits`) of the threads that index.
 *
 * The thread that runs a refresh (the extension's index worker) caps its young generation at 12 MB (two 4 MB
 * semi-spaces). Left to itself, V8 grows the young generation of a thread that parses a gigabyte of logs to its
 * maximum (two 16 MB semi-spaces here) and keeps it. Measured on the 2-core bench machine, a cold index of both
 * parts of the bench corpus with no parse worker, in a worker thread as the bench runs it: peak RSS 129-136 MB with
 * this cap, 143-159 MB without, with the same refresh time and CPU (5 interleaved runs each).
 */
/**
 * Its old generation is capped at 512 MiB: not for the cap itself (the thread needs far less: ~100 MB live at most in a
 * year's first index with every source) but for how V8 grows a heap under it. After each full GC, V8 lets the old
 * generation grow to its live size times a factor that depends on the heap's maximum: 4× when that maximum is 2 GiB or
 * more (a thread's default here), scaled down to 1.3× at 256 MiB (V8's heap-controller.cc, 64-bit without pointer
 * compression, as Node 20): 1.6× at 1 GiB, 1.4× at 512 MiB. A first index promotes short-lived objects steadily (parse
 * records, usage deltas between flushes), so with the default the thread's heap saw-toothed from ~35 to ~130 MB.
 * Measured on the 2-core machine, a year's first index (3.4 GB of logs, one parse worker) as the bench runs it, phases
 * sampled every 10 ms (runs alternated, load 7–9): peak RSS of the refresh 305–324 MiB by default, 265–268 MiB with
 * 1 GiB, 258 with 512 MiB; 325–347 MiB with 2 GiB. The year with every other source too (`--year --mix`, 2026-12-07,
 * runs alternated, load 2.5–6): peak RSS 302–326 MiB at 512 MiB against 326–336 at 1 GiB, with the same CPU. The price
 * is more full GCs (1 GiB against the default: +0.3–3.8 s of 26–34 s CPU in pairs at load 7–9; the thread's GC 2.4 → 3.2 s
 * in CPU profiles); a young generation of 32 MB beside it saved none of that (24 MB with every source: 338 MiB, no
 * lower). A thread that needs more than the cap fails as out of memory (the extension then starts its index worker
 * again) instead of taking the editor's process down at V8's process-wide limit.
 */
export const INDEX_THREAD_LIMITS = { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 512 } as const;

/**
 * Parse workers: parse garbage is short-lived, so a small young generation; a worker that runs out of memory on a
 * pathological line fails, and its files are parsed by the indexing thread instead (pool.ts).
 */
export const PARSE_WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 4 } as const;
