/**
 * Schema 20: session_totals keeps its buckets as bucket indexes (fb: the first bucket / 900000; lb, bb: the last bucket
 * and the first with billed tokens as buckets after it), first_bucket, last_bucket and first_billed generated from them.
 * An index of every source's logs (with de-dup corrections, sessions with no billed tokens) is taken back to schema 19,
 * migrated, and must hold and report the same, keep its aggregates as a rebuild gives them, go on like a new index and
 * through the journal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../../src/core/discovery';
import { rebuildAggregates } from '../../../src/core/store/aggregates';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { cleanup, indexOnce, tmpDir, } from '../ingest/helpers';
import { mixedHistory } from '../query/mixedHistory';
import { fixtureHome } from '../sources/fixtureHome';
import { writeHistory } from './claudeHistory';
import { dump } from './dbDump';
import { correctionAfterMigration, migratedReport } from './migratedCorrection';
import { asSchema19 } from './dimRows';

const NOW = Date.parse('2026-05-01T00:00:00Z');
const rows = (db: Database, sql: string) => db.exec(sql)[0]?.values ?? [];
const report = migratedReport;
const BUCKETS = 'SELECT dim, first_bucket, last_bucket, first_billed, first_ms, last_ms FROM session_totals ORDER BY dim';

test('migration 20 stores session_totals\' buckets as bucket indexes: every row the same, the aggregates as a rebuild gives them; the migrated index goes on like a new one and through the journal', async () => {
  const logs = tmpDir();
  const home = fixtureHome();
  try {
    writeHistory(logs, mixedHistory(23, '2026-04-01T00:00:00Z', 20, { tools: true }));
    const roots = discoverRoots({ env: {}, home, dirs: { claude: [join(logs, 'claude')], codex: [join(logs, 'codex')] } });
    const { db } = await indexOnce(roots, undefined, NOW);
    const current = dump(db);
    asSchema19(db);
    assert.equal(schemaVersionOf(db), 19);
    assert.deepEqual(dump(db), current, 'schema 19 holds the same rows');
    assert.equal(rows(db, "SELECT count(*) FROM pragma_table_info('session_totals') WHERE name = 'fb'")[0][0], 0);
    // a session with no billed tokens has no first billed bucket (NULL): one made so
    db.run('UPDATE session_totals SET first_billed = NULL WHERE dim = (SELECT min(dim) FROM session_totals)');
    const before = dump(db);
    const rep = report(db);
    const buckets = rows(db, BUCKETS);
    assert.ok(buckets.length > 40);
    assert.ok(buckets.some((r) => r[2] !== r[1]), 'sessions over several buckets');
    migrate(db);
    assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
    assert.deepEqual(dump(db), before);
    assert.deepEqual(rows(db, BUCKETS), buckets);
    assert.deepEqual(report(db), rep);
    assert.equal(db.export()[100], 13, 'the migrated schema still on the first page (a leaf page)');
    // stored: bucket indexes (3 bytes) and buckets after the first (0 to 2 bytes)
    const [[maxFb, maxLb, minBb]] = rows(db, 'SELECT max(fb), max(lb), min(bb) FROM session_totals');
    assert.ok(Number(maxFb) < 2 ** 23 && Number(maxLb) < 2 ** 15 && Number(minBb) >= 0, `${maxFb} ${maxLb} ${minBb}`);
    assert.equal(rows(db, 'SELECT count(*) FROM session_totals WHERE bb IS NULL AND first_billed IS NULL')[0][0], 1);
    db.run('UPDATE session_totals SET bb = 0 WHERE bb IS NULL'); // (its own first bucket, as its usage rows give it)
    const copy = new (await loadSqlJs()).Database(db.export());
    rebuildAggregates(copy);
    assert.deepEqual(dump(copy).session_totals, dump(db).session_totals);
    copy.close();
    await correctionAfterMigration(db, logs, roots, NOW, async (db) => {
      const rebuilt = new (await loadSqlJs()).Database(db.export());
      rebuildAggregates(rebuilt);
      assert.deepEqual(dump(rebuilt).session_totals, dump(db).session_totals, 'the maintained rows as a rebuild gives them');
      rebuilt.close();
    });
    db.close();
  } finally {
    cleanup(logs);
    cleanup(home);
  }
});
