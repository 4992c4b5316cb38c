import { sourceDef } from '../sources/registry';
import type { ParseJob, ParseResult } from './records';

/**
 * Reads the new part of one file (from `job.offset`) with its source's parser (sources/registry.ts) into compact
 * records. Runs in a worker thread or in-process; never throws (a read error is returned in `error`, offset unchanged).
 */
export function parseFile(job: ParseJob, chunkSize?: number): Promise<ParseResult> {
  return sourceDef(job.source).parse(job, chunkSize);
}
