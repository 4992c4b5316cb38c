import { readFile } from 'node:fs/promises';
import type { LinesReader } from './readLinesJob';
import { unread } from './readLinesJob';
import type { FileState, ParseJob, ParseResult } from './records';
import { zstdDecompress } from './zstdFile';

/** Lines handed to the parser per block (as the tailer's chunks), the event loop getting a turn after YIELD_AFTER_MS. */
const BLOCK = 2 * 1024 * 1024;
const YIELD_AFTER_MS = 10;

/**
 * Reads a Zstandard-compressed log whole (`.jsonl.zst`: a file that is written once and never appended to) through
 * a source's line parser, from a fresh state: the job's offset and state are not used, the result's offset is the
 * compressed size. As in the tailer, only complete lines are read (an unterminated last line is not). Never throws:
 * a read or decompression error comes back in `error`, nothing read.
 */
export async function readZstdLinesJob(job: ParseJob, start: (state: FileState) => LinesReader): Promise<ParseResult> {
  try {
    const compressed = await readFile(job.path);
    const text = zstdDecompress(compressed);
    const state: FileState = {};
    const reader = start(state);
    const last = text.lastIndexOf(0x0a);
    let from = text.length >= 3 && text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? 3 : 0;
    let sliceStart = performance.now();
    while (from <= last) {
      let to = from + BLOCK >= last ? last + 1 : text.indexOf(0x0a, from + BLOCK) + 1;
      if (to <= 0) to = last + 1;
      reader.onBlock(text.subarray(0, to), from);
      from = to;
      if (performance.now() - sliceStart >= YIELD_AFTER_MS) {
        await new Promise<void>((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
    const { payload, malformed, duplicates } = reader.finish();
    return { path: job.path, offset: compressed.length, bytesRead: compressed.length, malformed, duplicates, payload, state };
  } catch (e) {
    return { ...unread(job), error: e instanceof Error ? e.message : String(e) };
  }
}
