import { closeSync, openSync, readSync } from 'node:fs';
import { hash53 } from '../hash';

/**
 * Incremental reader of an append-only log file.
 *
 * Reads from `startOffset` to the current end in chunks and hands the caller blocks that hold only
 * **complete** lines (each block ends just after a `\n`). The returned offset is just after the last
 * newline: a half-written last line is left for the next read, never lost and never counted twice.
 * A line longer than a chunk is carried over (the buffer grows) until its newline arrives.
 * A UTF-8 BOM at file offset 0 is skipped. Nothing is decoded here.
 *
 * Reads are synchronous per chunk (a thread-pool hop per read costs more than the read itself from the page
 * cache, and a lot more on a busy machine); the event loop gets a turn once YIELD_AFTER_MS of reading and parsing
 * have passed, so in-process parsing on the host thread blocks only for about one chunk's parse at a time.
 */
export const DEFAULT_CHUNK = 2 * 1024 * 1024;

const YIELD_AFTER_MS = 10;
const FIRST_READ = 128 * 1024;

/** One spare read buffer reused across files (fewer large allocations waiting for GC; lower peak RSS). */
let spare: Buffer | undefined;

export interface TailResult {
  /** offset just after the last complete line */
  offset: number;
  /** bytes consumed (complete lines only) */
  bytesRead: number;
  /** `fingerprintAt(offset)` (undefined at offset 0) */
  fingerprint: number | undefined;
  /** the expected fingerprint did not match at `startOffset`: nothing was read */
  mismatch?: true;
}

/** Bytes of the file's start, and before the offset, that go into a fingerprint. */
const FINGERPRINT_HEAD = 256;
const FINGERPRINT_TAIL = 4096;

/**
 * Fingerprint of a file read up to `offset`: a hash of its first bytes and of the 4 KB before `offset` (the last
 * complete lines whole, or the end of a long one, with its ids and timestamp: Codex token_count lines differ only
 * there). Appends leave it unchanged; a file rewritten in place (same inode: a copy restored over it, a sync client
 * writing in place) changes it, even when it did not shrink.
 */
function fingerprintAt(fd: number, offset: number): number | undefined {
  if (offset <= 0) return undefined;
  const head = Math.min(FINGERPRINT_HEAD, offset);
  const tail = Math.min(FINGERPRINT_TAIL, offset);
  const b = Buffer.allocUnsafe(head + tail);
  const h = readSync(fd, b, 0, head, 0);
  const t = readSync(fd, b, head, tail, offset - tail);
  return hash53(`${b.toString('latin1', 0, h)}\u0000${b.toString('latin1', head, head + t)}`);
}

/** `onBlock(block, start)`: block[start..block.length) is one or more complete lines, block ends with `\n`. */
export type BlockHandler = (block: Buffer, start: number) => void;

/**
 * `expectFingerprint`: the fingerprint returned when the file was last read up to `startOffset`; when the file no
 * longer has it there, nothing is read and `mismatch` is set (the caller reads the file again from 0).
 */
export async function readCompleteLines(
  path: string,
  startOffset: number,
  onBlock: BlockHandler,
  chunkSize = DEFAULT_CHUNK,
  expectFingerprint?: number,
): Promise<TailResult> {
  const fd = openSync(path, 'r');
  if (expectFingerprint !== undefined && startOffset > 0) {
    let same = false;
    try {
      same = fingerprintAt(fd, startOffset) === expectFingerprint;
    } finally {
      if (!same) closeSync(fd);
    }
    if (!same) return { offset: startOffset, bytesRead: 0, fingerprint: undefined, mismatch: true };
  }
  let buf = spare && spare.length === chunkSize ? spare : Buffer.allocUnsafe(chunkSize);
  if (buf === spare) spare = undefined;
  try {
    let filled = 0; // bytes in buf
    let pos = startOffset; // file offset of buf[0]
    let sliceStart = performance.now();
    let readLen = Math.min(FIRST_READ, buf.length);
    for (;;) {
      if (filled === buf.length) {
        // a line longer than the buffer: grow and keep reading
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      // reads start small and double up to the buffer: the first blocks of a file are parsed while the parser may
      // still be unoptimised (a cold 2 MB block can take 50 ms on the host thread)
      const want = Math.min(buf.length - filled, readLen);
      readLen = Math.min(readLen * 2, buf.length);
      const bytesRead = readSync(fd, buf, filled, want, pos + filled);
      if (bytesRead === 0) break;
      const newStart = filled;
      filled += bytesRead;
      // Only the freshly read part can hold the last newline (the carried-over rest has none).
      const rel = buf.subarray(newStart, filled).lastIndexOf(0x0a);
      if (rel >= 0) {
        const blockEnd = newStart + rel + 1;
        const start = pos === 0 && hasBom(buf, filled) ? 3 : 0;
        if (blockEnd > start) onBlock(buf.subarray(0, blockEnd), start);
        buf.copyWithin(0, blockEnd, filled);
        filled -= blockEnd;
        pos += blockEnd;
      }
      if (performance.now() - sliceStart >= YIELD_AFTER_MS) {
        await new Promise<void>((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
    const fingerprint = pos === startOffset && expectFingerprint !== undefined ? expectFingerprint : fingerprintAt(fd, pos);
    return { offset: pos, bytesRead: pos - startOffset, fingerprint };
  } finally {
    if (buf.length === chunkSize) spare = buf; // a grown buffer (very long line) is not kept
    closeSync(fd);
  }
}

function hasBom(buf: Buffer, filled: number): boolean {
  return filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
}

/**
 * The start of the line [s, e) (e excludes the `\n`) past spaces, tabs, CR, VT and FF: with lineEnd, its trimmed
 * bounds without an array (a parser's per-line loop: no allocation, no destructuring while cold). A blank line has
 * lineStart === lineEnd.
 */
export function lineStart(buf: Buffer, s: number, e: number): number {
  while (s < e && isSpace(buf[s])) s++;
  return s;
}

/** The end of the line [s, e) before spaces, tabs, CR, VT and FF, for a start `s` from lineStart. */
export function lineEnd(buf: Buffer, s: number, e: number): number {
  while (e > s && isSpace(buf[e - 1])) e--;
  return e;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0b || b === 0x0c;
}

/** A JSONL line is plausible only if it starts with `{` and ends with `}` (after trimming). */
export function looksLikeObject(buf: Buffer, s: number, e: number): boolean {
  return e - s >= 2 && buf[s] === 0x7b && buf[e - 1] === 0x7d;
}
