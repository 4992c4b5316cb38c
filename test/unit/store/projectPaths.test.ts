import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import type { Source } from '../../../src/core/types';
import { loadProjects } from '../../../src/core/query/facts';
import { projectDisplayPaths, projectLabels } from '../../../src/core/query/projectPaths';
import { cleanup, indexOnce, rootsFor, tmpDir } from '../ingest/helpers';
import { claudeHistory, writeHistory } from './claudeHistory';
import { writeCodexHistory } from '../host/statusReference';
import { putDim } from './dimRows';

/** What the status summary matched budgets against before: the map built from every project of loadProjects. */
function expectedPaths(db: Database): Map<string, string> {
  return new Map(loadProjects(db).map((p) => [p.project, p.displayPath]));
}

function assertSame(db: Database, extraKeys: string[] = []): void {
  const want = expectedPaths(db);
  const got = projectDisplayPaths(db);
  for (const key of [...want.keys(), ...extraKeys]) assert.equal(got(key), want.get(key), key);
  // the dashboard's labels (source NUL project → display path): the loadProjects list as a map
  const sorted = (m: Map<string, string>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  assert.deepEqual(sorted(projectLabels(db)), sorted(new Map(loadProjects(db).map((p) => [`${p.source}\u0000${p.project}`, p.displayPath]))));
}

function addDim(db: Database, source: string, project: string, session: string): void {
  putDim(db, { source: source as Source, model: 'm', project, session, branch: '', tier: 'standard' });
}

test('display paths of project keys (and the dashboard\'s labels) equal the loadProjects map, as dims and paths arrive, across a rolled-back transaction', async () => {
  const dir = tmpDir();
  try {
    writeHistory(join(dir, 'claude'), claudeHistory(3, '2026-02-02T00:00:00Z', 20));
    writeCodexHistory(join(dir, 'codex'), 4, '2026-02-02T00:00:00Z', 20);
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }));
    const keys = [...expectedPaths(db).keys()];
    assert.ok(keys.includes('/home/u/api') && keys.includes('proj1'), keys.join(' '));
    assert.equal(expectedPaths(db).get('proj1'), '/home/u/proj1');
    assertSame(db, ['nowhere']);
    // Codex uses a Claude folder name as its key, without a known path: its (later) source's entry wins
    addDim(db, 'codex', 'proj1', 'c1');
    assertSame(db);
    assert.equal(projectDisplayPaths(db)('proj1'), 'proj1');
    // a new project and its path
    addDim(db, 'claude', 'fresh', 's1');
    db.run("INSERT INTO projects (project, source, display_path) VALUES ('fresh', 'claude', '/home/u/fresh')");
    assertSame(db);
    assert.equal(projectDisplayPaths(db)('fresh'), '/home/u/fresh');
    // read inside a transaction that rolls back: not kept
    db.run('BEGIN');
    addDim(db, 'claude', 'ghost', 's2');
    assertSame(db);
    assert.equal(projectDisplayPaths(db)('ghost'), 'ghost');
    db.run('ROLLBACK');
    // the next refresh gives its id to another dim before the next read
    addDim(db, 'codex', 'other', 's3');
    assertSame(db, ['ghost']);
    assert.equal(projectDisplayPaths(db)('ghost'), undefined);
    assert.equal(projectDisplayPaths(db)('other'), 'other');
    db.close();
  } finally {
    cleanup(dir);
  }
});
