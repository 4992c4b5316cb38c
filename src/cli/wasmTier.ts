/**
 * The CLI runs once and exits, so sql.js's wasm stays on V8's baseline compiler (Liftoff): with dynamic tiering,
 * V8 also compiles the hot sql.js functions with its optimising compiler in background threads and the main thread
 * waited for them (~0.3 s idle on a 2-core machine under load, for a report on 18 tiny files). Measured with
 * `node dist/cli.js report`: tiny fixture 0.4-0.8 s → 0.26-0.4 s wall (CPU 0.5 → 0.22 s); 75 MB corpus
 * 0.66-0.98 → 0.48-0.55 s; 1 GB corpus 2.6 → 2.5 s. Process-wide, so only the CLI does this (never the extension
 * host, which other extensions share). Must run before sql.js compiles its module.
 */
import { setFlagsFromString } from 'node:v8';

export function keepWasmOnBaselineCompiler(): void {
  try {
    setFlagsFromString('--liftoff-only');
  } catch {
    // an engine without this flag: the default tiering only costs time
  }
}
