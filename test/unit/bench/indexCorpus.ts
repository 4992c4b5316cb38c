import assert from 'node:assert/strict';
import initSqlJs from 'sql.js';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { migrate } from '../../../src/core/store/schema';

/** A generated corpus indexed by the real indexer into a fresh database: every file read, no malformed line. */
export async function indexCorpus(corpus: { claudeDir: string; codexDir: string }, files: number): Promise<Database> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  migrate(db);
  const roots = discoverRoots({ env: {}, home: '/nonexistent-home', dirs: { claude: [corpus.claudeDir], codex: [corpus.codexDir] } });
  const r = await new Indexer({ db, roots }).refresh();
  assert.equal(r.malformedLines, 0);
  assert.equal(r.filesScanned, files);
  return db;
}
