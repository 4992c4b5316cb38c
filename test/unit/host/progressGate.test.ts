/**
 * The index worker's refresh progress (app/indexWorker/progressGate.ts): the first file's, at most one per gap, the
 * last file's always — a year's first index posted one message per file (16,450), ~1.8 s of the indexing thread.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IngestProgress } from '../../../src/core/ingest/indexer';
import { progressGate } from '../../../src/app/indexWorker/progressGate';

const MB = 1024 * 1024;
const at = (filesDone: number, filesTotal: number): IngestProgress => ({ filesDone, filesTotal, bytesDone: filesDone * MB, bytesTotal: filesTotal * MB });

test('a file every 10 ms for 2 s: the first, one per 100 ms, and the last go out, in order', () => {
  let clock = 0;
  const sent: IngestProgress[] = [];
  const gate = progressGate((p) => sent.push(p), 100, () => clock);
  for (let i = 1; i <= 200; i++) {
    clock = i * 10;
    gate(at(i, 200));
  }
  assert.equal(sent[0].filesDone, 1);
  assert.equal(sent.at(-1)?.filesDone, 200, 'the last file\'s progress (100 %) always goes out');
  assert.ok(sent.length >= 20 && sent.length <= 22, `about one per 100 ms over 2 s: ${sent.length}`);
  for (let i = 1; i < sent.length - 1; i++) assert.ok(sent[i].filesDone - sent[i - 1].filesDone >= 10, 'never two within 100 ms');
  assert.deepEqual(sent.map((p) => p.filesDone), [...sent.map((p) => p.filesDone)].sort((a, b) => a - b));
});

test('slow files (one per 250 ms) each go out; a refresh of one file sends it', () => {
  let clock = 0;
  const sent: number[] = [];
  const gate = progressGate((p) => sent.push(p.filesDone), 100, () => clock);
  for (let i = 1; i <= 5; i++) {
    clock = i * 250;
    gate(at(i, 5));
  }
  assert.deepEqual(sent, [1, 2, 3, 4, 5]);
  const one: number[] = [];
  progressGate((p) => one.push(p.filesDone), 100, () => 0)(at(1, 1));
  assert.deepEqual(one, [1]);
});
