/**
 * A reader window's engine follows the writer's saves: the whole file once, then only the journal's new records while
 * the file stays the one it loaded; a file written whole since is loaded again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { IndexEngine } from '../../../src/app/indexWorker/engine';
import type { IndexUpdate } from '../../../src/app/indexApi';
import { nullLogger } from '../../../src/core/types';
import * as h from '../ingest/helpers';

const engine = (updates: IndexUpdate[] = []) => new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger, onUpdate: (u) => updates.push(u) });
const requests = (e: IndexEngine) => e.loadFacts().reduce((n, f) => n + f.requests, 0);

/** Counts whole reads of `file` (the engine loads a saved index through fs.promises.open: core store/roomyFile.ts). */
function countReads(file: string): { count: () => number; restore: () => void } {
  const original = fs.promises.open;
  let n = 0;
  fs.promises.open = ((p: unknown, ...rest: unknown[]) => {
    if (p === file) n++;
    return (original as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof original;
  const restore = () => {
    fs.promises.open = original;
  };
  return { count: () => n, restore };
}

test('reader engine: after the first load only the journal is read; each writer save of one call arrives as one update; a whole save is loaded again', async () => {
  const dir = h.tmpDir();
  const { roots, claudeFile } = h.basicLogsCopy(dir);
  const file = join(dir, 'usage-index.sqlite');
  const writer = engine();
  const updates: IndexUpdate[] = [];
  const reader = engine(updates);
  const reads = countReads(file);
  try {
    await writer.openWritable(file);
    await writer.startIndexer(roots);
    await writer.refresh();
    assert.equal((await writer.save(file)).whole, true);
    assert.equal(await reader.openReadOnly(file), true);
    assert.equal(reads.count(), 1);
    assert.equal(requests(reader), requests(writer));

    for (const n of [1, 2]) {
      const ts = `2026-03-12T1${n}:00:00.000Z`;
      h.append(claudeFile, h.claudeAssistant({ id: `msg_follow_${n}`, ts, usage: { input: 5, output: 1, cacheRead: 900 } }));
      h.append(claudeFile, h.claudeAssistant({ id: `msg_follow_${n}`, ts, usage: { input: 5, output: 77, cacheRead: 900 } }));
      await writer.refresh();
      const saved = await writer.save(file);
      assert.equal(saved.whole, false);
      const seen = updates.length;
      assert.equal(await reader.openReadOnly(file), true);
      assert.equal(updates.length, seen + 1, 'one update for the records applied');
      assert.deepEqual(reader.loadFacts(), writer.loadFacts());
    }
    assert.equal(await reader.openReadOnly(file), false, 'nothing new: no update');
    assert.equal(reads.count(), 1, 'the index file itself was read once');

    // the writer's database written whole (a rebuild, a full journal): the reader loads the file again
    await writer.close();
    await writer.openWritable(join(dir, 'other.sqlite'));
    await writer.startIndexer(h.rootsFor({ codex: join(dir, 'logs/codex') }));
    await writer.refresh();
    await writer.save(file);
    assert.equal(await reader.openReadOnly(file), true);
    assert.equal(reads.count(), 2);
    assert.deepEqual(reader.loadFacts(), writer.loadFacts());
  } finally {
    reads.restore();
    await writer.close();
    await reader.close();
    h.cleanup(dir);
  }
});
