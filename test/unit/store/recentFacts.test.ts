import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { loadFacts as loadFactsShipped } from '../../../src/core/query/facts';
import type { Fact, Source, Tier } from '../../../src/core/types';
import { cleanup, indexOnce, rootsFor, tmpDir } from '../ingest/helpers';
import { claudeHistory, writeHistory } from './claudeHistory';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';
import { putDim } from './dimRows';

/** The reference: usage joined with dims in SQL, as the index read facts before (ordered by bucket, then dim). */
function loadFacts(db: Database, f: { sinceMs?: number } = {}): Fact[] {
  const res = db.exec(`
    SELECT u.bucket, u.first_ms, u.last_ms, d.source, d.model, d.project, d.session, d.branch, d.tier,
           u.input, u.output, u.cw5m, u.cw1h, u.cache_read, u.reasoning, u.web_search, u.requests
    FROM usage u JOIN ${DIMS_AS_TEXT} d ON d.id = u.dim ${f.sinceMs === undefined ? '' : 'WHERE u.bucket >= ?'} ORDER BY u.bucket, u.dim`,
  f.sinceMs === undefined ? [] : [f.sinceMs]);
  return (res[0]?.values ?? []).map((v) => ({
    bucketStartMs: Number(v[0]), firstMs: Number(v[1]), lastMs: Number(v[2]), source: v[3] as Source, model: String(v[4]),
    project: String(v[5]), session: String(v[6]), branch: String(v[7]), tier: v[8] as Tier, input: Number(v[9]), output: Number(v[10]),
    cacheWrite5m: Number(v[11]), cacheWrite1h: Number(v[12]), cacheRead: Number(v[13]), reasoning: Number(v[14]),
    webSearch: Number(v[15]), requests: Number(v[16]),
  }));
}

/** The shipped read, over the dims kept per database. */
const loadRecentFacts = (db: Database, sinceMs: number): Fact[] => loadFactsShipped(db, { sinceMs });

const H = 3_600_000;

async function indexedHistory(): Promise<{ db: Database; dir: string; lastBucket: number }> {
  const dir = tmpDir();
  writeHistory(join(dir, 'claude'), claudeHistory(31, '2026-02-02T00:00:00Z', 30));
  const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude') }));
  const lastBucket = Number(db.exec('SELECT MAX(bucket) FROM usage')[0].values[0][0]);
  return { db, dir, lastBucket };
}

/** A new dim and one usage row of it in `bucket` (the store's own statements would give the same rows). */
function addUsage(db: Database, bucket: number, dim: { model: string; session: string; project?: string }, output: number): number {
  const id = putDim(db, { source: 'claude', model: dim.model, project: dim.project ?? 'late', session: dim.session, branch: 'main', tier: 'standard' });
  db.run('INSERT INTO usage (bucket, dim, input, output, requests, f, l) VALUES (?1, ?2, 10, ?3, 1, ?4 - ?1, ?5 - ?1)', [bucket, id, output, bucket + 60_000, bucket + 120_000]);
  return id;
}

test('facts since a bucket are the SQL join of usage and dims since it: same facts, same order', async () => {
  const { db, dir, lastBucket } = await indexedHistory();
  try {
    for (const since of [0, lastBucket - 40 * 24 * H, lastBucket - 9 * 24 * H, lastBucket - 50 * H, lastBucket, lastBucket + 15 * 60_000]) {
      const want = loadFacts(db, { sinceMs: since });
      assert.deepEqual(loadRecentFacts(db, since), want);
      assert.deepEqual(loadRecentFacts(db, since), want, 'again, from the kept dims');
    }
    assert.ok(loadFacts(db, { sinceMs: lastBucket - 9 * 24 * H }).length > 50);
  } finally {
    db.close();
    cleanup(dir);
  }
});

test('dims read inside a transaction that rolls back are not kept: their ids may come back as other dims', async () => {
  const { db, dir, lastBucket } = await indexedHistory();
  try {
    const since = lastBucket - 24 * H;
    const b = lastBucket + 15 * 60_000;
    assert.deepEqual(loadRecentFacts(db, since), loadFacts(db, { sinceMs: since }));
    // a refresh's batch summary reads before its COMMIT…
    db.run('BEGIN');
    const rolledBack = addUsage(db, b, { model: 'claude-opus-4-1-20250805', session: 'gone' }, 111);
    const inside = loadRecentFacts(db, since);
    assert.deepEqual(inside, loadFacts(db, { sinceMs: since }));
    assert.equal(inside.at(-1)?.session, 'gone');
    // …and the refresh fails: the id is given to another dim by the next one
    db.run('ROLLBACK');
    const reused = addUsage(db, b, { model: 'claude-haiku-4-5', session: 'kept', project: 'other' }, 222);
    assert.equal(reused, rolledBack);
    const after = loadRecentFacts(db, since);
    assert.deepEqual(after, loadFacts(db, { sinceMs: since }));
    assert.deepEqual([after.at(-1)?.session, after.at(-1)?.model, after.at(-1)?.project], ['kept', 'claude-haiku-4-5', 'other']);
  } finally {
    db.close();
    cleanup(dir);
  }
});

test('a usage row without its dim is left out, as the join leaves it out; a table seen smaller drops the kept dims', async () => {
  const { db, dir, lastBucket } = await indexedHistory();
  try {
    const since = lastBucket - 24 * H;
    const b = lastBucket + 15 * 60_000;
    db.run('INSERT INTO usage (bucket, dim, input, output, requests, f, l) VALUES (?1, 99999999, 1, 1, 1, ?2 - ?1, ?3 - ?1)', [b, b, b]);
    const id = addUsage(db, b + 15 * 60_000, { model: 'claude-sonnet-4-5-20250929', session: 'first' }, 5);
    assert.deepEqual(loadRecentFacts(db, since), loadFacts(db, { sinceMs: since }));
    // not something the store does; should a dim ever go, a later id is not trusted to be the kept one
    db.run('DELETE FROM usage WHERE dim = ?', [id]);
    db.run('DELETE FROM dims WHERE id = ?', [id]);
    assert.deepEqual(loadRecentFacts(db, since), loadFacts(db, { sinceMs: since }));
    assert.equal(addUsage(db, b + 15 * 60_000, { model: 'claude-opus-4-6', session: 'second' }, 6), id);
    const got = loadRecentFacts(db, since);
    assert.deepEqual(got, loadFacts(db, { sinceMs: since }));
    assert.equal(got.at(-1)?.session, 'second');
  } finally {
    db.close();
    cleanup(dir);
  }
});
