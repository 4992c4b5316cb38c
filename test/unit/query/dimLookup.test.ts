/**
 * The dims cache read by need (core/query/committedDims.ts `dimLookup`, behind `loadFacts` with a window): the facts
 * equal those joined with every dims row read afresh — after new sessions (new dims), an old session's dim used
 * again in a new bucket, a wider window, inside a transaction, and after `committedDims` read them all.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Database } from 'sql.js';
import { loadAllFacts } from '../../../src/core/query/allFacts';
import { committedDims } from '../../../src/core/query/committedDims';
import { loadFacts } from '../../../src/core/query/facts';
import * as h from '../ingest/helpers';
import { putDim } from '../store/dimRows';

const DAY = 86_400_000;
const T0 = Date.parse('2026-05-01T09:00:00Z');

/** A call of session `s` in project `p` at day `d` (hour `hr`). */
function call(dir: string, p: string, s: string, d: number, hr: number, n: number): void {
  const file = join(dir, `projects/-home-dev-${p}/${s}.jsonl`);
  if (!existsSync(file)) h.write(file, '');
  h.append(file, h.claudeAssistant({
    id: `msg_${p}_${s}_${d}_${hr}_${n}`, ts: new Date(T0 + d * DAY + hr * 3_600_000).toISOString(), cwd: `/home/dev/${p}`, session: s,
    usage: { input: 10 + n, output: 100 + n, cacheRead: 1000 * n },
  }));
}

/** The facts from `sinceMs` on, joined with the dims read afresh (no cache). */
const reference = (db: Database, sinceMs: number) => loadAllFacts(db, sinceMs);

test('loadFacts over a window reads the dims it needs and equals the facts joined with every dims row, through new, reused and older dims', async () => {
  const dir = h.tmpDir();
  try {
    // 40 sessions over 40 days, each its own dim
    for (let d = 0; d < 40; d++) for (let n = 0; n < 3; n++) call(dir, `p${d % 5}`, `s${d}`, d, 9 + n, n);
    const roots = h.rootsFor({ claude: dir });
    const { db } = await h.indexOnce(roots);
    const recent = T0 + 30 * DAY;
    assert.deepEqual(loadFacts(db, { sinceMs: recent }), reference(db, recent));
    // a new session (a new dim) and an old session's dim used again in a new bucket
    call(dir, 'p9', 'fresh', 39, 15, 7);
    call(dir, 'p2', 's2', 39, 16, 8);
    await h.indexOnce(roots, db);
    const again = loadFacts(db, { sinceMs: recent });
    assert.deepEqual(again, reference(db, recent));
    assert.ok(again.some((f) => f.session === 's2'), 'the old dim is found');
    assert.ok(again.some((f) => f.session === 'fresh'), 'the new dim is found');
    // a wider window, then everything, then a filter
    assert.deepEqual(loadFacts(db, { sinceMs: T0 + 10 * DAY }), reference(db, T0 + 10 * DAY));
    assert.deepEqual(loadFacts(db), reference(db, Number.NEGATIVE_INFINITY));
    assert.deepEqual(loadFacts(db, { sinceMs: recent, project: 'home-dev-p2' }).length, reference(db, recent).filter((f) => f.project === 'home-dev-p2').length);
    // inside a transaction: the rows read there are used, not kept (a rollback gives their ids away again)
    db.run('BEGIN');
    putDim(db, { source: 'claude', model: 'm', project: 'tx-project', session: 'tx-session', branch: '', tier: 'standard' });
    const txId = Number(db.exec('SELECT max(id) FROM dims')[0]!.values[0]![0]);
    db.run('INSERT INTO usage (bucket, dim, f, l, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests) VALUES (?1, ?2, ?3 - ?1, ?4 - ?1, 1, 2, 0, 0, 0, 0, 0, 1)',
      [T0 + 39 * DAY, txId, T0 + 39 * DAY, T0 + 39 * DAY]);
    assert.ok(loadFacts(db, { sinceMs: recent }).some((f) => f.session === 'tx-session'));
    db.run('ROLLBACK');
    putDim(db, { source: 'claude', model: 'm', project: 'other-project', session: 'other-session', branch: '', tier: 'standard' });
    db.run('INSERT INTO usage (bucket, dim, f, l, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests) VALUES (?1, ?2, ?3 - ?1, ?4 - ?1, 1, 2, 0, 0, 0, 0, 0, 1)',
      [T0 + 39 * DAY, txId, T0 + 39 * DAY, T0 + 39 * DAY]);
    const afterRollback = loadFacts(db, { sinceMs: recent });
    assert.deepEqual(afterRollback, reference(db, recent));
    assert.ok(afterRollback.some((f) => f.session === 'other-session') && !afterRollback.some((f) => f.session === 'tx-session'), 'the id given away again reads its new row');
    // after every dims row was read, the lookup is that map (and follows new rows)
    assert.equal(committedDims(db).size, Number(db.exec('SELECT count(*) FROM dims')[0]!.values[0]![0]));
    call(dir, 'p3', 'latest', 39, 17, 9);
    await h.indexOnce(roots, db);
    assert.deepEqual(loadFacts(db, { sinceMs: recent }), reference(db, recent));
    // every row read, inside a transaction: a dims row added there is found (not kept); after a rollback its id
    // given to another tuple reads that one
    db.run('BEGIN');
    putDim(db, { source: 'claude', model: 'm', project: 'tx2-project', session: 'tx2-session', branch: '', tier: 'standard' });
    const tx2Id = Number(db.exec('SELECT max(id) FROM dims')[0]!.values[0]![0]);
    db.run('INSERT INTO usage (bucket, dim, f, l, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests) VALUES (?1, ?2, ?3 - ?1, ?4 - ?1, 1, 2, 0, 0, 0, 0, 0, 1)',
      [T0 + 39 * DAY + 900_000, tx2Id, T0 + 39 * DAY + 900_000, T0 + 39 * DAY + 900_000]);
    const inTx = loadFacts(db, { sinceMs: recent });
    assert.deepEqual(inTx, reference(db, recent));
    assert.ok(inTx.some((f) => f.session === 'tx2-session'));
    db.run('ROLLBACK');
    putDim(db, { source: 'claude', model: 'm', project: 'other2-project', session: 'other2-session', branch: '', tier: 'standard' });
    db.run('INSERT INTO usage (bucket, dim, f, l, input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests) VALUES (?1, ?2, ?3 - ?1, ?4 - ?1, 1, 2, 0, 0, 0, 0, 0, 1)',
      [T0 + 39 * DAY + 900_000, tx2Id, T0 + 39 * DAY + 900_000, T0 + 39 * DAY + 900_000]);
    const after2 = loadFacts(db, { sinceMs: recent });
    assert.deepEqual(after2, reference(db, recent));
    assert.ok(after2.some((f) => f.session === 'other2-session') && !after2.some((f) => f.session === 'tx2-session'));
  } finally {
    h.cleanup(dir);
  }
});
