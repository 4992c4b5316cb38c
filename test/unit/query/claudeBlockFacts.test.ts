import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadClaudeBlockFacts } from '../../../src/core/query/claudeBlockFacts';
import { loadFacts } from '../../../src/core/query/facts';
import { cutBlocks } from '../../../src/core/report/blocks';
import type { Fact } from '../../../src/core/types';
import { cleanup, indexOnce, rootsFor, tmpDir } from '../ingest/helpers';
import { writeHistory } from '../store/claudeHistory';
import { mixedHistory } from './mixedHistory';

/** What cutting and summing a block reads of a fact (the whole history's leave project, session and branch ''). */
const blockView = (f: Fact) => ({ ...f, project: '', session: '', branch: '' });

test('the Claude facts the blocks are cut from equal loadFacts of Claude (same facts, same order), whole history and from any bucket', async () => {
  const dir = tmpDir();
  try {
    // Claude (several models and tiers, <synthetic> lines, corrected streamed copies) and Codex in their real formats
    writeHistory(dir, mixedHistory(5, '2026-03-02T00:00:00Z', 40));
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }));
    const all = loadFacts(db);
    assert.ok(all.some((f) => f.source === 'codex'), 'the index holds Codex usage too');
    const buckets = [...new Set(all.map((f) => f.bucketStartMs))];
    const froms: (number | undefined)[] = [undefined, buckets[0], buckets[Math.floor(buckets.length / 3)], buckets[buckets.length - 1], buckets[buckets.length - 1] + 900_000];
    for (const sinceMs of froms) {
      const want = loadFacts(db, { source: 'claude', sinceMs });
      const got = loadClaudeBlockFacts(db, sinceMs);
      if (sinceMs === undefined) assert.ok(want.length > 1000 && new Set(want.map((f) => `${f.model}/${f.tier}`)).size > 3, 'a history with many facts, models and tiers');
      assert.deepEqual(got.map(blockView), want.map(blockView), `since ${sinceMs}`);
      // and so the blocks cut from them (the stored blocks' source) are the same
      assert.deepEqual(cutBlocks(got).map((b) => ({ ...b, facts: b.facts.length })), cutBlocks(want).map((b) => ({ ...b, facts: b.facts.length })), `blocks since ${sinceMs}`);
    }
    db.close();
  } finally {
    cleanup(dir);
  }
});
