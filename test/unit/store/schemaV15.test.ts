/**
 * Schema 15: the compacted Claude calls' hashes Rice-coded per 14-bit prefix (store/seenCalls.ts, store/ricePack.ts)
 * instead of 5 bytes each per 16-bit prefix. A schema-14 index is made from realistic logs (mixedHistory: two months,
 * most calls older than the 35-day window, so compacted) with its seen packs written back in the schema-14 layout;
 * its migration must keep the same set of hashes, and the migrated index must report and go on as a new index of the
 * same logs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { hash53 } from '../../../src/core/hash';
import { Indexer } from '../../../src/core/ingest/indexer';
import { allPacked } from '../../../src/core/store/hashPacks';
import { riceDecode, riceEncode, riceHas } from '../../../src/core/store/ricePack';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { allSeenCalls, CLAUDE_SEEN_V3, SeenCalls } from '../../../src/core/store/seenCalls';
import { cleanup, indexOnce, rootsFor, tmpDir, totals } from '../ingest/helpers';
import { mixedHistory } from '../query/mixedHistory';
import { rng } from '../rng';
import { indexReport } from './indexReport';
import { loadCounters } from '../../../src/core/query/facts';
import { writeHistory } from './claudeHistory';
import { dump } from './dbDump';
import { asSchema14 } from './dimRows';

const NOW = Date.parse('2026-06-01T00:00:00Z');

test('a Rice pack gives back every value (edges, one value, none, dense and sparse runs) and finds exactly its values', () => {
  const r = rng(3);
  const sets = [
    [],
    [0],
    [2 ** 39 - 1],
    [0, 1, 2, 3, 2 ** 39 - 1],
    Array.from({ length: 300 }, (_, i) => i * 7),
    [...new Set(Array.from({ length: 2000 }, () => Math.floor(r() * 2 ** 39)))].sort((a, b) => a - b),
    [...new Set(Array.from({ length: 86 }, () => Math.floor(r() * 2 ** 39)))].sort((a, b) => a - b),
  ];
  for (const values of sets) {
    const p = riceEncode(values, 39);
    assert.deepEqual(riceDecode(p), values);
    for (const v of values) assert.equal(riceHas(p, v), true);
    for (const v of [1.5e11, 5, 2 ** 39 - 2, 4]) assert.equal(riceHas(p, v), values.includes(v), `${v}`);
  }
  const typical = sets[6];
  assert.ok(riceEncode(typical, 39).length / typical.length < 4.5, 'a year\'s pack: under 4.5 bytes a hash');
  assert.throws(() => riceDecode(riceEncode(sets[5], 39).subarray(0, 100)), /truncated/);
});

test('migration 15 codes the seen packs again: the same hashes; the migrated index reports and de-duplicates as a new one', async () => {
  const logs = tmpDir();
  try {
    writeHistory(logs, mixedHistory(21, '2026-03-20T00:00:00Z', 60, { tools: true }));
    const roots = rootsFor({ claude: join(logs, 'claude'), codex: join(logs, 'codex') });
    const { db } = await indexOnce(roots, undefined, NOW);
    const seen = allSeenCalls(db);
    assert.ok(seen.length > 300, `${seen.length} compacted calls`);
    asSchema14(db);
    assert.equal(schemaVersionOf(db), 14);
    assert.deepEqual(allPacked(db, CLAUDE_SEEN_V3), seen);
    const before = dump(db);
    migrate(db);
    assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
    assert.deepEqual(allSeenCalls(db), seen);
    const after = dump(db);
    for (const t of Object.keys(before)) if (t !== 'claude_seen_packs') assert.deepEqual(after[t], before[t], t);
    const s = new SeenCalls(db);
    for (const h of seen) assert.equal(s.has(h), true);
    for (let i = 0; i < 2000; i++) assert.equal(s.has(hash53(`never_${i}`)), false);
    s.free();
    // a new index of the same logs, then the same new lines in both: a copy of a compacted call with more output (a
    // duplicate, not a correction) and a new call
    const { db: fresh } = await indexOnce(roots, undefined, NOW);
    const report = (d: Database) => ({ ...indexReport(d), counters: loadCounters(d) });
    assert.deepEqual(report(db), report(fresh));
    const projects = join(logs, 'claude/projects');
    const project = readdirSync(projects)[0];
    const files = readdirSync(join(projects, project)).filter((f) => f.endsWith('.jsonl')).sort();
    const line = readFileSync(join(projects, project, files[0]), 'utf8').split('\n').find((l) => l.includes('"usage"') && !l.includes('<synthetic>'))!;
    const rec = JSON.parse(line);
    assert.ok(Date.parse(rec.timestamp) < NOW - 36 * 86_400_000, 'a compacted call');
    rec.message.usage.output_tokens += 1000;
    const outputBefore = totals(db).output;
    appendFileSync(join(projects, project, files[0]), `${JSON.stringify(rec)}\n`);
    const ix = new Indexer({ db, roots, now: () => NOW });
    await ix.refresh();
    await ix.dispose();
    await indexOnce(roots, fresh, NOW);
    assert.equal(totals(db).output, outputBefore, 'the compacted call is not corrected');
    assert.deepEqual(report(db), report(fresh));
    db.close();
    fresh.close();
  } finally {
    cleanup(logs);
  }
});
