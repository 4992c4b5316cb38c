/**
 * The CLI runs once and exits, so sql.js's wasm stays on V8's baseline compiler (Liftoff): with dynamic tiering,
 * V8 also compiles the hot sql.js functions with its optimising compiler in background threads and the main thread
 * waited for them (~0.3 s idle on a 2-core machine under load, for a report on 18 tiny files). Measured with
 * `node dist/cli.js report`: tiny fixture 0.4-0.8 s → 0.26-0.4 s wall (CPU 0.5 → 0.22 s); 75 MB corpus
 * 0.66-0.98 → 0.48-0.55 s; 1 GB corpus 2.6 → 2.5 s. Process-wide, so only the CLI does this (never the extension
 * host, which other extensions share). Must run before sql.js compiles its module.
 *
 * And compiled whole when the module is compiled, not function by function at first call: V8 compiles wasm lazily by
 * default, so the asynchronous compile that runs on background threads while a run lists its logs (openIndex.ts)
 * left each sql.js function to be compiled on the main thread when first called — opening the index (SQLite's parse
 * of the schema), the first SELECT, the first INSERT of each kind. Liftoff compiles the 0.7 MB module in a few ms a
 * thread. Main-thread CPU of a cold `report --no-cache` (medians of 9, in turns, load 8-9): tiny fixture 130 → 110 ms,
 * the bench's Codex part 390 → 370 ms, the same total CPU; a warm run over both parts 120 → 110 ms.
 */
import { setFlagsFromString } from 'node:v8';

export function keepWasmOnBaselineCompiler(): void {
  try {
    setFlagsFromString('--liftoff-only');
    setFlagsFromString('--no-wasm-lazy-compilation');
  } catch {
    // an engine without this flag: the default tiering only costs time
  }
}
