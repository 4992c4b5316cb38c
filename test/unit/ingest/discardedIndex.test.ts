import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadCounters, loadFacts } from '../../../src/core/query/facts';
import * as h from './helpers';

const NOW = Date.parse('2026-04-02T12:00:00Z');
const rowsIn = (db: Database, table: string) => Number(db.exec(`SELECT count(*) FROM ${table}`)[0].values[0][0]);

test('an index dropped after its run (the CLI with --no-cache) keeps no Claude de-dup tables and counts exactly what a kept index counts, spilled after every file', async () => {
  const dir = h.tmpDir();
  // call k streamed in file k and final in file k+1: the de-dup across files decides the totals
  h.writeCallsAcrossFiles(dir, 30);
  // a call of a week before: older than the de-dup keeps whole, it would go to the packs of seen calls
  h.write(join(dir, 'c/projects/old/s.jsonl'), h.claudeAssistant({ id: 'old-call', ts: '2026-03-20T09:00:00Z', usage: { input: 5, output: 7 } }));
  const run = async (discardedAfterRun: boolean) => {
    const db = await h.freshDb();
    await new Indexer({ db, roots: h.rootsFor({ claude: join(dir, 'c') }), discardedAfterRun, maxCallsInMemory: 0, now: () => NOW }).refresh({ flushEveryMs: 0 });
    return {
      facts: loadFacts(db).map((f) => [f.session, f.bucketStartMs, f.model, f.input, f.output, f.cacheRead, f.requests]),
      counters: loadCounters(db),
      tables: rowsIn(db, 'claude_packs') + rowsIn(db, 'claude_seen_packs'),
    };
  };
  const kept = await run(false);
  const dropped = await run(true);
  assert.ok(kept.tables > 0);
  assert.equal(dropped.tables, 0);
  assert.deepEqual({ ...dropped, tables: kept.tables }, kept);
  const requests = kept.facts.reduce((n, f) => n + Number(f[6]), 0);
  assert.equal(requests, 31); // 30 calls, each once, and the old one
  h.cleanup(dir);
});
