/**
 * Schema 17: files keep their parser state without its keys (store/fileStates.ts), its fingerprint in an integer
 * column, the source as its id in strs. An index of every source's logs (Claude and Codex history with de-dup
 * corrections, every plug-in source's fixtures) is taken back to schema 16, migrated, and must hold the same states and
 * report the same, go on like a new index of the same logs, and go through the journal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../../src/core/discovery';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { cleanup, indexOnce, tmpDir, } from '../ingest/helpers';
import { mixedHistory } from '../query/mixedHistory';
import { fixtureHome } from '../sources/fixtureHome';
import { writeHistory } from './claudeHistory';
import { dump } from './dbDump';
import { correctionAfterMigration, migratedReport } from './migratedCorrection';
import { asSchema16 } from './dimRows';

const NOW = Date.parse('2026-05-01T00:00:00Z');
const rows = (db: Database, sql: string) => db.exec(sql)[0]?.values ?? [];
const report = migratedReport;

test('migration 17 packs the files\' states: every state the same text back, every source reports the same; the migrated index goes on like a new one and through the journal', async () => {
  const logs = tmpDir();
  const home = fixtureHome();
  try {
    writeHistory(logs, mixedHistory(17, '2026-04-01T00:00:00Z', 20, { tools: true }));
    const roots = discoverRoots({ env: {}, home, dirs: { claude: [join(logs, 'claude')], codex: [join(logs, 'codex')] } });
    const { db } = await indexOnce(roots, undefined, NOW);
    const before = dump(db);
    const rep = report(db);
    const sources = new Set(before.files.map((r) => String(r[2])));
    for (const s of ['claude', 'codex', 'gemini', 'qwen', 'cline', 'copilot-cli', 'opencode']) assert.ok(sources.has(s), `${s} files`);
    asSchema16(db);
    assert.equal(schemaVersionOf(db), 16);
    assert.deepEqual(dump(db), before, 'schema 16 holds the same rows');
    const states = rows(db, 'SELECT state FROM files').map((r) => String(r[0]));
    assert.ok(states.filter((s) => s.includes('"fp":')).length > 40, 'JSON states with their fingerprints');
    migrate(db);
    assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
    assert.deepEqual(dump(db), before);
    assert.deepEqual(report(db), rep);
    assert.equal(db.export()[100], 13, 'the migrated schema still on the first page (a leaf page)');
    assert.equal(rows(db, "SELECT count(*) FROM sqlite_temp_master WHERE name = 'f16'")[0][0], 0, 'the TEMP copy is gone');
    // stored: the fingerprints as integers, no key in any state, the sources as strs ids
    const withFp = states.filter((s) => Number.isSafeInteger(JSON.parse(s).fp)).length;
    assert.equal(rows(db, "SELECT count(*) FROM files WHERE typeof(fp) = 'integer'")[0][0], withFp);
    assert.equal(rows(db, `SELECT count(*) FROM files WHERE state LIKE '%"cwd"%' OR state LIKE '%"fp"%' OR state LIKE '%"parser"%'`)[0][0], 0);
    assert.equal(rows(db, "SELECT count(*) FROM files WHERE typeof(source_id) <> 'integer'")[0][0], 0);
    await correctionAfterMigration(db, logs, roots, NOW, (db, fresh) => {
      assert.deepEqual(dump(db).files.map((r) => r.slice(1)), dump(fresh).files.map((r) => r.slice(1)), 'the same states as a new index (its dir ids aside)');
    });
    db.close();
  } finally {
    cleanup(logs);
    cleanup(home);
  }
});
