/**
 * The last step of the migration tests (schemaV16, V17, V20): on the migrated index, a correction — a stored Claude
 * call's copy with 500 more output, appended to its log — read by a refresh and captured for the journal. The migrated
 * index then reports what a new index of the same logs reports, and the captured changes applied to a copy saved
 * before the correction give the same database. `compare(db, fresh)` adds the test's own checks before the journal's.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadCounters } from '../../../src/core/query/facts';
import type { Roots } from '../../../src/core/discovery';
import { applyChanges, startCapture, takeChanges } from '../../../src/core/store/changeCapture';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { indexOnce, totals } from '../ingest/helpers';
import { dump } from './dbDump';
import { indexReport } from './indexReport';

export const migratedReport = (d: Database) => ({ ...indexReport(d), counters: loadCounters(d) });

export async function correctionAfterMigration(
  db: Database, logs: string, roots: Roots, now: number, compare?: (db: Database, fresh: Database) => void | Promise<void>,
): Promise<void> {
  const saved = new (await loadSqlJs()).Database(db.export());
  startCapture(db);
  const projects = join(logs, 'claude/projects');
  const project = readdirSync(projects)[0];
  const file = join(projects, project, readdirSync(join(projects, project)).find((f) => f.endsWith('.jsonl'))!);
  const rec = JSON.parse(readFileSync(file, 'utf8').split('\n').find((l) => l.includes('"usage"') && !l.includes('<synthetic>'))!);
  rec.message.usage.output_tokens += 500;
  const output = totals(db).output;
  appendFileSync(file, `${JSON.stringify(rec)}\n`);
  const ix = new Indexer({ db, roots, now: () => now });
  await ix.refresh();
  await ix.dispose();
  assert.equal(totals(db).output, output + 500);
  const { db: fresh } = await indexOnce(roots, undefined, now);
  try {
    assert.deepEqual(migratedReport(db).facts, migratedReport(fresh).facts);
    assert.deepEqual(migratedReport(db).totals, migratedReport(fresh).totals);
    await compare?.(db, fresh);
    applyChanges(saved, takeChanges(db));
    assert.deepEqual(dump(saved), dump(db));
  } finally {
    saved.close();
    fresh.close();
  }
}
