import type { RateLimitSnapshot } from '../types';
import { parseClaudeBlock, type ClaudeParseOutput } from './parse/claude';
import { parseCodexBlock, type CodexParseOutput } from './parse/codex';
import type { ClaudeCallRecord, CodexUsageRecord, LimitResetRecord, ParseJob, ParseResult } from './records';
import { readCompleteLines } from './tailer';
import { collapseCopies } from './collapseCopies';
import { collapseRateLimits } from './collapseRateLimits';

/**
 * Reads the new complete lines of one file (from `job.offset`) and parses them into compact records.
 * Runs in a worker thread or in-process; never throws (a read error is returned in `error`, offset unchanged).
 */
export async function parseFile(job: ParseJob, chunkSize?: number): Promise<ParseResult> {
  const r = await parseFrom(job, chunkSize);
  if (!r.rewritten) return r;
  // the bytes before the offset changed (rewritten in place): read it all again; de-dup counts nothing twice
  return { ...(await parseFrom({ ...job, offset: 0, state: {} }, chunkSize)), rewritten: true };
}

async function parseFrom(job: ParseJob, chunkSize?: number): Promise<ParseResult> {
  const state = { ...job.state };
  const claude: ClaudeCallRecord[] = [];
  const codex: CodexUsageRecord[] = [];
  const rateLimits: RateLimitSnapshot[] = [];
  const resets: LimitResetRecord[] = [];
  const c: ClaudeParseOutput = { calls: claude, resets, malformed: 0, state };
  const x: CodexParseOutput = { events: codex, rateLimits, malformed: 0, duplicates: 0, fallbackModelEvents: 0, state };
  const onBlock =
    job.source === 'claude' ? (b: Buffer, s: number) => parseClaudeBlock(b, s, c) : (b: Buffer, s: number) => parseCodexBlock(b, s, x);
  const base = { path: job.path, claude, codex, rateLimits, resets, state };
  try {
    const r = await readCompleteLines(job.path, job.offset, onBlock, chunkSize, job.state.fp);
    if (r.mismatch) return { ...empty(job), rewritten: true };
    if (r.fingerprint === undefined) delete state.fp;
    else state.fp = r.fingerprint;
    const collapsed = collapseCopies(claude);
    collapseRateLimits(rateLimits);
    return {
      ...base,
      offset: r.offset,
      bytesRead: r.bytesRead,
      malformed: c.malformed + x.malformed,
      duplicates: x.duplicates + collapsed,
      fallbackModelEvents: x.fallbackModelEvents,
    };
  } catch (e) {
    return { ...empty(job), error: e instanceof Error ? e.message : String(e) };
  }
}

/** Nothing read: the job's offset and state unchanged. */
function empty(job: ParseJob): ParseResult {
  return {
    path: job.path,
    claude: [],
    codex: [],
    rateLimits: [],
    resets: [],
    state: job.state,
    offset: job.offset,
    bytesRead: 0,
    malformed: 0,
    duplicates: 0,
    fallbackModelEvents: 0,
  };
}
