import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { freshIndexBytes, freshIndexFileName, openFreshIndex } from '../../../src/cli/freshIndex';
import { freshIndexDatabase } from '../../../src/core/store/persist';
import { SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { CODEX_EVENTS } from '../../../src/core/sources/codex/applier';
import { allPacked, HashPacks } from '../../../src/core/store/hashPacks';
import { sourceParserVersions } from '../../../src/core/ingest/indexer';
import { resetOutdatedSources } from '../../../src/core/store/sourceVersions';

/** Everything a database's schema is: its objects with their SQL, and the header values the pragmas read. */
function schemaOf(db: Database): unknown {
  const objects = db.exec('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')[0]?.values;
  const pragmas = ['user_version', 'page_size', 'auto_vacuum', 'encoding', 'application_id'].map((p) => db.exec(`PRAGMA ${p}`)[0]?.values[0]?.[0]);
  return { objects, pragmas };
}

test('the empty index the build writes is the migrated schema, opened as it is and usable', async () => {
  const SQL = await loadSqlJs();
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-fresh-'));
  writeFileSync(join(dir, freshIndexFileName()), await freshIndexBytes(SQL));
  const migrated = freshIndexDatabase(SQL);
  const db = openFreshIndex(SQL, dir);
  assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
  assert.deepEqual(schemaOf(db), schemaOf(migrated));
  assert.ok(Number(db.exec("SELECT count(*) FROM sqlite_master WHERE type = 'table'")[0].values[0][0]) > 5);
  // written to as any new index is
  await new HashPacks(db, CODEX_EVENTS).addAll([1, 2 ** 41 + 5, 2 ** 53 - 1]);
  assert.deepEqual(allPacked(db, CODEX_EVENTS), [1, 2 ** 41 + 5, 2 ** 53 - 1]);
  db.close();
  migrated.close();
});

/** The meta rows (key → value). */
const metaOf = (db: Database) => Object.fromEntries((db.exec('SELECT key, value FROM meta ORDER BY key')[0]?.values ?? []).map(([k, v]) => [String(k), String(v)]));

test("the empty index the build writes has the sources' parser versions recorded, as a new index's first refresh records them", async () => {
  const SQL = await loadSqlJs();
  const versions = sourceParserVersions();
  // a versioned source whose version is not the default 1 (Copilot CLI's 2): the case where a refresh has to record it
  assert.ok([...versions.values()].some((v) => v !== 1));
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-fresh-'));
  writeFileSync(join(dir, freshIndexFileName()), await freshIndexBytes(SQL));
  const db = openFreshIndex(SQL, dir);
  // what a migrated index holds after its first refresh's version check
  const migrated = freshIndexDatabase(SQL);
  assert.deepEqual(await resetOutdatedSources(migrated, versions), []);
  assert.deepEqual(metaOf(db), metaOf(migrated));
  for (const [id, v] of versions) if (v !== 1) assert.equal(metaOf(db)[`sourceVersion:${id}`], String(v));
  // the version check of the run finds nothing outdated, and changes nothing
  const before = db.export();
  assert.deepEqual(await resetOutdatedSources(db, versions), []);
  assert.deepEqual(db.export(), before);
  await new HashPacks(db, CODEX_EVENTS).addAll([1, 2 ** 41 + 5, 2 ** 53 - 1]);
  assert.deepEqual(allPacked(db, CODEX_EVENTS), [1, 2 ** 41 + 5, 2 ** 53 - 1]);
  db.close();
  migrated.close();
});

test('without a usable copy for these migrations, the new index is migrated from nothing', async () => {
  const SQL = await loadSqlJs();
  const migrated = freshIndexDatabase(SQL);
  const expected = schemaOf(migrated);
  // no folder; a copy under another name (other migrations); bytes that are no database; a database of another schema
  const none = join(tmpdir(), 'agentmeter-no-such-folder-x');
  const other = mkdtempSync(join(tmpdir(), 'agentmeter-fresh-'));
  writeFileSync(join(other, 'fresh-index-0.sqlite'), await freshIndexBytes(SQL));
  const garbage = mkdtempSync(join(tmpdir(), 'agentmeter-fresh-'));
  writeFileSync(join(garbage, freshIndexFileName()), Buffer.alloc(8192, 7));
  const older = mkdtempSync(join(tmpdir(), 'agentmeter-fresh-'));
  const old = new SQL.Database();
  old.exec('CREATE TABLE files (path TEXT PRIMARY KEY); PRAGMA user_version = 3');
  writeFileSync(join(older, freshIndexFileName()), old.export());
  old.close();
  for (const dir of [none, other, garbage, older]) {
    const db = openFreshIndex(SQL, dir);
    assert.deepEqual(schemaOf(db), expected, dir);
    db.close();
  }
  migrated.close();
});
