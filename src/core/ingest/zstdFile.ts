import { decompress } from 'fzstd';

/**
 * Whole Zstandard files (Codex's `.jsonl.zst` rollouts: openai/codex codex-rs/rollout/src/compression.rs, level 3,
 * no dictionary) decompressed with fzstd (npm, MIT, 101arrowz/fzstd: every frame one after another, skippable frames
 * skipped; Node 20's zlib has no zstd). Its errors become a ZstdError saying what was wrong with the file.
 */

/** A file that is not (or no longer) a whole Zstandard stream: cut, damaged, another format, or with a dictionary. */
export class ZstdError extends Error {
  constructor(message: string) {
    super(`zstd: ${message}`);
    this.name = 'ZstdError';
  }
}

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** Whether the bytes start with a Zstandard frame. */
export function isZstd(b: Uint8Array): boolean {
  return b.length >= 4 && MAGIC.every((m, i) => b[i] === m);
}

/** The decompressed content of every frame in `b`, one after the other; throws ZstdError when it cannot be had. */
export function zstdDecompress(b: Uint8Array): Buffer {
  if (!isZstd(b)) throw new ZstdError('not a Zstandard frame');
  let out: Uint8Array;
  try {
    out = decompress(b);
  } catch (e) {
    throw new ZstdError(e instanceof Error ? e.message : String(e));
  }
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}
