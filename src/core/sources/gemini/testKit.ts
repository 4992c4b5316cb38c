import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInfo, KeyedUsage, LinesParser, SourceOutput } from '../plugin';

/** Test helpers shared by the Gemini CLI and Qwen Code tests (no test framework inside: plain functions). */

export function fixture(dir: string, name: string): Buffer {
  return readFileSync(join(dir, 'fixtures', name));
}

export function emptyOut(): SourceOutput {
  return { records: [], malformed: 0 };
}

/** Runs a LinesParser over whole blocks, the state round-tripped through JSON between blocks as the store keeps it. */
export function parseBlocks(parser: LinesParser, blocks: Buffer[], file: FileInfo): SourceOutput {
  const out = emptyOut();
  let state: Record<string, unknown> = {};
  for (const b of blocks) {
    parser.parseLines(b, 0, file, state, out);
    state = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
  }
  return out;
}

/** Splits a buffer of complete lines after its `n`th line. */
export function splitAfterLine(buf: Buffer, n: number): [Buffer, Buffer] {
  let pos = 0;
  for (let i = 0; i < n; i++) pos = buf.indexOf(0x0a, pos) + 1;
  return [buf.subarray(0, pos), buf.subarray(pos)];
}

/** What the store keeps: the last record per key (plugin.ts: "the same key read again replaces what it counted"). */
export function lastPerKey(records: KeyedUsage[]): Map<string, KeyedUsage> {
  const m = new Map<string, KeyedUsage>();
  for (const r of records) m.set(r.key, r);
  return m;
}

export function sum(records: Iterable<KeyedUsage>, field: 'input' | 'output' | 'cacheRead' | 'reasoning' | 'requests'): number {
  let s = 0;
  for (const r of records) s += r[field];
  return s;
}
