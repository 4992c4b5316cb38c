import type { FileState, ParseJob, ParseResult } from './records';
import { readCompleteLines, type BlockHandler } from './tailer';

/** A source's line parser for one read of one file: blocks of complete lines in, its payload out. */
export interface LinesReader {
  onBlock: BlockHandler;
  /** called once after the last block: what the read produced */
  finish(): { payload: unknown; malformed: number; duplicates: number };
}

/**
 * Reads the new complete lines of an append-only log (from `job.offset`) through a source's line parser
 * (`start(state)` is handed a copy of the file's state, which the parser may update). Never throws: a read error is
 * returned in `error` with the offset unchanged. When the bytes before the offset changed (rewritten in place:
 * tailer.ts fingerprint), the whole file is read again from 0 with a fresh state (de-dup counts nothing twice).
 */
export async function readLinesJob(job: ParseJob, start: (state: FileState) => LinesReader, chunkSize?: number): Promise<ParseResult> {
  const r = await readFrom(job, start, chunkSize);
  if (!r.rewritten) return r;
  return { ...(await readFrom({ ...job, offset: 0, state: {} }, start, chunkSize)), rewritten: true };
}

async function readFrom(job: ParseJob, start: (state: FileState) => LinesReader, chunkSize?: number): Promise<ParseResult> {
  const state: FileState = { ...job.state };
  const reader = start(state);
  try {
    const r = await readCompleteLines(job.path, job.offset, reader.onBlock, chunkSize, job.state.fp);
    if (r.mismatch) return { ...unread(job), rewritten: true };
    if (r.fingerprint === undefined) delete state.fp;
    else state.fp = r.fingerprint;
    const { payload, malformed, duplicates } = reader.finish();
    return { path: job.path, offset: r.offset, bytesRead: r.bytesRead, malformed, duplicates, payload, state };
  } catch (e) {
    return { ...unread(job), error: e instanceof Error ? e.message : String(e) };
  }
}

/** Nothing read: the job's offset and state unchanged. */
export function unread(job: ParseJob): ParseResult {
  return { path: job.path, offset: job.offset, bytesRead: 0, malformed: 0, duplicates: 0, payload: undefined, state: job.state };
}
