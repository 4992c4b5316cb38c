/**
 * Schema 14: the recent Claude calls' de-dup state packed (store/claudePacks.ts) instead of one claude_calls row per
 * kept copy. The index migrated is a schema-13 index as the old code left it: the schema-12 fixture
 * (test/fixtures/index/schema12-mixed.sqlite, written by d06e52f from realistic Claude and Codex logs, see
 * schemaV13.test.ts) taken to 13 by migration 13 alone. Its migration must keep every kept copy, and the migrated
 * index must report what a new index of the same logs reports — after a better copy of a stored call too — and go on
 * through journaled saves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { loadCounters, } from '../../../src/core/query/facts';
import { applyChanges, startCapture, takeChanges } from '../../../src/core/store/changeCapture';
import { ridKey } from '../../../src/core/store/claudePacks';
import { openIndexDatabase } from '../../../src/core/store/persist';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { Indexer } from '../../../src/core/ingest/indexer';
import { cleanup, indexOnce, rootsFor, tmpDir, totals } from '../ingest/helpers';
import { mixedHistory } from '../query/mixedHistory';
import { writeHistory } from './claudeHistory';
import { claudeCallRows } from './claudeCallRows';
import { dump } from './dbDump';
import { indexReport } from './indexReport';
import { SCHEMA12_LOGS as LOGS, lockSchema12Logs } from './schema12Logs';

const FIXTURE = join(__dirname, '../../fixtures/index/schema12-mixed.sqlite');
const NOW = Date.parse('2026-05-01T00:00:00Z');
const rows = (db: Database, sql: string) => db.exec(sql)[0]?.values ?? [];

/** The fixture at schema 13 (what the code before schema 14 made of it), as file bytes. */
async function schema13Bytes(): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(FIXTURE));
  db.exec(`BEGIN; ${MIGRATIONS[12]}; PRAGMA user_version = 13; COMMIT`);
  const bytes = db.export();
  db.close();
  return bytes;
}

/** That index opened as the extension and the CLI open an index file (journal, migration, schema parsed). */
async function migrated(dir: string): Promise<Database> {
  const file = join(dir, 'index.sqlite');
  writeFileSync(file, await schema13Bytes());
  const opened = openIndexDatabase(await loadSqlJs(), file, undefined, { deferCapture: true });
  assert.equal(opened.migratedFrom, 13);
  assert.equal(opened.rebuiltReason, undefined);
  return opened.db;
}

