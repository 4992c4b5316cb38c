/**
 * Schema 16: usage, usage_hours and session_totals keep their first and last entry times as offsets (f, l) from the
 * bucket, the hour, the first and last bucket; first_ms and last_ms are generated from them. An index of realistic
 * logs (mixedHistory: Claude with de-dup corrections, Codex) is taken back to schema 15, migrated, and must hold and
 * report the same, go on like a new index of the same logs (new lines, a correction), and go through the journal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { rebuildAggregates } from '../../../src/core/store/aggregates';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { cleanup, indexOnce, rootsFor, tmpDir, } from '../ingest/helpers';
import { mixedHistory } from '../query/mixedHistory';
import { writeHistory } from './claudeHistory';
import { dump } from './dbDump';
import { correctionAfterMigration, migratedReport } from './migratedCorrection';
import { asSchema15 } from './dimRows';

const NOW = Date.parse('2026-05-01T00:00:00Z');
const rows = (db: Database, sql: string) => db.exec(sql)[0]?.values ?? [];
const report = migratedReport;

test('migration 16 stores the times as offsets: every row the same, the aggregates as a rebuild gives them; the migrated index goes on like a new one and through the journal', async () => {
  const logs = tmpDir();
  try {
    writeHistory(logs, mixedHistory(17, '2026-04-01T00:00:00Z', 20, { tools: true }));
    const roots = rootsFor({ claude: join(logs, 'claude'), codex: join(logs, 'codex') });
    const { db } = await indexOnce(roots, undefined, NOW);
    const before = dump(db);
    const rep = report(db);
    asSchema15(db);
    assert.equal(schemaVersionOf(db), 15);
    assert.deepEqual(dump(db), before, 'schema 15 holds the same rows');
    assert.equal(rows(db, 'SELECT count(*) FROM pragma_table_info(\'usage\') WHERE name = \'f\'')[0][0], 0);
    migrate(db);
    assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
    assert.deepEqual(dump(db), before);
    assert.deepEqual(report(db), rep);
    assert.equal(db.export()[100], 13, 'the migrated schema still on the first page (a leaf page)');
    // stored: offsets within the bucket (3 bytes each), the times generated
    const [[minF, maxL, n]] = rows(db, 'SELECT min(f), max(l), count(*) FROM usage');
    assert.ok(Number(n) > 200 && Number(minF) >= 0 && Number(maxL) < 900_000, `${minF} ${maxL} ${n}`);
    assert.equal(rows(db, 'SELECT count(*) FROM usage WHERE first_ms <> bucket + f OR last_ms <> bucket + l')[0][0], 0);
    // a join from typed staged rows finds usage rows by their key (the key keeps its INTEGER affinity; a full scan per
    // staged row made a year's first index several times slower)
    db.run('CREATE TEMP TABLE st (bucket INTEGER, dim INTEGER)');
    const plan = rows(db, 'EXPLAIN QUERY PLAN SELECT u.input FROM temp.st s CROSS JOIN usage u ON u.bucket = s.bucket AND u.dim = s.dim').map((r) => String(r[3])).join('; ');
    assert.match(plan, /SEARCH u USING PRIMARY KEY \(bucket=\? AND dim=\?\)/, plan);
    db.run('DROP TABLE temp.st');
    // the maintained aggregates equal a rebuild from usage
    const hours = dump(db).usage_hours;
    const sessions = dump(db).session_totals;
    const copy = new (await loadSqlJs()).Database(db.export());
    rebuildAggregates(copy);
    assert.deepEqual(dump(copy).usage_hours, hours);
    assert.deepEqual(dump(copy).session_totals, sessions);
    copy.close();
    await correctionAfterMigration(db, logs, roots, NOW);
    db.close();
  } finally {
    cleanup(logs);
  }
});
