import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZstdError, isZstd, zstdDecompress } from '../../../src/core/ingest/zstdFile';

/**
 * Zstandard files (zstdFile.ts, over fzstd) against files the reference `zstd` CLI (1.5.4) wrote: a Codex rollout as Codex compresses it
 * (level 3, streamed: no content size, two blocks; Huffman literals and FSE sequences), the same at level 19 (other
 * table modes), a raw block (random bytes), an RLE block (zeros); frames one after another with a skippable frame.
 */
const DIR = join(__dirname, '../../fixtures');
const ROLLOUT = join(DIR, 'codex-zst/rollout-2026-11-20T10-00-00-019aa0c1-5d3e-7f21-9c4b-2f6a1e0b7c55.jsonl');
const plain = readFileSync(ROLLOUT);

test('zstd: a rollout compressed at Codex level 3 (streamed, two blocks) and at level 19 decompresses to its bytes', () => {
  const l3 = readFileSync(`${ROLLOUT}.zst`);
  assert.ok(isZstd(l3));
  assert.ok(plain.length > 128 * 1024); // more than one block's content
  assert.ok(zstdDecompress(l3).equals(plain));
  assert.ok(zstdDecompress(readFileSync(join(DIR, 'zstd/rollout-level19.jsonl.zst'))).equals(plain));
});

test('zstd: raw and RLE blocks', () => {
  assert.ok(zstdDecompress(readFileSync(join(DIR, 'zstd/random.bin.zst'))).equals(readFileSync(join(DIR, 'zstd/random.bin'))));
  const zeros = zstdDecompress(readFileSync(join(DIR, 'zstd/zeros-300000.zst')));
  assert.equal(zeros.length, 300000);
  assert.ok(zeros.every((b) => b === 0));
});

test('zstd: frames one after another, a skippable frame between them', () => {
  const skippable = Buffer.concat([Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from('hello')]);
  const random = readFileSync(join(DIR, 'zstd/random.bin.zst'));
  const both = Buffer.concat([readFileSync(`${ROLLOUT}.zst`), skippable, random]);
  assert.ok(zstdDecompress(both).equals(Buffer.concat([plain, readFileSync(join(DIR, 'zstd/random.bin'))])));
});

test('zstd: a cut or damaged file, another format or a dictionary throws ZstdError', () => {
  const l3 = readFileSync(`${ROLLOUT}.zst`);
  assert.throws(() => zstdDecompress(l3.subarray(0, l3.length - 1000)), ZstdError);
  assert.throws(() => zstdDecompress(l3.subarray(0, 6)), ZstdError);
  assert.throws(() => zstdDecompress(plain), ZstdError);
  assert.equal(isZstd(plain), false);
  // frame header with a 1-byte dictionary id 7 (descriptor bit 0), single segment, content size 1 byte
  assert.throws(() => zstdDecompress(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x21, 7, 1, 1, 0, 0, 0x61])), ZstdError);
});

test('zstd: damaged copies of a rollout (bits flipped anywhere past the magic) give its ZstdError or some output, never another error', () => {
  const l3 = readFileSync(`${ROLLOUT}.zst`);
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let errors = 0;
  for (let i = 0; i < 300; i++) {
    const b = Buffer.from(l3);
    for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--) b[4 + Math.floor(rnd() * (b.length - 4))] ^= 1 << Math.floor(rnd() * 8);
    try {
      zstdDecompress(b);
    } catch (e) {
      assert.ok(e instanceof ZstdError, String(e));
      errors++;
    }
  }
  // the content checksum is not checked: most flips in the compressed data give wrong bytes, which the line parser
  // then skips as malformed lines; some break the stream's structure
  assert.ok(errors > 0);
});
