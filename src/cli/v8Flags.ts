/**
 * V8 flags of a CLI run, set before any of its code is compiled (the loader, bin.ts; the build's code cache step,
 * writeCodeCache.ts, under the same flags: V8 accepts a code cache only under the flags it was made with). A CLI run
 * is short, so V8's compilers should cost little: sql.js's wasm stays on its baseline compiler (wasmTier.ts), and
 * the optimising compiler inlines only small functions (INLINE_BYTECODE_BYTES).
 *
 * V8's background threads, its optimising compiler (TurboFan) mostly, used ~0.5 s of the ~1.8 s of CPU of a cold
 * report of the 1 GB bench corpus (one thread parsing), compiling the parsers' and the indexer's hot functions with
 * every call of up to 460 bytes of bytecode inlined (V8's default): large graphs (lineOfSlots, Claude's and Codex's
 * parseLine) for a short run.
 * Inlining only functions of at most 40 bytes of bytecode (the small helpers: isSpace, count, intAt …) measured on
 * the 2-core machine, `report --no-cache` of that corpus, 8 runs in turns at load 8-9: CPU 1.60 s against 1.75 s
 * (the medians; every run with it below every run without), peak RSS 125 against 133 MB, the same
 * report. The price is at scale, where the optimised code runs long: a year (3.2 GB) took 27.3 / 28.5 s CPU
 * against 26.2 / 26.7 s (2 pairs in turns, load 10-14), the same report.
 */
import { setFlagsFromString } from 'node:v8';
import { keepWasmOnBaselineCompiler } from './wasmTier';

/** The largest function (bytes of bytecode) V8's optimising compiler inlines in a CLI run (V8's default: 460). */
export const INLINE_BYTECODE_BYTES = 40;

export function setCliV8Flags(): void {
  keepWasmOnBaselineCompiler();
  try {
    setFlagsFromString(`--max-inlined-bytecode-size=${INLINE_BYTECODE_BYTES}`);
  } catch {
    // an engine without this flag: its default inlining only costs compile time
  }
}
