import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Indexer } from '../../../src/core/ingest/indexer';
import { keptStoredClaudeBlocks } from '../../../src/core/query/keptClaudeBlocks';
import { claudeBlocksRecutSinceCursor, readStoredClaudeBlocks, updateClaudeBlocks } from '../../../src/core/store/claudeBlocks';
import { claudeAssistant, cleanup, freshDb, rootsFor, tmpDir, write } from '../ingest/helpers';
import { claudeHistory, lastTimestamp, writeHistory } from '../store/claudeHistory';

/**
 * The stored Claude blocks the dashboard keeps across data changes equal a fresh read after every change — an
 * appended call in the newest block, a call opening a new block, a late old file re-cutting the middle of history —
 * also when the index engine's own reader (the P90) brings the blocks up to date and takes the recut note between
 * two dashboard reads; an appended call reads again the newest block only (the older ones are the same objects).
 */
const iso = (t: number) => new Date(t).toISOString();

test('kept Claude blocks equal a fresh read through appends, a new block, a late old file and the engine\'s own reads', async () => {
  const dir = tmpDir();
  try {
    const files = claudeHistory(5, '2026-02-02T00:00:00Z', 40);
    const late = files.splice(Math.floor(files.length / 2), 1)[0];
    writeHistory(join(dir, 'claude'), files);
    const db = await freshDb();
    const ix = new Indexer({ db, roots: rootsFor({ claude: join(dir, 'claude') }) });
    await ix.refresh({ newestFirst: true });
    const fresh = () => {
      updateClaudeBlocks(db);
      return readStoredClaudeBlocks(db);
    };
    let kept = keptStoredClaudeBlocks(db);
    assert.deepStrictEqual(kept, fresh(), 'first read');
    assert.ok(kept.length > 20);
    assert.equal(keptStoredClaudeBlocks(db), kept, 'nothing changed: the same blocks');

    const newestFile = join(dir, 'claude', files[files.length - 1].path);
    let text = files[files.length - 1].lines.join('');
    let t = lastTimestamp(files);
    const append = async (ms: number, id: string) => {
      text += claudeAssistant({ id, ts: iso(ms), usage: { input: 700, output: 30_000 } });
      write(newestFile, text);
      await ix.refresh();
    };
    // a call 20 minutes after the last one: the newest block read again, every other block kept as it was
    t += 20 * 60_000;
    await append(t, 'msg_a1');
    const before = kept;
    kept = keptStoredClaudeBlocks(db);
    assert.deepStrictEqual(kept, fresh(), 'after a call in the newest block');
    assert.notEqual(kept, before);
    for (let i = 0; i < kept.length - 1; i++) assert.equal(kept[i], before[i], `block ${i} kept`);

    // another reader of the re-cuts (the engine's P90) reads them before the dashboard's next read
    t += 7 * 3_600_000;
    await append(t, 'msg_a2');
    updateClaudeBlocks(db);
    assert.ok(claudeBlocksRecutSinceCursor(db, 0) !== undefined);
    kept = keptStoredClaudeBlocks(db);
    assert.deepStrictEqual(kept, fresh(), 'after a call opening a new block, read by the engine first');
    assert.equal(kept[kept.length - 1].firstMs, t);

    // a second call in the new block's first 15 minutes: its first entry is not before the watermark, so the update
    // re-cuts from the block before it — read from there, every older block kept as it was (not all read again)
    const opened = kept;
    await append(t + 4 * 60_000, 'msg_a3');
    kept = keptStoredClaudeBlocks(db);
    assert.deepStrictEqual(kept, fresh(), 'after a second call in the new block\'s first bucket');
    for (let i = 0; i < opened.length - 2; i++) assert.equal(kept[i], opened[i], `block ${i} kept`);

    // a late old file: the blocks from its chain on are cut again
    writeHistory(join(dir, 'claude'), [late]);
    await ix.refresh();
    const old = kept;
    kept = keptStoredClaudeBlocks(db);
    assert.deepStrictEqual(kept, fresh(), 'after a late old file');
    assert.notDeepStrictEqual(kept, old);
    await ix.dispose();
    db.close();
  } finally {
    cleanup(dir);
  }
});
