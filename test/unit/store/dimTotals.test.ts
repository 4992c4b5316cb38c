import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDimTotals } from '../../../src/core/query/dimTotals';
import { rebuildAggregates } from '../../../src/core/store/aggregates';
import { cleanup, indexOnce, rootsFor, tmpDir } from '../ingest/helpers';
import { claudeHistory, writeHistory } from './claudeHistory';
import { putDim } from './dimRows';

test('usage summed by dims equals SQLite GROUP BY dim over the same index: sums, first buckets, first billed bucket, order', async () => {
  const dir = tmpDir();
  writeHistory(join(dir, 'claude'), claudeHistory(37, '2026-03-02T00:00:00Z', 45));
  const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude') }));
  try {
    // a dim whose first bucket has no billed tokens (only web searches), billed later: the two "first" values differ
    const id = putDim(db, { source: 'claude', model: 'claude-sonnet-4-5', project: 'p', session: 's-search', branch: 'main', tier: 'standard' });
    db.run('INSERT INTO usage (bucket, dim, web_search, requests, f, l) VALUES (?1, ?2, 2, 1, ?3 - ?1, ?4 - ?1)', [1_772_000_100_000 - (1_772_000_100_000 % 900_000), id, 1_772_000_100_000, 1_772_000_100_000]);
    db.run('INSERT INTO usage (bucket, dim, input, output, requests, f, l) VALUES (?1, ?2, 5, 7, 1, ?3 - ?1, ?4 - ?1)', [1_772_003_700_000 - (1_772_003_700_000 % 900_000), id, 1_772_003_700_000, 1_772_003_700_000]);
    rebuildAggregates(db); // rows written straight into usage: session_totals as the flush would keep it (aggregates.test.ts)
    const want = db.exec(`
      SELECT dim, MIN(bucket), MIN(CASE WHEN input + output + cw5m + cw1h + cache_read > 0 THEN bucket END),
             SUM(input), SUM(output), SUM(cw5m), SUM(cw1h), SUM(cache_read), SUM(reasoning), SUM(web_search), SUM(requests)
      FROM usage GROUP BY dim ORDER BY dim`)[0]!.values.map((v) => v.map((x) => (x === null ? null : Number(x))));
    const got = loadDimTotals(db).map((t) => [t.dim, t.firstBucketMs, t.firstBilledBucketMs, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead, t.reasoning, t.webSearch, t.requests]);
    assert.ok(want.length > 20, `${want.length} dims`);
    assert.deepEqual(got, want);
    const search = loadDimTotals(db).find((t) => t.dim === id)!;
    assert.ok(search.firstBilledBucketMs! > search.firstBucketMs, 'first billed bucket after the first bucket');
  } finally {
    db.close();
    cleanup(dir);
  }
});