test('migration 14 packs every kept copy of a schema-13 index written by the old code, every other table as it was', async () => {
  const SQL = await loadSqlJs();
  const old = new SQL.Database(await schema13Bytes());
  const before = dump(old);
  const calls = rows(old, 'SELECT * FROM claude_calls ORDER BY mid, rid');
  assert.ok(calls.length > 150, `${calls.length} recent calls`);
  assert.ok(rows(old, "SELECT count(*) FROM claude_calls WHERE typeof(mid) = 'real'")[0][0] as number > 0, 'hashes stored as REALs, as the old code bound them');
  old.close();
  const dir = tmpDir();
  try {
    const db = await migrated(dir);
    assert.equal(Number(rows(db, 'PRAGMA user_version')[0][0]), SCHEMA_VERSION);
    assert.equal(rows(db, 'PRAGMA integrity_check')[0][0], 'ok');
    assert.deepEqual(claudeCallRows(db), calls.map((c) => [Number(c[0]), ridKey(Number(c[1])), ...c.slice(2).map(Number)]));
    const after = dump(db);
    assert.equal(after.claude_calls, undefined, 'claude_calls is gone');
    for (const t of Object.keys(before)) if (t !== 'claude_calls' && t !== 'strs') assert.deepEqual(after[t], before[t], t);
    // strs: the same texts with their ids, then the key lists of the files' states (packed since schema 17)
    assert.deepEqual(after.strs.slice(0, before.strs.length), before.strs);
    for (const [, s] of after.strs.slice(before.strs.length)) assert.ok(Array.isArray(JSON.parse(String(s))), String(s));
    assert.equal(rows(db, "SELECT count(*) FROM sqlite_temp_master WHERE name = 'c13'")[0][0], 0, 'the TEMP copy is gone');
    assert.equal(db.export()[100], 13, 'the migrated schema still on the first page (a leaf page)');
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('a migrated schema-13 index reports what a new index of the same logs reports, also after a better copy of a stored call and a duplicate', async () => {
  const dir = tmpDir();
  const release = await lockSchema12Logs();
  try {
    writeHistory(LOGS, mixedHistory(13, '2026-04-01T00:00:00Z', 12, { tools: true }));
    const roots = rootsFor({ claude: join(LOGS, 'claude'), codex: join(LOGS, 'codex') });
    const db = await migrated(dir);
    const { db: fresh } = await indexOnce(roots, undefined, NOW);
    const report = indexReport;
    assert.deepEqual(report(db), report(fresh));
    assert.deepEqual(loadCounters(db), loadCounters(fresh));
    // nothing new (the files written again here have new inodes: looked at again, their lines counted once), except
    // that Codex is read again once: its parser version (2) is newer than the fixture index's
    const ix = new Indexer({ db, roots, now: () => NOW });
    assert.equal((await ix.refresh()).records, totals(fresh, { source: 'codex' }).requests);
    assert.deepEqual(report(db), report(fresh));
    assert.equal((await ix.refresh()).records, 0);
    // a stored call's copy with 1000 more output tokens (a better copy: corrected from the packs) and an equal one
    // (a duplicate), in another session's file
    const projects = join(LOGS, 'claude/projects');
    const project = readdirSync(projects)[0];
    const file = join(projects, project, readdirSync(join(projects, project)).find((f) => f.endsWith('.jsonl'))!);
    const line = readFileSync(file, 'utf8').split('\n').find((l) => l.includes('"usage"') && l.includes('"requestId"') && !l.includes('<synthetic>'))!;
    const rec = JSON.parse(line);
    const outputBefore = totals(db).output;
    rec.message.usage.output_tokens += 1000;
    appendFileSync(file, `${JSON.stringify(rec)}\n`);
    appendFileSync(join(projects, project, 'zz-copy.jsonl'), `${JSON.stringify(rec)}\n`);
    await ix.refresh();
    await indexOnce(roots, fresh, NOW);
    assert.deepEqual(report(db), report(fresh));
    assert.equal(totals(db).output, outputBefore + 1000);
    await ix.dispose();
    db.close();
    fresh.close();
  } finally {
    cleanup(dir);
    release();
  }
});

test('a migrated index goes through the journal: the changes captured from a refresh that corrects stored calls, replayed on the index as saved, give the same index', async () => {
  const dir = tmpDir();
  const release = await lockSchema12Logs();
  try {
    writeHistory(LOGS, mixedHistory(13, '2026-04-01T00:00:00Z', 12, { tools: true }));
    const db = await migrated(dir);
    const copy = new (await loadSqlJs()).Database(db.export()); // the index as saved
    startCapture(db);
    // every Claude log again with each call's output one token larger: every stored call corrected
    const projects = join(LOGS, 'claude/projects');
    for (const p of readdirSync(projects)) {
      for (const f of readdirSync(join(projects, p))) {
        const lines = readFileSync(join(projects, p, f), 'utf8').split('\n').filter((l) => l.includes('"output_tokens"'));
        const bumped = lines.map((l) => l.replace(/"output_tokens":(\d+)/, (_, n) => `"output_tokens":${Number(n) + 1}`));
        appendFileSync(join(projects, p, f), `${bumped.join('\n')}\n`);
      }
    }
    const ix = new Indexer({ db, roots: rootsFor({ claude: join(LOGS, 'claude'), codex: join(LOGS, 'codex') }), now: () => NOW });
    await ix.refresh();
    await ix.dispose();
    const changes = takeChanges(db);
    assert.ok(changes.some(([t]) => t === 'claude_packs'), 'changes of claude_packs');
    applyChanges(copy, changes);
    assert.deepEqual(dump(copy), dump(db));
    assert.deepEqual(claudeCallRows(copy), claudeCallRows(db));
    copy.close();
    db.close();
  } finally {
    cleanup(dir);
    release();
  }
});
